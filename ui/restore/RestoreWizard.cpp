#include "ui/restore/RestoreWizard.h"

#include "models/Async.h"
#include "models/PinnedCatalog.h"
#include "restore/RestoreJob.h"
#include "secrets/KeychainCredentialStore.h"
#include "secrets/MemoryCredentialStore.h"
#include "ui/AppContext.h"
#include "ui/restore/RestoreChoosePage.h"
#include "ui/restore/RestoreInspectPage.h"
#include "ui/restore/RestoreReportPage.h"
#include "ui/restore/RestoreRunPage.h"
#include "ui/restore/RestoreSafetyPage.h"
#include "ui/restore/RestoreTargetPage.h"
#include "ui/widgets/MessageBox.h"

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

Restore::Request RestoreWizard::useCaseRequest(const RestoreOptions &o, const Secrets &secrets) const {
    Restore::Request request;
    request.source = m_source;
    // A profile by name; a typed connection string as the target page parsed it, with its own password.
    request.target = o.targetProfile.isEmpty() ? o.targetConninfo : o.targetProfile;
    if (o.targetProfile.isEmpty())
        request.targetPassword = secrets.targetPassword;
    request.options = o;
    request.options.desktopWording = true; // the checks speak of the wizard's fields, not of lifeboatctl's options
    request.identities = m_identities;
    return request;
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
    // Every secret the restore use case reads: the target's password, the S3 secrets, the production profiles'
    // passwords (the guard's).
    RestoreOptions o = m_options;
    const Restore::Request request = useCaseRequest(o, {});
    const ConfigStore config = m_ctx->config();
    const QStringList keys = Restore::secretKeys(config, request) + Restore::storedSecretKeys(config, request);
    // Keychain reads block (D-Bus round trips, maybe an unlock prompt): only ever on a worker.
    runAsync(
        this,
        [keychain, profile, keys, config] {
            Secrets s;
            if (!keychain)
                return s;
            KeychainCredentialStore keychainStore;
            s.store = std::make_shared<MemoryCredentialStore>(MemoryCredentialStore::readFrom(&keychainStore, keys));
            if (!profile.isEmpty())
                s.targetPassword = s.store->read(CredentialStore::profilePasswordKey(profile)).value_or(QString());
            for (const StorageConfig &sc : config.storages()) {
                if (sc.isS3() && !sc.accessKeyId.isEmpty())
                    s.storageSecrets.insert(
                        sc.name, s.store->read(CredentialStore::storageSecretKey(sc.name)).value_or(QString()));
            }
            return s;
        },
        [this, profile, deliver](const Secrets &s) {
            m_secretsFor = profile;
            m_secrets = s;
            deliver(s);
        });
}

std::unique_ptr<RestoreJob> RestoreWizard::makeJob(const RestoreOptions &o, const Secrets &secrets,
                                                   Error *error) const {
    UseCaseContext uc;
    // The job's catalog calls run on the long-lived catalog thread (see PinnedCatalog).
    uc.catalog = std::make_shared<PinnedCatalog>(m_ctx->catalog());
    uc.config = m_ctx->config();
    uc.secrets = secrets.store.get(); // read ahead on a worker (withSecrets); null without a keychain
    PreparedJob prepared = Restore::prepare(useCaseRequest(o, secrets), uc);
    if (!prepared) {
        *error = prepared.error;
        return nullptr;
    }
    // Restore::prepare builds a RestoreJob; the pages read its safety checks.
    return std::unique_ptr<RestoreJob>(static_cast<RestoreJob *>(prepared.job.release()));
}

} // namespace lifeboat
