#pragma once

#include "core/ExitCode.h"
#include "pg/Conninfo.h"

#include <QString>

namespace lifeboat {

class PgSession;

// What a server must allow before Lifeboat can take base backups and stream its WAL, checked with the fix spelled
// out: PostgreSQL 13+, a role with REPLICATION (the ALTER ROLE to run), wal_level above minimal and free WAL senders
// (the postgresql.conf setting), no tablespaces outside the data directory, and a pg_hba.conf "replication" line for
// this client (the line to add). Used by BaseBackupJob before anything is written and by the profile editor's
// "Check replication access".
class ReplicationAccess {
public:
    // The result of probe(): ok, or the first refusal (with its fix); the grant and the pg_hba.conf line either way.
    struct Report {
        bool ok = false;
        Error error;
        QString user;
        QString clientAddress; // as the server sees this machine; empty for a Unix-domain socket
        QString serverVersion;
        QString systemIdentifier;
        QString grant;   // ALTER ROLE "user" WITH REPLICATION;
        QString hbaLine; // host replication user 192.0.2.10/32 scram-sha-256
    };

    // Connects normally, then as a replication client (IDENTIFY_SYSTEM), and reports what is missing. Blocks: call it
    // on a worker.
    static Report probe(const Conninfo &info, const QString &password);

    // The server-side checks over an open session; *error names the fix.
    static bool checkServer(PgSession &session, Error *error);
    // The connection pg_basebackup / pg_receivewal will make; *systemIdentifier from IDENTIFY_SYSTEM.
    static bool checkConnection(const QString &conninfo, const QString &password, const QString &user,
                                QString *systemIdentifier, Error *error);
    // The operator's fix for a replication connection the server refused (pg_hba.conf line, ALTER ROLE), or empty.
    static QString replicationHint(const QString &serverMessage, const QString &user);

    static QString grantStatement(const QString &user);
    // clientAddress empty: a Unix-domain socket ("local" line).
    static QString hbaLine(const QString &user, const QString &clientAddress);
};

} // namespace lifeboat
