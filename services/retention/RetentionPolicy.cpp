#include "retention/RetentionPolicy.h"

namespace lifeboat {

Error RetentionPolicy::applyEnvironment(const QProcessEnvironment &env) {
    struct Var {
        const char *name;
        int RetentionPolicy::*field;
    };
    static const Var vars[] = {{"BACKUP_RETENTION_DAILY", &RetentionPolicy::daily},
                               {"BACKUP_RETENTION_WEEKLY", &RetentionPolicy::weekly},
                               {"BACKUP_RETENTION_MONTHLY", &RetentionPolicy::monthly}};
    RetentionPolicy updated = *this;
    for (const Var &v : vars) {
        const QString name = QLatin1String(v.name);
        const QString value = env.value(name).trimmed();
        if (value.isEmpty())
            continue;
        bool ok = false;
        const int n = value.toInt(&ok);
        if (!ok || n < 0 || n > kMaxCount)
            return {ExitCode::Usage, QStringLiteral("%1='%2' is not a valid count: use a whole number from 0 to %3")
                                         .arg(name, value)
                                         .arg(kMaxCount)};
        updated.*(v.field) = n;
    }
    *this = updated;
    return {};
}

QString RetentionPolicy::describe() const {
    return QStringLiteral("%1 daily, %2 weekly, %3 monthly").arg(daily).arg(weekly).arg(monthly);
}

} // namespace lifeboat
