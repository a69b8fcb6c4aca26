#include "ops/PrometheusTextfile.h"

#include <QSaveFile>

#include <functional>
#include <optional>

namespace lifeboat {

namespace {

struct Family {
    const char *name;
    const char *help;
    std::function<std::optional<double>(const SourceHealth &)> value;
};

double seconds(const QDateTime &t) {
    return double(t.toMSecsSinceEpoch()) / 1000.0;
}

} // namespace

QString PrometheusTextfile::escapeLabel(const QString &value) {
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if (c == QLatin1Char('\\'))
            out += QStringLiteral("\\\\");
        else if (c == QLatin1Char('"'))
            out += QStringLiteral("\\\"");
        else if (c == QLatin1Char('\n'))
            out += QStringLiteral("\\n");
        else
            out += c;
    }
    return out;
}

QByteArray PrometheusTextfile::render(const QList<SourceHealth> &health, const QDateTime &now) {
    const QList<Family> families{
        {"lifeboat_check_status", "State of the source as lifeboatctl check sees it: 0 OK, 1 WARNING, 2 CRITICAL.",
         [](const SourceHealth &h) { return std::optional<double>(int(h.state)); }},
        {"lifeboat_last_success_timestamp_seconds", "When the newest good backup finished (Unix time).",
         [](const SourceHealth &h) {
             return h.newestGood
                        ? std::optional<double>(seconds(h.newestGood->finished.isValid() ? h.newestGood->finished
                                                                                         : h.newestGood->started))
                        : std::nullopt;
         }},
        {"lifeboat_last_success_age_seconds", "Age of the newest good backup.",
         [](const SourceHealth &h) {
             return h.ageSeconds >= 0 ? std::optional<double>(double(h.ageSeconds)) : std::nullopt;
         }},
        {"lifeboat_last_success_size_bytes", "Stored size of the newest good backup.",
         [](const SourceHealth &h) {
             return h.newestGood ? std::optional<double>(double(h.newestGood->size)) : std::nullopt;
         }},
        {"lifeboat_last_success_duration_seconds", "How long the newest good backup took.",
         [](const SourceHealth &h) {
             return h.newestGood ? std::optional<double>(double(h.newestGood->durationMs) / 1000.0) : std::nullopt;
         }},
        {"lifeboat_failures_since_success", "Failed attempts newer than the newest good backup.",
         [](const SourceHealth &h) { return std::optional<double>(h.failuresSinceGood); }},
        {"lifeboat_last_verify_timestamp_seconds", "When a backup of the source was last verified (Unix time).",
         [](const SourceHealth &h) {
             return h.lastVerifiedAt.isValid() ? std::optional<double>(seconds(h.lastVerifiedAt)) : std::nullopt;
         }},
        {"lifeboat_last_verify_passed", "1 when the last verification passed, 0 when it failed.",
         [](const SourceHealth &h) {
             return h.lastVerifiedAt.isValid()
                        ? std::optional<double>(h.lastVerifyOutcome == QLatin1String("PASSED") ? 1 : 0)
                        : std::nullopt;
         }},
        {"lifeboat_warning_threshold_seconds", "Backup age that makes the source WARNING.",
         [](const SourceHealth &h) { return std::optional<double>(double(h.warningSeconds)); }},
        {"lifeboat_critical_threshold_seconds", "Backup age that makes the source CRITICAL.",
         [](const SourceHealth &h) { return std::optional<double>(double(h.criticalSeconds)); }},
        {"lifeboat_wal_capture_lag_seconds",
         "Age of the newest WAL stored for a source under continuous capture (an idle server's WAL ages too).",
         [](const SourceHealth &h) {
             return h.continuous && h.captureLagSeconds >= 0 ? std::optional<double>(double(h.captureLagSeconds))
                                                             : std::nullopt;
         }},
        {"lifeboat_wal_capture_lagging", "1 when capture lags over its limit with WAL pending on the server.",
         [](const SourceHealth &h) {
             return h.continuous ? std::optional<double>(h.captureLagging ? 1 : 0) : std::nullopt;
         }},
        {"lifeboat_wal_missing_segments", "WAL segments missing inside the archived range (a gap).",
         [](const SourceHealth &h) {
             return h.continuous ? std::optional<double>(h.walMissingSegments) : std::nullopt;
         }},
        {"lifeboat_schedule_enabled", "1 when an enabled schedule backs the source up, 0 when all are paused.",
         [](const SourceHealth &h) {
             if (h.schedules.isEmpty() && h.pausedSchedules.isEmpty())
                 return std::optional<double>();
             return std::optional<double>(h.schedules.isEmpty() ? 0 : 1);
         }},
    };
    QByteArray out;
    for (const Family &f : families) {
        out += QByteArray("# HELP ") + f.name + ' ' + f.help + '\n';
        out += QByteArray("# TYPE ") + f.name + " gauge\n";
        for (const SourceHealth &h : health) {
            if (!h.monitored)
                continue;
            const std::optional<double> v = f.value(h);
            if (!v)
                continue;
            out += QStringLiteral("%1{profile=\"%2\",kind=\"%3\"} %4\n")
                       .arg(QLatin1String(f.name), escapeLabel(h.source), escapeLabel(h.kind),
                            QString::number(*v, 'f', (*v == qint64(*v)) ? 0 : 3))
                       .toUtf8();
        }
    }
    out += QByteArray("# HELP lifeboat_check_timestamp_seconds When lifeboatctl check wrote this file.\n"
                      "# TYPE lifeboat_check_timestamp_seconds gauge\n");
    out += QByteArray("lifeboat_check_timestamp_seconds ") + QByteArray::number(now.toSecsSinceEpoch()) + '\n';
    return out;
}

bool PrometheusTextfile::write(const QString &path, const QList<SourceHealth> &health, const QDateTime &now,
                               QString *error) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    const QByteArray text = render(health, now);
    if (f.write(text) != text.size() || !f.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace lifeboat
