#pragma once

#include "core/ExitCode.h"

#include <QProcessEnvironment>
#include <QString>

namespace lifeboat {

// How many scheduled backups of each promotion level a source keeps (grandfather-father-son). Counts, not
// periods: "7 daily" keeps the 7 newest successful backups flagged daily, wherever they fall.
class RetentionPolicy {
public:
    int daily = 7;
    int weekly = 4;
    int monthly = 12;

    static constexpr int kMaxCount = 100000;

    // Overrides from BACKUP_RETENTION_DAILY / _WEEKLY / _MONTHLY. Unset or empty variables leave a value alone;
    // anything but an integer from 0 to kMaxCount is a usage error naming the variable, and then nothing changes.
    Error applyEnvironment(const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

    // "7 daily, 4 weekly, 12 monthly"
    QString describe() const;

    bool operator==(const RetentionPolicy &) const = default;
};

} // namespace lifeboat
