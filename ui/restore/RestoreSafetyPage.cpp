#include "ui/restore/RestoreSafetyPage.h"

#include "models/Async.h"
#include "restore/RestoreJob.h"
#include "ui/restore/RestoreWizard.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
using Outcome = SafetyCheck::Outcome;

QString outcomeText(Outcome o) {
    switch (o) {
    case Outcome::Passed:
        return RestoreSafetyPage::tr("✔ Passed");
    case Outcome::Warning:
        return RestoreSafetyPage::tr("⚠ Warning");
    case Outcome::Refused:
        return RestoreSafetyPage::tr("✘ Refused");
    case Outcome::Skipped:
        break;
    }
    return RestoreSafetyPage::tr("– Skipped");
}

QColor outcomeColor(Outcome o) {
    switch (o) {
    case Outcome::Passed:
        return QColor(0x1b, 0x7f, 0x3b);
    case Outcome::Warning:
        return QColor(0xa3, 0x62, 0x00);
    case Outcome::Refused:
        return QColor(0xb3, 0x26, 0x1e);
    case Outcome::Skipped:
        break;
    }
    return QColor(0x6b, 0x6b, 0x6b);
}
} // namespace

RestoreSafetyPage::RestoreSafetyPage(RestoreWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard) {
    setTitle(tr("Safety checks"));
    setSubTitle(tr("Everything is checked before anything is touched. “Restore” stays disabled until every check "
                   "passes."));
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Restore"));
    auto *v = new QVBoxLayout(this);
    m_production = new QLabel(this);
    m_production->setWordWrap(true);
    m_production->setAccessibleName(tr("Production warning"));
    m_production->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #8c1d18; border: 1px solid "
                                               "#f1b0aa; border-radius: 4px; padding: 6px; }"));
    v->addWidget(m_production);

    m_list = new QTreeWidget(this);
    m_list->setAccessibleName(tr("Safety checks"));
    m_list->setRootIsDecorated(false);
    m_list->setWordWrap(true);
    m_list->setHeaderLabels({tr("Outcome"), tr("Check"), tr("Detail")});
    m_list->header()->resizeSection(0, 100);
    m_list->header()->resizeSection(1, 210);
    m_list->header()->setStretchLastSection(true);
    v->addWidget(m_list, 1);

    m_connectionsLabel = new QLabel(tr("Sessions connected to the target database:"), this);
    v->addWidget(m_connectionsLabel);
    m_connections = new QListWidget(this);
    m_connections->setAccessibleName(tr("Active connections"));
    m_connections->setMaximumHeight(80);
    v->addWidget(m_connections);
    m_terminate = new QCheckBox(tr("&End these connections when the restore starts"), this);
    v->addWidget(m_terminate);

    auto *confirmRow = new QHBoxLayout;
    m_confirmLabel = new QLabel(this);
    m_confirmLabel->setWordWrap(true);
    m_confirm = new QLineEdit(this);
    m_confirm->setAccessibleName(tr("Type the target database name to confirm"));
    m_confirmLabel->setBuddy(m_confirm);
    confirmRow->addWidget(m_confirmLabel, 2);
    confirmRow->addWidget(m_confirm, 1);
    v->addLayout(confirmRow);
    m_safetyBackup = new QCheckBox(tr("Take a &safety backup of the target database first"), this);
    m_safetyBackup->setChecked(true);
    v->addWidget(m_safetyBackup);
    m_override = new QCheckBox(tr("I accept restoring into this &production database without a safety backup"), this);
    v->addWidget(m_override);

    auto *bottom = new QHBoxLayout;
    m_blocker = new QLabel(this);
    m_blocker->setWordWrap(true);
    m_blocker->setAccessibleName(tr("What blocks the restore"));
    bottom->addWidget(m_blocker, 1);
    m_again = new QPushButton(tr("Check &again"), this);
    bottom->addWidget(m_again);
    v->addLayout(bottom);

    connect(m_again, &QPushButton::clicked, this, &RestoreSafetyPage::runChecks);
    connect(m_confirm, &QLineEdit::textChanged, this, &RestoreSafetyPage::refresh);
    connect(m_terminate, &QCheckBox::toggled, this, &RestoreSafetyPage::refresh);
    connect(m_override, &QCheckBox::toggled, this, &RestoreSafetyPage::refresh);
    // The engine decides whether the safety backup can be taken (a storage to hold it, its recipients): ask again.
    connect(m_safetyBackup, &QCheckBox::toggled, this, [this] {
        m_override->setChecked(false);
        runChecks();
    });
}

