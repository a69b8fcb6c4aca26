#pragma once

#include "catalog/StorageConfig.h"
#include "crypto/AgeIdentity.h"
#include "pg/GlobalsScript.h"
#include "restore/SafetyCheck.h"

#include <QHash>
#include <QJsonObject>

#include <atomic>
#include <functional>
#include <vector>

namespace lifeboat {

class PgSession;
class RestoreSource;

// "Create missing roles first" (restore --create-missing-roles, the wizard's box): the backup's roles companion
// (GlobalsCompanion) is fetched from one of its copies, checked against its recorded SHA-256, decrypted with the
// restore's identities, and compared with the roles the target server has. check() is a safety check run with the
// others, before anything changes; apply() creates the missing roles in one transaction once every check passed.
class MissingRoles {
public:
    struct Input {
        const RestoreSource *source = nullptr;
        QString sourceSpec; // the catalog id or file path the restore was given
        QList<StorageConfig> storages;
        QHash<QString, QString> storageSecrets;
        std::vector<AgeIdentity> identities;
        QString workDir;
        const std::atomic_bool *cancel = nullptr;
        bool desktopWording = false;
    };

    SafetyCheck check(const Input &in, PgSession &session);
    // Runs the plan's statements in one transaction; nothing is created when one fails.
    bool apply(PgSession &session, Error *error, const std::function<void(const QString &)> &log);

    const GlobalsScript::Plan &plan() const { return m_plan; }
    bool ready() const { return m_ready; }
    QJsonObject toJson() const;

private:
    bool readCompanion(const Input &in, QByteArray *sql, QString *why, ExitCode *code);

    GlobalsScript::Plan m_plan;
    bool m_ready = false;
    bool m_passwords = false;
    QString m_copy; // which stored copy of the companion was read
};

} // namespace lifeboat
