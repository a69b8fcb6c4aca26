#include "catalog/Catalog.h"

#include <algorithm>

namespace lifeboat {

namespace {
bool unsupported(QString *error) {
    if (error)
        *error = QStringLiteral("this catalog does not support schedules or notifiers");
    return false;
}
} // namespace

QList<BackupRecord> Catalog::listBySet(const QString &setId) {
    if (setId.isEmpty())
        return {};
    CatalogFilter f;
    f.setId = setId;
    QList<BackupRecord> records = list(f);
    std::reverse(records.begin(), records.end()); // list() is newest first; a set reads in capture order
    return records;
}

QStringList Catalog::setIds(const QString &namePrefix) {
    CatalogFilter f;
    f.inSetsOnly = true;
    QStringList ids;
    for (const BackupRecord &r : list(f)) {
        if (!ids.contains(r.setId) && r.setId.startsWith(namePrefix))
            ids << r.setId;
    }
    return ids;
}

bool Catalog::saveSchedule(ScheduleRecord &, QString *error) {
    return unsupported(error);
}
std::optional<ScheduleRecord> Catalog::schedule(const QString &) {
    return std::nullopt;
}
QList<ScheduleRecord> Catalog::schedules() {
    return {};
}
bool Catalog::removeSchedule(const QString &, QString *error) {
    return unsupported(error);
}
bool Catalog::markScheduleChecked(const QString &, const QDateTime &, const QDateTime &, qint64, const QString &,
                                  QString *error) {
    return unsupported(error);
}
bool Catalog::recordScheduleRun(const QString &, const QDateTime &, qint64, const QString &, QString *error) {
    return unsupported(error);
}
bool Catalog::tryLockSchedule(const QString &, const QString &, int, QString *error) {
    return unsupported(error);
}
void Catalog::unlockSchedule(const QString &, const QString &) {}
qint64 Catalog::acquireLease(qint64, const QString &, int, QString *) {
    return -1; // a catalog without leases: nothing to coordinate with, and nothing to refuse
}
void Catalog::releaseLease(qint64) {}
bool Catalog::renewLease(qint64, int) {
    return true;
}
QList<BackupLease> Catalog::otherLeases(qint64, qint64) {
    return {};
}
bool Catalog::saveNotifier(const NotifierRecord &, QString *error) {
    return unsupported(error);
}
QList<NotifierRecord> Catalog::notifiers() {
    return {};
}
bool Catalog::removeNotifier(const QString &, QString *error) {
    return unsupported(error);
}
bool Catalog::addSigningKey(const SigningKeyRecord &, QString *error) {
    if (error)
        *error = QStringLiteral("this catalog does not keep signing keys");
    return false;
}
bool Catalog::saveBaseBackup(const BaseBackupInfo &, QString *error) {
    if (error)
        *error = QStringLiteral("this catalog does not keep base backup ranges");
    return false;
}
std::optional<BaseBackupInfo> Catalog::baseBackup(qint64) {
    return std::nullopt;
}
QList<SigningKeyRecord> Catalog::signingKeys() {
    return {};
}
bool Catalog::appendAudit(const AuditEntry &, QString *error) {
    if (error)
        *error = QStringLiteral("this catalog does not keep an audit trail");
    return false;
}
QList<AuditEntry> Catalog::auditEntries(const AuditFilter &) {
    return {};
}
int Catalog::auditCount(const AuditFilter &) {
    return 0;
}
bool Catalog::putWalFile(const WalFileRecord &, QString *error) {
    if (error)
        *error = QStringLiteral("this catalog does not record archived WAL");
    return false;
}
QList<WalFileRecord> Catalog::walFiles(const WalFileFilter &) {
    return {};
}
bool Catalog::removeWalFile(const WalFileRecord &, QString *error) {
    if (error)
        *error = QStringLiteral("this catalog does not record archived WAL");
    return false;
}

} // namespace lifeboat
