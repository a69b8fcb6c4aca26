#pragma once

#include <QDateTime>
#include <QString>

namespace lifeboat {

// One row of the audit trail (catalog table audit_log, append-only): who did what to which target, from where, and
// how it ended. Never holds a secret: targets are names and ids, details say what changed, not to what.
struct AuditEntry {
    qint64 id = 0;
    QDateTime at;
    QString osUser;  // the operating-system account that ran the program
    QString host;    // machine host name
    QString program; // cli | desktop
    QString action;  // backup | restore | verify | download | presign | delete | prune | profile.add | …
    QString target;  // profile, source, storage, schedule, notifier or secret name
    QString outcome; // completed | failed | cancelled | ok | refused …
    qint64 backupId = 0;
    QString detail;
};

// Which rows to read, newest first. `action` matches exactly or as a prefix before a dot ("profile" matches
// "profile.change"); `text` is a case-insensitive substring of target or detail.
struct AuditFilter {
    QDateTime since;
    QString user;
    QString action;
    QString text;
    int limit = -1;
    int offset = 0;
};

} // namespace lifeboat
