#pragma once

#include "catalog/BackupRecord.h"

#include <QJsonObject>

namespace lifeboat {

// The catalog record as JSON, for `--json` output and reports.
class RecordJson {
public:
    static QJsonObject toJson(const BackupRecord &r);
};

} // namespace lifeboat