void RestoreSafetyPage::initializePage() {
    const RestoreOptions o = m_wizard->options();
    m_confirm->clear();
    m_terminate->setChecked(false);
    m_override->setChecked(false);
    {
        QSignalBlocker block(m_safetyBackup);
        m_safetyBackup->setChecked(true);
    }
    m_confirmLabel->setText(
        tr("Type the name of the database, <b>%1</b>, to confirm:").arg(o.targetDb.toHtmlEscaped()));
    runChecks();
}

void RestoreSafetyPage::cleanupPage() {
    cancelWork();
}

void RestoreSafetyPage::cancelWork() {
    if (m_job)
        m_job->cancel();
    if (m_checking) {
        ++m_generation;
        m_checking = false;
    }
}

void RestoreSafetyPage::runChecks() {
    cancelWork();
    const int gen = ++m_generation;
    m_checking = true;
    m_checks.clear();
    m_guardProduction.clear();
    m_activeConnections.clear();
    m_rolesToCreate = 0;
    m_runError.clear();
    refresh();

    RestoreOptions o = m_wizard->options();
    // The dry run judges everything the engine can see. The typed name is judged here, live, so the dry run gets
    // the name itself; the real run gets what was typed and checks it again.
    o.dryRun = true;
    o.confirm = o.targetDb;
    o.noSafetyBackup = !m_safetyBackup->isChecked();
    o.terminateConnections = m_terminate->isChecked();
    m_wizard->withSecrets([this, gen, o](const RestoreWizard::Secrets &secrets) {
        if (gen != m_generation)
            return;
        Error error;
        m_job = std::shared_ptr<RestoreJob>(m_wizard->makeJob(o, secrets, &error).release());
        if (!m_job) {
            m_checking = false;
            m_checks.clear();
            m_runError = error.message;
            refresh();
            emit checksFinished();
            return;
        }
        // A dry run changes nothing; it runs off the GUI thread and is not a tracked job.
        runAsync(
            this, [job = m_job] { return job->run(); },
            [this, gen, job = m_job](const JobResult &r) {
                if (gen != m_generation)
                    return;
                m_checking = false;
                m_checks = job->checks();
                m_guardProduction.clear();
                for (const SafetyCheck &c : std::as_const(m_checks))
                    if (c.id == QLatin1String("production") && c.outcome == Outcome::Warning)
                        m_guardProduction = c.detail;
                for (const QJsonValue &c : r.details.value(QStringLiteral("activeConnections")).toArray())
                    m_activeConnections << c.toString();
                m_rolesToCreate = int(r.details.value(QStringLiteral("roles"))
                                          .toObject()
                                          .value(QStringLiteral("create"))
                                          .toArray()
                                          .size());
                if (m_checks.isEmpty() && !r.ok())
                    m_runError = r.error.message;
                refresh();
                emit checksFinished();
            });
    });
}

bool RestoreSafetyPage::databaseExists() const {
    if (m_wizard->options().create)
        return false;
    for (const SafetyCheck &c : m_checks)
        if (c.id == QLatin1String("database"))
            return c.outcome == Outcome::Passed;
    return false;
}

bool RestoreSafetyPage::production() const {
    return m_wizard->options().targetProduction || !m_guardProduction.isEmpty();
}

bool RestoreSafetyPage::productionExisting() const {
    return production() && databaseExists();
}

