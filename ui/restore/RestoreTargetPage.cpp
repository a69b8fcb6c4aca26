#include "ui/restore/RestoreTargetPage.h"

#include "pg/Conninfo.h"
#include "ui/AppContext.h"
#include "ui/restore/RestoreWizard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lifeboat {

RestoreTargetPage::RestoreTargetPage(RestoreWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard) {
    setTitle(tr("Choose the target"));
    setSubTitle(tr("The server and database to restore into. Restoring into a new database is the safe default."));
    auto *v = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_server = new QComboBox(this);
    m_server->setAccessibleName(tr("Target server"));
    form->addRow(tr("&Server:"), m_server);
    m_uri = new QLineEdit(this);
    m_uri->setPlaceholderText(tr("postgresql://user@host:5432/postgres"));
    m_uri->setAccessibleName(tr("Connection URI"));
    form->addRow(tr("Connection &URI:"), m_uri);
    m_production = new QLabel(this);
    m_production->setWordWrap(true);
    form->addRow(QString(), m_production);
    m_db = new QLineEdit(this);
    m_db->setAccessibleName(tr("Target database"));
    form->addRow(tr("&Database:"), m_db);
    m_create = new QCheckBox(tr("C&reate this database (it must not exist yet)"), this);
    m_create->setChecked(true);
    form->addRow(QString(), m_create);
    m_clean = new QCheckBox(tr("Drop the backup's objects first (c&lean, if they exist)"), this);
    m_clean->setAccessibleName(tr("Clean: drop the backup's objects before recreating them"));
    form->addRow(QString(), m_clean);
    m_content = new QComboBox(this);
    m_content->setAccessibleName(tr("What to restore"));
    m_content->addItem(tr("Schema and data"), QStringLiteral("all"));
    m_content->addItem(tr("Data only"), QStringLiteral("data"));
    m_content->addItem(tr("Schema only"), QStringLiteral("schema"));
    form->addRow(tr("&Content:"), m_content);
    m_jobs = new QSpinBox(this);
    // 0 = Automatic: the restore job chooses, as `lifeboatctl restore` without --jobs does (RestoreJobsChoice:
    // two jobs where several tables' data can load side by side, one streamed job otherwise).
    m_jobs->setRange(RestoreOptions::kAutoJobs, 64);
    m_jobs->setSpecialValueText(tr("Automatic"));
    m_jobs->setValue(RestoreOptions::kAutoJobs);
    m_jobs->setAccessibleName(tr("Parallel jobs"));
    m_jobs->setToolTip(tr("Automatic: two pg_restore jobs when several tables' data can load side by side; one "
                          "streamed job for an encrypted archive, chosen tables, schema only, a database whose "
                          "rows are mostly in one table, or too little scratch space. A number forces that many."));
    form->addRow(tr("Parallel &jobs:"), m_jobs);
    m_noAcl = new QCheckBox(tr("Do not restore privileges (GRANT/REVOKE)"), this);
    form->addRow(QString(), m_noAcl);
    m_createRoles = new MissingRolesBox(this);
    form->addRow(QString(), m_createRoles);
    v->addLayout(form);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    v->addWidget(m_note);
    v->addStretch(1);

    connect(m_server, &QComboBox::currentIndexChanged, this, &RestoreTargetPage::updateState);
    connect(m_uri, &QLineEdit::textChanged, this, &RestoreTargetPage::updateState);
    connect(m_db, &QLineEdit::textChanged, this, &RestoreTargetPage::updateState);
    connect(m_create, &QCheckBox::toggled, this, &RestoreTargetPage::updateState);
    connect(m_clean, &QCheckBox::toggled, this, &RestoreTargetPage::updateState);
}

void RestoreTargetPage::setServer(const QString &profile) {
    const int i = m_server->findData(profile);
    if (i >= 0)
        m_server->setCurrentIndex(i);
}

