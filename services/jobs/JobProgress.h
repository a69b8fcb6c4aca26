#pragma once

#include "core/ExitCode.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace lifeboat {

struct JobProgress {
    QString phase;          // "connecting", "counting rows", "dumping", "uploading", "finishing", …
    qint64 bytes = 0;       // bytes produced so far
    qint64 bytesTotal = -1; // -1 when unknown
    int itemsDone = 0;      // e.g. tables dumped
    int itemsTotal = 0;
    double bytesPerSecond = 0;
    qint64 etaSeconds = -1; // -1 when unknown
    QString currentItem;
};

struct JobResult {
    Error error;
    qint64 recordId = 0;
    QJsonObject details; // machine-readable outcome (--json)
    bool ok() const { return !error; }
};

} // namespace lifeboat

Q_DECLARE_METATYPE(lifeboat::JobProgress)
Q_DECLARE_METATYPE(lifeboat::JobResult)
