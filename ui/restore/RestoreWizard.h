#pragma once

#include "crypto/AgeIdentity.h"
#include "ops/Restore.h"
#include "restore/RestoreInspector.h"
#include "restore/RestoreOptions.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QWizard>

#include <functional>
#include <memory>
#include <vector>

namespace lifeboat {

class AppContext;
class RestoreChoosePage;
class RestoreInspectPage;
class RestoreTargetPage;
class RestoreSafetyPage;
class RestoreRunPage;
class RestoreReportPage;
class MemoryCredentialStore;
class RestoreJob;

// The restore wizard: choose a backup → inspect it → pick the target → pass the safety checks → run → report.
// The engine decides (RestoreInspector, RestoreJob, RestoredTargetCheck, the same services `lifeboatctl restore`
// drives); the pages show and collect. Every slow step runs on a worker or the JobRunner and every page can be
// left: going Back cancels its work, closing the wizard during the run cancels the restore first and waits for the
// job to say what state the target is in.
class RestoreWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { ChooseId, InspectId, TargetId, SafetyId, RunId, ReportId };

    // Keychain secrets, read once on a worker (they block) and reused by every step.
    struct Secrets {
        QString targetPassword;                 // of the target profile (empty: libpq's own sources)
        QHash<QString, QString> storageSecrets; // S3 secret keys by storage name
        // Every secret the restore use case reads, read from the keychain on a worker; null without a keychain.
        std::shared_ptr<MemoryCredentialStore> store;
    };

    explicit RestoreWizard(AppContext *ctx, QWidget *parent = nullptr);
    ~RestoreWizard() override;

    AppContext *context() const { return m_ctx; }

    // Presets the backup ("42" or a path) and moves on to Inspect.
    void openWith(const QString &spec);

    // What the pages agreed on so far.
    QString source() const { return m_source; }
    void setSource(const QString &spec) { m_source = spec; }
    const std::vector<AgeIdentity> &identities() const { return m_identities; }
    void setIdentities(std::vector<AgeIdentity> ids) { m_identities = std::move(ids); }
    const RestoreInspector::Result &inspection() const { return m_inspection; }
    void setInspection(RestoreInspector::Result r) { m_inspection = std::move(r); }
    QStringList selectedTables() const { return m_tables; }
    void setSelectedTables(QStringList t) { m_tables = std::move(t); }
    // Target options from the Target page (confirm and safety choices come from the Safety page).
    RestoreOptions options() const { return m_options; }
    void setOptions(const RestoreOptions &o) { m_options = o; }
    QString targetProfile() const { return m_options.targetProfile; }
    // The password a connection URI carried (kept out of the conninfo, like a profile's).
    void setUriPassword(const QString &p) { m_uriPassword = p; }

    // Reads the target profile's password and the S3 secrets on a worker (once per target) and calls `then`.
    void withSecrets(std::function<void(const Secrets &)> then);
    // The RestoreJob the restore use case (ops/Restore) builds for these options, as for `lifeboatctl restore`;
    // null with *error set when it cannot be built (the target profile is gone).
    std::unique_ptr<RestoreJob> makeJob(const RestoreOptions &o, const Secrets &secrets, Error *error) const;

    // The outcome of the run page, for the report.
    QJsonObject runDetails() const { return m_runDetails; }
    bool runOk() const { return m_runOk; }
    QString runError() const { return m_runError; }
    void setRunOutcome(bool ok, const QString &error, const QJsonObject &details);
    // When the run page started the restore: the report's duration counts from here.
    QDateTime runStarted() const { return m_runStarted; }
    QDateTime runFinished() const { return m_runFinished; } // set with the outcome
    void setRunStarted(const QDateTime &t) { m_runStarted = t; }

    RestoreChoosePage *choosePage() const { return m_choose; }
    RestoreInspectPage *inspectPage() const { return m_inspect; }
    RestoreTargetPage *targetPage() const { return m_target; }
    RestoreSafetyPage *safetyPage() const { return m_safety; }
    RestoreRunPage *runPage() const { return m_run; }
    RestoreReportPage *reportPage() const { return m_report; }

public slots:
    void reject() override;

protected:
    bool focusNextPrevChild(bool next) override;

private:
    // The use case's request for these options: the target as the user chose it, the wizard's keys.
    Restore::Request useCaseRequest(const RestoreOptions &o, const Secrets &secrets) const;

    AppContext *m_ctx;
    QString m_source;
    std::vector<AgeIdentity> m_identities;
    RestoreInspector::Result m_inspection;
    QStringList m_tables;
    RestoreOptions m_options;
    QString m_uriPassword;
    QString m_secretsFor; // the profile m_secrets belong to ("\n" before the first read)
    Secrets m_secrets;
    QJsonObject m_runDetails;
    bool m_runOk = false;
    QString m_runError;
    QDateTime m_runStarted;
    QDateTime m_runFinished;

    RestoreChoosePage *m_choose;
    RestoreInspectPage *m_inspect;
    RestoreTargetPage *m_target;
    RestoreSafetyPage *m_safety;
    RestoreRunPage *m_run;
    RestoreReportPage *m_report;
};

} // namespace lifeboat
