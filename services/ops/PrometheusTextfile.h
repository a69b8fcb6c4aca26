#pragma once

#include "ops/HealthCheck.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace lifeboat {

// The health check as a node-exporter textfile (text exposition format 0.0.4): one gauge family per figure, one
// sample per source, labelled profile="NAME",kind="KIND". Written atomically (QSaveFile: a temporary file in the
// same directory, renamed over the target), so the collector never reads half a file.
class PrometheusTextfile {
public:
    static QByteArray render(const QList<SourceHealth> &health, const QDateTime &now);
    static bool write(const QString &path, const QList<SourceHealth> &health, const QDateTime &now, QString *error);
    static QString escapeLabel(const QString &value);
};

} // namespace lifeboat
