#include "ui/restore/RestoreWizard.h"

#include "models/Async.h"
#include "models/PinnedCatalog.h"
#include "restore/RestoreJob.h"
#include "restore/SafetyBackup.h"
#include "secrets/KeychainCredentialStore.h"
#include "ui/AppContext.h"
#include "ui/widgets/MessageBox.h"
#include "ui/restore/ProductionServers.h"
#include "ui/restore/RestoreChoosePage.h"
#include "ui/restore/RestoreInspectPage.h"
#include "ui/restore/RestoreReportPage.h"
#include "ui/restore/RestoreRunPage.h"
#include "ui/restore/RestoreSafetyPage.h"
#include "ui/restore/RestoreTargetPage.h"

#include <QApplication>

namespace lifeboat {

RestoreWizard::RestoreWizard(AppContext *ctx, QWidget *parent)
    : QWizard(parent)
    , m_ctx(ctx)
    , m_secretsFor(QStringLiteral("\n"))
    , m_choose(new RestoreChoosePage(this))
    , m_inspect(new RestoreInspectPage(this))
    , m_target(new RestoreTargetPage(this))
    , m_safety(new RestoreSafetyPage(this))
    , m_run(new RestoreRunPage(this))
    , m_report(new RestoreReportPage(this)) {
    setWindowTitle(tr("Restore a backup"));
    setAccessibleName(tr("Restore wizard"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPage(ChooseId, m_choose);
    setPage(InspectId, m_inspect);
    setPage(TargetId, m_target);
    setPage(SafetyId, m_safety);
    setPage(RunId, m_run);
    setPage(ReportId, m_report);
    setStartId(ChooseId);
}

RestoreWizard::~RestoreWizard() = default;

void RestoreWizard::openWith(const QString &spec) {
    if (currentId() != ChooseId)
        restart();
    m_choose->preset(spec);
    if (m_choose->isComplete())
        next();
}

void RestoreWizard::reject() {
    // The run cannot be abandoned half-way: cancel it, stay, and let the run page say what state the target is in.
    if (currentId() == RunId && m_run->isRunning()) {
        MessageBox::question(
            this, tr("Cancel the restore?"),
            tr("The restore into “%1” is running. Cancel it? The wizard stays open until the job has stopped and says "
               "what state the database is in.")
                .arg(m_options.targetDb),
            [this](bool yes) {
                if (yes)
                    m_run->cancelRestore();
            });
        return;
    }
    m_inspect->cancelWork();
    m_safety->cancelWork();
    QWizard::reject();
}

bool RestoreWizard::focusNextPrevChild(bool next) {
    // QWizard hides its whole page area for a moment whenever it updates its buttons — on every completeChanged(),
    // that is on every key typed into a field a page checks — and on a page switch. Hiding the focused widget asks
    // its parents to move the focus on. In a window of its own the wizard has no other visible widget to give it
    // to, so the focus stays and is there again when the page area reappears; embedded in the main window, Qt
    // would hand it to the next widget of the window (the toolbar's profile switcher, the sidebar) and the next
    // keys would land there — changing the profile or the page. Keep it where it is, as a window would; a page
    // switch then gives the new page its focus itself.
    const QWidget *focused = QApplication::focusWidget();
    if (focused && isAncestorOf(focused) && !focused->isVisible() && (!currentPage() || !currentPage()->isVisible()))
        return true;
    return QWizard::focusNextPrevChild(next);
}

void RestoreWizard::setRunOutcome(bool ok, const QString &error, const QJsonObject &details) {
    m_runOk = ok;
    m_runFinished = QDateTime::currentDateTimeUtc();
    m_runError = error;
    m_runDetails = details;
}

void RestoreWizard::withSecrets(std::function<void(const Secrets &)> then) {
    const QString profile = m_options.targetProfile;
    auto deliver = [this, then](Secrets s) {
        if (m_options.targetProfile.isEmpty())
            s.targetPassword = m_uriPassword;
        then(s);
    };
    if (m_secretsFor == profile)
        return deliver(m_secrets);
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    const QList<StorageConfig> storages = m_ctx->config().storages();
    // Keychain reads block (D-Bus round trips, maybe an unlock prompt): only ever on a worker.
    runAsync(
        this,
        [keychain, profile, storages] {
            Secrets s;
            if (!keychain)
                return s;
            KeychainCredentialStore store;
            if (!profile.isEmpty())
                s.targetPassword = store.read(CredentialStore::profilePasswordKey(profile)).value_or(QString());
            for (const StorageConfig &sc : storages) {
                if (sc.isS3() && !sc.accessKeyId.isEmpty())
                    s.storageSecrets.insert(sc.name,
                                            store.read(CredentialStore::storageSecretKey(sc.name)).value_or(QString()));
            }
            return s;
        },
        [this, profile, deliver](const Secrets &s) {
            m_secretsFor = profile;
            m_secrets = s;
            deliver(s);
        });
}

std::unique_ptr<RestoreJob> RestoreWizard::makeJob(const RestoreOptions &o, const Secrets &secrets) const {
    RestoreJob::Request req;
    req.source = m_source;
    req.options = o;
    req.options.desktopWording = true; // the checks speak of the wizard's fields, not of lifeboatctl's options
    req.password = secrets.targetPassword;
    // The job's catalog calls run on the long-lived catalog thread (see PinnedCatalog).
    req.catalog = std::make_shared<PinnedCatalog>(m_ctx->catalog());
    req.storages = m_ctx->config().storages();
    req.storageSecrets = secrets.storageSecrets;
    req.identities = m_identities;
    req.pgToolDir = m_ctx->config().option(QStringLiteral("pgToolDir"));
    if (o.targetProduction) {
        // The same safety backup `lifeboatctl restore` takes: the profile's storages, recipients and label.
        if (const auto profile = m_ctx->config().profile(o.targetProfile))
            req.safetyBackup = SafetyBackup::factory(*profile, secrets.targetPassword, req.storages,
                                                     secrets.storageSecrets, req.catalog, req.pgToolDir);
    }
    // A typed connection string (or another profile) that reaches a production profile's server gets that
    // profile's production treatment; the job compares server identities. Its password is read from the keychain
    // on the job's thread (a blocking read never runs here).
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    req.productionServers =
        ProductionServers::forTarget(m_ctx->config(), o.targetProfile, keychain, secrets.storageSecrets, req.catalog);
    return std::make_unique<RestoreJob>(std::move(req));
}

} // namespace lifeboat
