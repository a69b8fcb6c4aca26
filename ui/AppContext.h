#pragma once

#include "catalog/ConfigStore.h"
#include "catalog/SqlCatalog.h"
#include "jobs/BackupOptions.h"
#include "jobs/Job.h"
#include "secrets/KeychainProbe.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

class QFileSystemWatcher;

namespace lifeboat {

class JobListModel;
class JobRunner;

// What every window and page of the desktop app shares: the home (settings, catalog), the one JobRunner, the
// live job list, the selected profile and the keychain status. Blocking service calls (keychain, catalog scans)
// are made on worker threads from here or by the pages through runAsync.
class AppContext : public QObject {
    Q_OBJECT
public:
    explicit AppContext(QString home, QObject *parent = nullptr);
    ~AppContext() override;

    // Creates the home if needed, loads config.json and opens the catalog (recovering interrupted records).
    bool open(QString *error);

    QString home() const { return m_home; }
    const ConfigStore &config() const { return m_config; }
    // Applies `change` to the settings and saves them atomically; emits configChanged() on success. The save
    // merges with changes another process (lifeboatctl) made to config.json meanwhile (see ConfigStore::save).
    bool updateConfig(const std::function<void(ConfigStore &)> &change, QString *error);
    // Re-reads config.json now; emits configChanged() when another process changed it. open() watches the file
    // and calls this on every change, so settings written by lifeboatctl show at once.
    void reloadConfig();
    bool isConfigured() const { return !m_config.profiles().isEmpty() && !m_config.storages().isEmpty(); }

    std::shared_ptr<Catalog> catalog() const { return m_catalog; }
    JobRunner *runner() const { return m_runner; }
    JobListModel *jobs() const { return m_jobs; }

    QString currentProfile() const { return m_currentProfile; }
    void setCurrentProfile(const QString &profile);

    bool keychainKnown() const { return m_keychainKnown; }
    KeychainStatus keychain() const { return m_keychain; }
    void probeKeychain(); // asynchronous; keychainChanged() when answered

    // True while a backup of `profile` is queued, running or being prepared.
    bool isBackupBusy(const QString &profile) const;
    // Reads the secrets on a worker, builds the stores and submits a BackupJob. `then` gets the job (tracked by
    // jobs()) or an error message.
    // recipients: age public keys (empty: not encrypted).
    void startBackup(const QString &profile, const QStringList &storages, const BackupOptions &options,
                     const QStringList &recipients, std::function<void(Job *job, const QString &error)> then);

    // Submits a prepared job of any kind (a scheduled file or Redis backup, …) to the runner and lists it on the
    // Jobs page under `source`. Its catalog should be jobCatalog().
    Job *submitJob(std::unique_ptr<Job> job, const QString &source);
    // The catalog for jobs: every call runs on the long-lived catalog thread (PinnedCatalog).
    std::shared_ptr<Catalog> jobCatalog() const;

    // Stores or removes a secret in the keychain on a worker; `then` gets an empty string or the error.
    void storeSecret(const QString &key, const QString &secret, std::function<void(const QString &error)> then);

    // Asks the window to open the restore wizard on a source: a catalog id ("42") or a file path.
    void requestRestore(const QString &spec) { emit restoreRequested(spec); }

signals:
    void configChanged();
    void restoreRequested(const QString &spec);
    void currentProfileChanged(const QString &profile);
    void keychainChanged();
    void secretChanged(const QString &key); // storeSecret wrote (or removed) this credential-store entry
    void catalogChanged();                  // a job finished or a record changed: views reload

private:
    void recoverInterruptedRuns();

    QString m_home;
    ConfigStore m_config;
    std::shared_ptr<SqlCatalog> m_catalog;
    JobRunner *m_runner;
    JobListModel *m_jobs;
    QString m_currentProfile;
    KeychainStatus m_keychain;
    bool m_keychainKnown = false;
    bool m_probing = false;
    QSet<QString> m_preparing;
    QFileSystemWatcher *m_configWatcher = nullptr;
    QTimer m_configReload; // coalesces the watcher's bursts (a rename is a delete and a create)
};

} // namespace lifeboat
