#include "ui/AppContext.h"

#include "catalog/AuditTrail.h"

#include "catalog/CatalogFactory.h"
#include "core/Home.h"
#include "core/ScratchSweeper.h"
#include "crypto/AgeRecipient.h"
#include "jobs/JobRunner.h"
#include "jobs/ManifestSigner.h"
#include "jobs/StartupRecovery.h"
#include "jobs/StartupRecoveryJob.h"
#include "models/Async.h"
#include "models/JobListModel.h"
#include "models/PinnedCatalog.h"
#include "ops/DatabaseBackup.h"
#include "secrets/KeychainCredentialStore.h"
#include "secrets/MemoryCredentialStore.h"

#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHash>
#include <QLoggingCategory>
#include <QSysInfo>

namespace lifeboat {

Q_LOGGING_CATEGORY(lcRecovery, "lifeboat.recovery")

AppContext::AppContext(QString home, QObject *parent)
    : QObject(parent)
    , m_home(std::move(home))
    , m_config(Home::configPath(m_home))
    , m_runner(new JobRunner(2, this))
    , m_jobs(new JobListModel(m_runner, this)) {
    connect(m_jobs, &JobListModel::jobEnded, this, [this] { emit catalogChanged(); });
    m_configReload.setSingleShot(true);
    m_configReload.setInterval(100);
    connect(&m_configReload, &QTimer::timeout, this, &AppContext::reloadConfig);
}

AppContext::~AppContext() {
    // Jobs hold the catalog; stop them before it goes.
    delete m_runner;
    m_runner = nullptr;
    AuditTrail::uninstall(); // queued rows are written first
}

bool AppContext::open(QString *error) {
    if (!Home::ensure(m_home, error))
        return false;
    if (!m_config.load(error))
        return false;
    // Settings' catalogUri, read exactly as lifeboatctl reads it (CatalogFactory): a PostgreSQL URI or conninfo is
    // the team catalog, "sqlite:PATH" or a plain path another SQLite file, empty the home's own catalog.
    m_catalog = CatalogFactory::fromConfig(m_config, m_home);
    if (!m_catalog->open(error)) {
        // The app cannot start without its catalog: say where the choice is made so it can be undone.
        if (error && !m_config.option(QStringLiteral("catalogUri")).trimmed().isEmpty())
            *error += tr("\n\nThe catalog is chosen by the catalogUri setting in %1. Make the catalog reachable (for a "
                         "PostgreSQL catalog, its password belongs in ~/.pgpass), or empty the setting to use this "
                         "home's own catalog.")
                          .arg(Home::configPath(m_home));
        return false;
    }
    // Restores and verifies say "signed by this installation" for this key id (the key itself is read with the
    // other secrets when a backup starts).
    ManifestSigner::setInstallationKeyId(m_config.option(QStringLiteral("signingKeyId")));
    // The audit trail is written from a background thread: the GUI thread never waits for the catalog.
    AuditTrail::install(m_catalog, QStringLiteral("desktop"), true);
    recoverInterruptedRuns();
    // Start the catalog reader thread now, before any job thread exists (see catalogPool()).
    runAsync(
        this, [catalog = m_catalog] { return catalog->schemaVersion(); }, [](int) {}, catalogPool());
    if (!m_config.profiles().isEmpty())
        m_currentProfile = m_config.profiles().first().name;
    // lifeboatctl writes the same file. Its saves replace it (write a temporary file, rename it over), which ends
    // a watch on the old file: the home directory is watched too, and the file is watched again after each change.
    m_configWatcher = new QFileSystemWatcher(this);
    m_configWatcher->addPath(m_home);
    if (QFileInfo::exists(m_config.path()))
        m_configWatcher->addPath(m_config.path());
    connect(m_configWatcher, &QFileSystemWatcher::fileChanged, &m_configReload, qOverload<>(&QTimer::start));
    connect(m_configWatcher, &QFileSystemWatcher::directoryChanged, &m_configReload, qOverload<>(&QTimer::start));
    return true;
}

void AppContext::reloadConfig() {
    if (m_configWatcher && QFileInfo::exists(m_config.path()) && !m_configWatcher->files().contains(m_config.path()))
        m_configWatcher->addPath(m_config.path());
    ConfigStore fresh(m_config.path());
    if (!fresh.load(nullptr))
        return; // unreadable (hand-edited mid-way?): keep what we have; a save says what is wrong
    if (fresh.toJson() == m_config.toJson())
        return; // our own save, or a change that changed nothing
    m_config = fresh;
    if (!m_currentProfile.isEmpty() && !m_config.profile(m_currentProfile))
        setCurrentProfile(m_config.profiles().isEmpty() ? QString() : m_config.profiles().first().name);
    else if (m_currentProfile.isEmpty() && !m_config.profiles().isEmpty())
        setCurrentProfile(m_config.profiles().first().name);
    emit configChanged();
}

void AppContext::recoverInterruptedRuns() {
    // A run of this host that died (crash, kill, power loss) left an IN_PROGRESS record and maybe partial files, an
    // open multipart upload, scratch: a job on the Jobs page cleans them (S3 calls and keychain reads block, so on a
    // worker) and its log lists every item. Without such a record, scratch of dead processes is swept quietly on a
    // worker, each item logged (lifeboat.recovery).
    StartupRecovery probe(*m_catalog, m_config.storages());
    if (!probe.interruptedRecords().isEmpty()) {
        const QList<StorageConfig> storages = m_config.storages();
        auto secretFor = [storages](const QString &storage) {
            for (const StorageConfig &sc : storages) {
                if (sc.name == storage && sc.isS3() && !sc.accessKeyId.isEmpty() && KeychainProbe::detect().available())
                    return KeychainCredentialStore()
                        .read(CredentialStore::storageSecretKey(storage))
                        .value_or(QString());
            }
            return QString(); // the AWS chain (environment, ~/.aws) applies
        };
        submitJob(std::make_unique<StartupRecoveryJob>(jobCatalog(), storages, secretFor), QString());
        return;
    }
    runAsync(
        this,
        [] {
            int swept = 0;
            for (const ScratchSweeper::Item &item : ScratchSweeper::sweep()) {
                qCInfo(lcRecovery).noquote()
                    << (item.removed ? QStringLiteral("removed %1: %2").arg(item.what, item.path)
                                     : QStringLiteral("left %1: %2 — %3").arg(item.what, item.path, item.problem));
                swept += item.removed ? 1 : 0;
            }
            return swept;
        },
        [](int) {});
}

bool AppContext::updateConfig(const std::function<void(ConfigStore &)> &change, QString *error) {
    ConfigStore next = m_config;
    change(next);
    if (!next.save(error))
        return false;
    m_config = next;
    if (!m_currentProfile.isEmpty() && !m_config.profile(m_currentProfile))
        setCurrentProfile(m_config.profiles().isEmpty() ? QString() : m_config.profiles().first().name);
    else if (m_currentProfile.isEmpty() && !m_config.profiles().isEmpty())
        setCurrentProfile(m_config.profiles().first().name);
    emit configChanged();
    return true;
}

void AppContext::setCurrentProfile(const QString &profile) {
    if (profile == m_currentProfile)
        return;
    m_currentProfile = profile;
    emit currentProfileChanged(profile);
}

void AppContext::probeKeychain() {
    if (m_probing)
        return;
    m_probing = true;
    runAsync(
        this, [] { return KeychainProbe::detect(3000, true); },
        [this](const KeychainStatus &s) {
            m_probing = false;
            m_keychain = s;
            m_keychainKnown = true;
            emit keychainChanged();
        });
}

bool AppContext::isBackupBusy(const QString &profile) const {
    return m_preparing.contains(profile) || m_jobs->isProfileBusy(profile);
}

namespace {
struct Secrets {
    MemoryCredentialStore store;                  // what the backup reads: the profile's password, S3 secret keys
    std::shared_ptr<const ManifestSigner> signer; // null: the manifest is written unsigned
};

// Keychain reads block (D-Bus round trips, maybe an unlock prompt): only ever on a worker.
Secrets readSecrets(bool keychain, const QStringList &keys, const std::shared_ptr<Catalog> &catalog,
                    const QString &signerLabel) {
    Secrets s;
    if (!keychain)
        return s;
    KeychainCredentialStore store;
    // The manifest signing key, created in the keychain on first use (as lifeboatctl does).
    Error signingError;
    bool created = false;
    s.signer = ManifestSigner::loadOrCreate(&store, catalog.get(), signerLabel, &created, &signingError);
    if (s.signer && created)
        AuditTrail::record(QStringLiteral("secret.set"), QString::fromLatin1(ManifestSigner::kSecretKey),
                           QStringLiteral("ok"), 0, QStringLiteral("new signing key %1").arg(s.signer->keyId()));
    s.store = MemoryCredentialStore::readFrom(&store, keys);
    return s;
}
} // namespace

void AppContext::startBackup(const QString &profileName, const QStringList &storageNames, const BackupOptions &options,
                             const QStringList &recipients, std::function<void(Job *, const QString &)> then) {
    if (!m_config.profile(profileName))
        return then(nullptr, tr("Unknown profile \"%1\".").arg(profileName));
    if (isBackupBusy(profileName))
        return then(nullptr, tr("A backup of \"%1\" is already running. Wait for it to finish or cancel it on the "
                                "Jobs page.")
                                 .arg(profileName));
    if (storageNames.isEmpty())
        return then(nullptr, tr("Choose at least one storage to write the backup to."));
    // Checked here too, before the keychain is read (it may ask to be unlocked), in the app's own words; the use
    // case checks the same again with the command line's.
    for (const QString &name : storageNames)
        if (!m_config.storage(name))
            return then(nullptr, tr("Unknown storage \"%1\".").arg(name));
    for (const QString &r : recipients) {
        QString why;
        if (!AgeRecipient::parse(r, &why))
            return then(nullptr, tr("Encryption recipient “%1”: %2").arg(r, why));
    }
    DatabaseBackup::Request request;
    request.profile = profileName;
    request.storages = storageNames;
    request.options = options;
    request.recipients = recipients;
    m_preparing.insert(profileName);
    const bool keychain = m_keychainKnown && m_keychain.available();
    runAsync(
        this,
        [keychain, keys = DatabaseBackup::secretKeys(m_config, request), catalog = jobCatalog(),
         label = QStringLiteral("%1:%2").arg(QSysInfo::machineHostName(), m_home)] {
            return readSecrets(keychain, keys, catalog, label);
        },
        [this, request, then](Secrets secrets) {
            m_preparing.remove(request.profile);
            if (secrets.signer) {
                ManifestSigner::install(secrets.signer);
                if (m_config.option(QStringLiteral("signingKeyId")) != secrets.signer->keyId()) {
                    const QString id = secrets.signer->keyId();
                    updateConfig([id](ConfigStore &c) { c.setOption(QStringLiteral("signingKeyId"), id); }, nullptr);
                }
            }
            UseCaseContext uc;
            // The job's catalog calls run on the long-lived catalog thread (see PinnedCatalog).
            uc.catalog = jobCatalog();
            uc.config = m_config;
            uc.secrets = &secrets.store;
            // JobListModel watches every tracked job for stalls, and the outcome is told where jobs end (the tray
            // and the Jobs page), so the use case does neither.
            uc.watchStalls = false;
            PreparedJob prepared = DatabaseBackup::prepare(uc, request);
            if (!prepared)
                return then(nullptr, prepared.error.message);
            Job *job = m_runner->submit(std::move(prepared.job));
            m_jobs->track(job, request.profile);
            // Nothing of a Back up now's finished() blocks (no --keep-days, no notify sink), so the GUI thread may
            // run it.
            if (prepared.finished)
                connect(job, &Job::finished, this, [finished = prepared.finished](const JobResult &r) { finished(r); });
            then(job, QString());
        });
}

Job *AppContext::submitJob(std::unique_ptr<Job> job, const QString &source) {
    Job *j = m_runner->submit(std::move(job));
    m_jobs->track(j, source);
    return j;
}

std::shared_ptr<Catalog> AppContext::jobCatalog() const {
    return std::make_shared<PinnedCatalog>(m_catalog);
}

void AppContext::storeSecret(const QString &key, const QString &secret, std::function<void(const QString &)> then) {
    if (!(m_keychainKnown && m_keychain.available())) {
        then(tr("No keychain is available (%1), so the secret was not kept. Lifeboat never writes secrets to disk "
                "in plain text; use ~/.pgpass or a service file instead.")
                 .arg(m_keychainKnown ? m_keychain.message : tr("not checked yet")));
        return;
    }
    runAsync(
        this,
        [key, secret] {
            KeychainCredentialStore store;
            // One audit row per change, naming the key, never the value; clearing a key that held nothing is not
            // a change.
            const bool existed = !secret.isEmpty() || store.read(key).has_value();
            const bool ok = secret.isEmpty() ? store.remove(key) : store.write(key, secret);
            if (existed)
                AuditTrail::record(secret.isEmpty() ? QStringLiteral("secret.remove") : QStringLiteral("secret.set"),
                                   key, ok ? QStringLiteral("ok") : QStringLiteral("failed"), 0,
                                   ok ? QString() : store.error().message);
            return ok ? QString() : store.error().message;
        },
        [this, key, then](const QString &error) {
            if (error.isEmpty())
                emit secretChanged(key); // connections made with the old secret reconnect
            then(error);
        });
}

} // namespace lifeboat