void RestoreTargetPage::initializePage() {
    const QString current = m_server->currentData().toString();
    {
        QSignalBlocker block(m_server);
        m_server->clear();
        for (const Profile &p : m_wizard->context()->config().profiles())
            m_server->addItem(p.production ? tr("%1 (production)").arg(p.name) : p.name, p.name);
        m_server->addItem(tr("Another server (connection URI)"), QString());
    }
    const RestoreInspector::Result &in = m_wizard->inspection();
    if (m_defaultedFor != m_wizard->source()) {
        // A new backup: default to its own server and a new database next to the original.
        m_defaultedFor = m_wizard->source();
        const QString original = !in.record.database.isEmpty() ? in.record.database : in.header.database;
        m_db->setText(QStringLiteral("%1_restored_%2")
                          .arg(original.isEmpty() ? QStringLiteral("lifeboat") : original,
                               QDate::currentDate().toString(QStringLiteral("yyyyMMdd"))));
        m_create->setChecked(true);
        const int own = m_server->findData(in.record.profile);
        m_server->setCurrentIndex(own >= 0 ? own : 0);
    } else {
        const int i = m_server->findData(current);
        m_server->setCurrentIndex(i >= 0 ? i : 0);
    }
    // Only a backup that kept its server's roles can create them; existing roles are left alone either way.
    const bool globals =
        in.record.globals.present() || (in.manifest && !in.manifest->globals.isEmpty() && in.record.id == 0);
    m_createRoles->setAvailable(globals, tr("This backup"));
    const bool toc = in.hasToc;
    m_clean->setEnabled(toc);
    m_content->setEnabled(toc);
    m_jobs->setEnabled(toc);
    if (!toc) {
        m_clean->setChecked(false);
        m_content->setCurrentIndex(0);
    }
    updateState();
}

void RestoreTargetPage::updateState() {
    const QString profile = m_server->currentData().toString();
    const bool uri = m_server->currentIndex() == m_server->count() - 1;
    m_uri->setEnabled(uri);
    const auto p = uri ? std::nullopt : m_wizard->context()->config().profile(profile);
    if (p && p->production) {
        m_production->setText(tr("<b>Production server.</b> Restoring into an existing database on it takes a safety "
                                 "backup of that database first."));
        m_production->show();
    } else {
        m_production->hide();
    }
    m_clean->setEnabled(m_wizard->inspection().hasToc && !m_create->isChecked());
    if (m_create->isChecked())
        m_clean->setChecked(false);
    m_note->setText(m_create->isChecked()
                        ? tr("“%1” is created; the restore fails safely if it already exists.").arg(m_db->text())
                        : tr("The backup goes into the existing database “%1”. You will type its name to confirm.")
                              .arg(m_db->text()));
    emit completeChanged();
}

bool RestoreTargetPage::isComplete() const {
    if (m_db->text().trimmed().isEmpty() || m_server->count() == 0)
        return false;
    const bool uri = m_server->currentIndex() == m_server->count() - 1;
    return !uri || !m_uri->text().trimmed().isEmpty();
}

bool RestoreTargetPage::validatePage() {
    RestoreOptions o;
    const bool uri = m_server->currentIndex() == m_server->count() - 1;
    if (uri) {
        Error err;
        const Conninfo ci = Conninfo::parse(m_uri->text().trimmed(), &err);
        if (!ci.isValid()) {
            m_note->setText(tr("The connection URI is not valid: %1").arg(err.message));
            return false;
        }
        o.targetConninfo = ci.toKeywordString();
        m_wizard->setUriPassword(ci.password());
    } else {
        const auto p = m_wizard->context()->config().profile(m_server->currentData().toString());
        if (!p)
            return false;
        o.targetConninfo = p->conninfo;
        o.targetProfile = p->name;
        o.targetProduction = p->production;
        o.postRestoreCommand = p->postRestoreCommand;
    }
    o.targetDb = m_db->text().trimmed();
    o.create = m_create->isChecked();
    o.clean = m_clean->isChecked();
    const QString content = m_content->currentData().toString();
    o.dataOnly = content == QLatin1String("data");
    o.schemaOnly = content == QLatin1String("schema");
    o.tables = m_wizard->selectedTables();
    o.jobs = m_wizard->inspection().hasToc ? m_jobs->value() : 1;
    o.noAcl = m_noAcl->isChecked();
    o.createMissingRoles = m_createRoles->wanted();
    m_wizard->setOptions(o);
    return true;
}

} // namespace lifeboat
