// SqlCatalog: the audit trail (audit_log). Rows are only ever inserted; on SQLite the migration's triggers refuse
// UPDATE and DELETE, on a PostgreSQL team catalog the grants do (docs/security.md).
#include "catalog/SqlCatalog.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace lifeboat {

namespace {
// WHERE clause and its values for a filter.
QString whereOf(const AuditFilter &f, QVariantList *values) {
    QStringList parts;
    if (f.since.isValid()) {
        parts << QStringLiteral("at >= ?");
        *values << f.since.toUTC().toString(Qt::ISODateWithMs);
    }
    if (!f.user.isEmpty()) {
        parts << QStringLiteral("os_user = ?");
        *values << f.user;
    }
    if (!f.action.isEmpty()) {
        parts << QStringLiteral("(action = ? OR action LIKE ?)");
        *values << f.action << f.action + QStringLiteral(".%");
    }
    if (!f.text.isEmpty()) {
        parts << QStringLiteral("(LOWER(target) LIKE ? OR LOWER(detail) LIKE ? OR LOWER(action) LIKE ?)");
        const QString like = QLatin1Char('%') + f.text.toLower() + QLatin1Char('%');
        *values << like << like << like;
    }
    return parts.isEmpty() ? QString() : QStringLiteral(" WHERE ") + parts.join(QStringLiteral(" AND "));
}
} // namespace

bool SqlCatalog::appendAudit(const AuditEntry &e, QString *error) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    q.prepare(QStringLiteral("INSERT INTO audit_log (at, os_user, host, program, action, target, outcome, backup_id, "
                             "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue((e.at.isValid() ? e.at : QDateTime::currentDateTimeUtc()).toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(e.osUser);
    q.addBindValue(e.host);
    q.addBindValue(e.program);
    q.addBindValue(e.action);
    q.addBindValue(e.target);
    q.addBindValue(e.outcome);
    q.addBindValue(e.backupId > 0 ? QVariant(e.backupId) : QVariant(QMetaType(QMetaType::LongLong)));
    q.addBindValue(e.detail);
    if (!q.exec()) {
        if (error)
            *error = QStringLiteral("catalog: writing the audit trail: %1").arg(q.lastError().text());
        return false;
    }
    return true;
}

QList<AuditEntry> SqlCatalog::auditEntries(const AuditFilter &f) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    QVariantList values;
    QString sql = QStringLiteral("SELECT id, at, os_user, host, program, action, target, outcome, backup_id, detail "
                                 "FROM audit_log") +
                  whereOf(f, &values) + QStringLiteral(" ORDER BY id DESC");
    if (f.limit >= 0)
        sql += QStringLiteral(" LIMIT %1 OFFSET %2").arg(f.limit).arg(qMax(0, f.offset));
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    QList<AuditEntry> out;
    if (!q.exec())
        return out;
    while (q.next()) {
        AuditEntry e;
        e.id = q.value(0).toLongLong();
        e.at = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs).toUTC();
        e.osUser = q.value(2).toString();
        e.host = q.value(3).toString();
        e.program = q.value(4).toString();
        e.action = q.value(5).toString();
        e.target = q.value(6).toString();
        e.outcome = q.value(7).toString();
        e.backupId = q.value(8).toLongLong();
        e.detail = q.value(9).toString();
        out << e;
    }
    return out;
}

int SqlCatalog::auditCount(const AuditFilter &f) {
    QSqlDatabase d = db();
    QSqlQuery q(d);
    QVariantList values;
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM audit_log") + whereOf(f, &values));
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec() || !q.next())
        return 0;
    return q.value(0).toInt();
}

} // namespace lifeboat
