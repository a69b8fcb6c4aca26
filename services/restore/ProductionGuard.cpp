#include "restore/ProductionGuard.h"

#include "core/ChildEnvironment.h"
#include "pg/PgSession.h"

namespace lifeboat {

std::optional<SafetyCheck> ProductionGuard::check(const QList<Server> &servers, const Conninfo &target,
                                                  const QString &targetPassword, RestoreOptions *options,
                                                  RestoreJob::SafetyBackupFactory *safetyBackup) {
    RestoreOptions &o = *options;
    if (o.targetProduction || servers.isEmpty())
        return std::nullopt;
    const QString title = QStringLiteral("Production guard");
    const auto warning = [&](const QString &detail) {
        return SafetyCheck{QStringLiteral("production"), title, SafetyCheck::Outcome::Warning, detail, ExitCode::Ok};
    };
    // Fail closed: a production server the target cannot be proved not to be is treated as the target's server. Its
    // safety backup is of the target itself (what the restore overwrites), kept like that profile's backups.
    auto treatAsProduction = [&](const Server &ps, const QString &why) {
        o.targetProduction = true;
        o.targetProfile = ps.profile;
        *safetyBackup =
            ps.safetyBackupOf ? ps.safetyBackupOf(target.toKeywordString(), targetPassword) : ps.safetyBackup;
        return warning(QStringLiteral("could not prove this is not production server \"%1\": %2 — treated as "
                                      "production: a typed confirmation and a safety backup of the target are "
                                      "required")
                           .arg(ps.profile, why));
    };
    const QString identity = o.expectedServerIdentity;
    if (identity.isEmpty())
        return treatAsProduction(servers.first(),
                                 QStringLiteral("the target does not say which server it is (pg_control_system() "
                                                "gave nothing: no privilege, or a managed service)"));
    QList<const Server *> unreachable;
    for (const Server &ps : servers) {
        Error e;
        const Conninfo pci = Conninfo::parse(ps.conninfo, &e);
        PgSession probe;
        const QString password = ps.password.isEmpty() && ps.passwordLookup ? ps.passwordLookup() : ps.password;
        if (!password.isEmpty())
            ChildEnvironment::registerSecret(password);
        QString other;
        if (pci.isValid() && probe.connect(pci, password, 5))
            other = probe.serverIdentity();
        if (other.isEmpty()) {
            unreachable << &ps;
            continue;
        }
        if (other != identity)
            continue;
        // The same server as a production profile, however the target was spelled: production rules apply, with
        // that profile's safety backup.
        o.targetProduction = true;
        o.targetProfile = ps.profile;
        *safetyBackup = ps.safetyBackup;
        return warning(QStringLiteral("the target is the server of production profile \"%1\" (system identifier "
                                      "and port %2): a typed confirmation and a safety backup are required")
                           .arg(ps.profile, identity));
    }
    if (!unreachable.isEmpty()) {
        QStringList names;
        for (const Server *ps : std::as_const(unreachable))
            names << QStringLiteral("\"%1\"").arg(ps->profile);
        return treatAsProduction(*unreachable.first(),
                                 QStringLiteral("production profile(s) %1 could not be reached, or did not say which "
                                                "server they are, to compare (a password not stored in the keychain "
                                                "is not asked for)")
                                     .arg(names.join(QStringLiteral(", "))));
    }
    return SafetyCheck{QStringLiteral("production"), title, SafetyCheck::Outcome::Passed,
                       QStringLiteral("not the server of any production profile (%1 compared by system identifier and "
                                      "port)")
                           .arg(servers.size()),
                       ExitCode::Ok};
}

} // namespace lifeboat
