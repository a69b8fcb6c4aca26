#include "ui/settings/ProfileDialog.h"

#include "core/CredentialStore.h"
#include "models/Async.h"
#include "pg/PgSession.h"
#include "pitr/ReplicationAccess.h"
#include "secrets/KeychainCredentialStore.h"
#include "ui/AppContext.h"
#include "ui/widgets/FormBuilder.h"

#include <QCheckBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
struct TestOutcome {
    bool ok = false;
    QString text;
};
} // namespace

ProfileDialog::ProfileDialog(AppContext *ctx, const Profile &existing, QWidget *parent)
    : EditorDialog(ctx, existing.name, QStringLiteral("profileDialog"),
                   existing.name.isEmpty() ? tr("Add a server") : tr("Edit server “%1”").arg(existing.name), parent)
    , m_base(existing) {
    QVBoxLayout *layout = column();
    FormBuilder form = nameRow(existing.name, tr("e.g. prod-shop"), tr("Profile name"));
    m_conninfo = form.line(tr("&Connection:"), existing.conninfo,
                           tr("host=db.example.com port=5432 user=backup dbname=shop  or  postgresql://…"));
    m_conninfo->setMinimumWidth(440);
    m_password = form.secret(tr("&Password:"), tr("optional — kept in the keychain; empty uses ~/.pgpass"));
    m_production = new QCheckBox(tr("This is a production server (restores into it need extra confirmation)"), this);
    m_production->setChecked(existing.production);
    form.row(m_production);
    m_globals =
        new QCheckBox(tr("Keep the server's &roles with every backup (for a restore onto a fresh server)"), this);
    m_globals->setToolTip(tr("pg_dumpall --globals-only beside each backup: roles, memberships and tablespaces, "
                             "without passwords, encrypted like the backup."));
    m_globals->setChecked(existing.globals);
    form.row(m_globals);
    m_storages = new QListWidget(this);
    m_storages->setAccessibleName(tr("Default storages"));
    m_storages->setMaximumHeight(90);
    for (const StorageConfig &s : ctx->config().storages()) {
        auto *item = new QListWidgetItem(s.name, m_storages);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(existing.defaultStorages.contains(s.name) ||
                                    (existing.name.isEmpty() && ctx->config().storages().size() == 1)
                                ? Qt::Checked
                                : Qt::Unchecked);
    }
    form.row(tr("Default &storages:"), m_storages);
    m_exclude = form.line(tr("&Exclude tables:"), existing.excludeTables.join(QStringLiteral(", ")),
                          tr("tables never backed up, e.g. public._prisma_migrations"), tr("Always excluded tables"));

    // Continuous protection: WAL capture while the app runs, plus what the server must allow for it.
    auto *pitr = new QGroupBox(tr("Point-in-time recovery"), this);
    auto *pitrLayout = new QVBoxLayout(pitr);
    m_continuous =
        new QCheckBox(tr("&Continuous protection: capture this server's WAL while Lifeboat runs (a recovery point "
                         "of about a minute; needs base backups too)"),
                      pitr);
    m_continuous->setChecked(existing.continuous);
    m_partialUpload = new QSpinBox(pitr);
    m_partialUpload->setRange(10, 3600);
    m_partialUpload->setSuffix(tr(" s"));
    m_partialUpload->setValue(existing.partialUploadSeconds > 0 ? existing.partialUploadSeconds : 60);
    m_partialUpload->setAccessibleName(tr("Upload the WAL segment being filled every"));
    m_partialUpload->setEnabled(m_continuous->isChecked());
    auto *uploadRow = new QHBoxLayout;
    auto *uploadLabel = new QLabel(tr("&Upload the segment being filled every"), pitr);
    uploadLabel->setBuddy(m_partialUpload);
    uploadRow->addWidget(uploadLabel);
    uploadRow->addWidget(m_partialUpload);
    uploadRow->addStretch(1);
    auto *replicationRow = new QHBoxLayout;
    m_checkReplication = new QPushButton(tr("Check replication &access"), pitr);
    m_checkReplication->setToolTip(tr("Connects as this profile's role, then as a replication client, as base "
                                      "backups and WAL capture do, and says what the server still needs."));
    m_replication = FormBuilder::answerLabel(pitr);
    m_replication->setText(tr("Base backups and WAL capture need a role with REPLICATION and a "
                              "“replication” line in the server's pg_hba.conf."));
    replicationRow->addWidget(m_checkReplication);
    replicationRow->addStretch(1);
    pitrLayout->addWidget(m_continuous);
    pitrLayout->addLayout(uploadRow);
    pitrLayout->addLayout(replicationRow);
    pitrLayout->addWidget(m_replication); // full width: the fix it shows spans several lines
    layout->addWidget(pitr);
    connect(m_continuous, &QCheckBox::toggled, m_partialUpload, &QSpinBox::setEnabled);
    connect(m_checkReplication, &QPushButton::clicked, this, &ProfileDialog::checkReplication);

    addTestRow(tr("&Test connection"));
    addErrorLine();
    addSaveCancel();
    connect(m_test, &QPushButton::clicked, this, &ProfileDialog::testConnection);
    // A refusal of Save describes the fields as they were: an edit or a successful test makes it stale.
    FormBuilder::onEdit({m_name, m_conninfo, m_password, m_exclude}, m_error, [this] { m_error->clear(); });
    connect(this, &ProfileDialog::testFinished, this, [this](bool ok) {
        if (ok)
            m_error->clear();
    });
}