QList<SafetyCheck> RestoreSafetyPage::shownChecks() const {
    const RestoreOptions o = m_wizard->options();
    const bool exists = databaseExists();
    const bool typed = m_confirm->text() == o.targetDb;
    QList<SafetyCheck> out;
    for (SafetyCheck c : m_checks) {
        if (c.id == QLatin1String("connections") && !m_activeConnections.isEmpty()) {
            if (m_terminate->isChecked()) {
                c.outcome = Outcome::Warning;
                c.detail = tr("%n connection(s) will be ended when the restore starts.", nullptr,
                              int(m_activeConnections.size()));
            } else {
                c.outcome = Outcome::Refused;
                c.detail = tr("%n session(s) use “%1”: close them, or tick “End these connections”.", nullptr,
                              int(m_activeConnections.size()))
                               .arg(o.targetDb);
            }
        } else if (c.id == QLatin1String("confirm") && exists) {
            c.outcome = typed ? Outcome::Passed : Outcome::Refused;
            c.detail = typed ? tr("the typed name matches “%1”").arg(o.targetDb)
                       : m_confirm->text().isEmpty()
                           ? tr("restoring into the existing database “%1” needs its name typed below").arg(o.targetDb)
                           : tr("“%1” does not match the target database “%2”").arg(m_confirm->text(), o.targetDb);
            if (m_rolesToCreate > 0)
                c.detail += tr(" — and create %n role(s) on the server", nullptr, m_rolesToCreate);
        } else if (c.id == QLatin1String("safety-backup") && productionExisting() && !m_safetyBackup->isChecked()) {
            const bool overridden = m_override->isChecked() && typed;
            c.outcome = overridden ? Outcome::Warning : Outcome::Refused;
            c.detail = overridden ? tr("skipped on your explicit request (override ticked, name typed)")
                       : o.targetProduction
                           ? tr("“%1” is a production profile: take the safety backup, or tick the override and type "
                                "the database name")
                                 .arg(o.targetProfile)
                           : tr("the target is treated as production (%1): take the safety backup, or tick the "
                                "override and type the database name")
                                 .arg(m_guardProduction);
        }
        out << c;
    }
    return out;
}

QString RestoreSafetyPage::blocker() const {
    if (m_checking)
        return tr("Checking…");
    if (!m_runError.isEmpty())
        return tr("The checks could not run: %1").arg(m_runError);
    if (m_checks.isEmpty())
        return tr("Not checked yet.");
    for (const SafetyCheck &c : shownChecks())
        if (c.refused())
            return tr("Blocked by “%1”: %2").arg(c.title, c.detail);
    return {};
}

void RestoreSafetyPage::refresh() {
    const RestoreOptions o = m_wizard->options();
    // A typed connection string that reaches a production profile's server (or one the guard could not rule out)
    // gets the same warning, typed confirmation and safety backup as choosing that profile.
    m_production->setVisible(production());
    m_production->setText(
        o.targetProduction
            ? tr("<b>“%1” is a production server.</b> Restoring replaces data people rely on. An existing database "
                 "gets a safety backup before anything is changed.")
                  .arg(o.targetProfile.toHtmlEscaped())
            : tr("<b>This is treated as a production server:</b> %1. Restoring replaces data people rely on. An "
                 "existing database gets a safety backup before anything is changed.")
                  .arg(m_guardProduction.toHtmlEscaped()));
    m_list->clear();
    for (const SafetyCheck &c : shownChecks()) {
        auto *it = new QTreeWidgetItem(m_list, {outcomeText(c.outcome), c.title, c.detail});
        it->setForeground(0, outcomeColor(c.outcome));
        it->setToolTip(2, c.detail);
    }
    const bool exists = databaseExists();
    const bool connections = !m_activeConnections.isEmpty();
    m_connectionsLabel->setVisible(connections);
    m_connections->setVisible(connections);
    m_terminate->setVisible(connections);
    m_connections->clear();
    m_connections->addItems(m_activeConnections);
    m_confirmLabel->setVisible(exists);
    m_confirm->setVisible(exists);
    const bool prodExisting = productionExisting();
    m_safetyBackup->setVisible(prodExisting);
    m_override->setVisible(prodExisting && !m_safetyBackup->isChecked());
    const QString b = blocker();
    m_blocker->setText(b.isEmpty() ? tr("All checks passed. “Restore” starts it.") : b);
    m_blocker->setStyleSheet(b.isEmpty() || m_checking ? QString() : QStringLiteral("color: #b3261e;"));
    m_again->setEnabled(!m_checking);
    emit completeChanged();
}

bool RestoreSafetyPage::isComplete() const {
    return blocker().isEmpty();
}

bool RestoreSafetyPage::validatePage() {
    if (!isComplete())
        return false;
    RestoreOptions o = m_wizard->options();
    o.dryRun = false;
    o.confirm = databaseExists() ? m_confirm->text() : QString();
    o.noSafetyBackup = productionExisting() && !m_safetyBackup->isChecked();
    o.terminateConnections = m_terminate->isChecked();
    m_wizard->setOptions(o);
    return true;
}

} // namespace lifeboat