Profile ProfileDialog::profile() const {
    Profile p = m_base;
    p.name = m_name->text().trimmed();
    p.conninfo = m_conninfo->text().trimmed();
    p.production = m_production->isChecked();
    p.globals = m_globals->isChecked();
    p.globalsRolePasswords = p.globals && m_base.globalsRolePasswords; // the opt-in is the CLI's, kept as it was
    p.defaultStorages.clear();
    for (int i = 0; i < m_storages->count(); ++i) {
        if (m_storages->item(i)->checkState() == Qt::Checked)
            p.defaultStorages << m_storages->item(i)->text();
    }
    p.excludeTables.clear();
    for (const QString &t : m_exclude->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        p.excludeTables << t.trimmed();
    p.continuous = m_continuous->isChecked();
    p.partialUploadSeconds = m_partialUpload->value();
    return p;
}

void ProfileDialog::testConnection() {
    Error err;
    const Conninfo info = Conninfo::parse(m_conninfo->text().trimmed(), &err);
    if (!info.isValid()) {
        m_testResult->setText(tr("✗ %1").arg(err.message));
        emit testFinished(false);
        return;
    }
    m_test->setEnabled(false);
    m_testResult->setText(tr("Connecting to %1…").arg(info.hostPort()));
    const QString password = m_password->text().isEmpty() ? info.password() : m_password->text();
    runAsync(
        this,
        [info, password] {
            TestOutcome o;
            PgSession s;
            if (!s.connect(info, password, 10)) {
                o.text = s.error().message;
                return o;
            }
            o.ok = true;
            o.text =
                QStringLiteral("PostgreSQL %1, database “%2”").arg(s.serverVersion().toString(), s.currentDatabase());
            return o;
        },
        [this](const TestOutcome &o) {
            m_test->setEnabled(true);
            m_testResult->setText(o.ok ? tr("✓ Connected: %1").arg(o.text) : tr("✗ %1").arg(o.text));
            emit testFinished(o.ok);
        });
}

void ProfileDialog::checkReplication() {
    Error err;
    const Conninfo info = Conninfo::parse(m_conninfo->text().trimmed(), &err);
    if (!info.isValid()) {
        m_replication->setText(tr("✗ %1").arg(err.message));
        emit replicationChecked(false);
        return;
    }
    m_checkReplication->setEnabled(false);
    m_replication->setText(tr("Checking %1 as a replication client…").arg(info.hostPort()));
    const QString typed = m_password->text().isEmpty() ? info.password() : m_password->text();
    // Nothing typed: the saved password of the profile being edited, read on the worker as every keychain access is.
    const QString savedKey =
        typed.isEmpty() && !m_originalName.isEmpty() && m_ctx->keychainKnown() && m_ctx->keychain().available()
            ? CredentialStore::profilePasswordKey(m_originalName)
            : QString();
    runAsync(
        this,
        [info, typed, savedKey] {
            QString password = typed;
            if (!savedKey.isEmpty()) {
                KeychainCredentialStore store;
                password = store.read(savedKey).value_or(QString());
            }
            return ReplicationAccess::probe(info, password);
        },
        [this](const ReplicationAccess::Report &r) {
            m_checkReplication->setEnabled(true);
            const QString onServer =
                tr("On the server (as a superuser), if not done yet:\n    %1\nand in pg_hba.conf, above any line that "
                   "would reject it, then SELECT pg_reload_conf();\n    %2")
                    .arg(r.grant, r.hbaLine);
            m_replication->setText(r.ok ? tr("✓ Ready: role “%1” may stream WAL and take base backups from "
                                             "PostgreSQL %2 (system %3).")
                                              .arg(r.user, r.serverVersion, r.systemIdentifier)
                                        : tr("✗ %1\n\n%2").arg(r.error.message, onServer));
            // The answer can be several lines: grow the dialog to show all of it rather than clip it.
            layout()->activate();
            const int needed = layout()->hasHeightForWidth() ? layout()->heightForWidth(width()) : sizeHint().height();
            if (needed > height())
                resize(width(), needed);
            emit replicationChecked(r.ok);
        });
}

void ProfileDialog::accept() {
    const Profile p = profile();
    if (!ConfigStore::isValidName(p.name))
        return refuse(invalidNameMessage(), m_name);
    if (p.name != m_originalName && m_ctx->config().profile(p.name))
        return refuse(tr("A profile named “%1” already exists.").arg(p.name));
    Error err;
    const Conninfo info = Conninfo::parse(p.conninfo, &err);
    if (p.conninfo.isEmpty() || !info.isValid())
        return refuse(p.conninfo.isEmpty() ? tr("Enter how to connect (key=value or a postgresql:// URI).")
                                           : err.message,
                      m_conninfo);
    Profile clean = p;
    clean.conninfo = info.toKeywordString(); // a password typed into the string never reaches the settings
    const QString password = m_password->text().isEmpty() ? info.password() : m_password->text();
    if (!replaceInSettings(clean, &ConfigStore::removeProfile, &ConfigStore::upsertProfile))
        return;
    keepSecret(CredentialStore::profilePasswordKey(clean.name), password, tr("Password not kept"));
    finish(clean.name);
}

} // namespace lifeboat
