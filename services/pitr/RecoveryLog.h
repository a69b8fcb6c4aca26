#pragma once

#include "core/ExitCode.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace lifeboat {

struct RecoverPlan;
struct RecoverTarget;

// The server's log during a point-in-time recovery, read as PostgreSQL writes it (lc_messages = 'C', stderr into one
// file; RecoverJob sets both): the WAL segments it restored from the archive, where recovery stopped, the last
// replayed transaction, redo's end, the new timeline, FATAL/PANIC lines, restore_command's own errors (`wal fetch`
// writes "lifeboatctl: …" to the server's stderr) and promotion. Apart from RecoverJob, which runs the server, so
// that what the log means is read in one place, and judged against the target there too.
class RecoveryLog {
public:
    explicit RecoveryLog(QString path);

    // Reads what the server wrote since the last call, whole lines only. `restoredSegment` hears of each segment
    // the server restored from the archive, `note` of the lines worth passing on (where recovery stopped, redo done).
    void poll(const std::function<void(const QString &segment)> &restoredSegment,
              const std::function<void(const QString &line)> &note);

    bool promoted() const { return m_promoted; }
    // Why the server went away before promoting: its FATAL/PANIC lines and what restore_command last said.
    QString whyStopped() const;
    // What replay did, into the job's details: segments replayed, last transaction, stop point, redo end, timeline.
    void describe(QJsonObject *details) const;
    // The recovery against its target. An error when replay went past a time target, or ended short of what the
    // archive holds (restore_command did not deliver a file the plan counted on, so the server promoted early);
    // otherwise `verdict` says where it ended.
    Error judge(const RecoverTarget &target, const RecoverPlan &plan, const QString &dataDir, QString *verdict) const;
    int newTimeline() const { return m_newTimeline; }

    // "2026-12-06 06:55:01.123456+00" (PostgreSQL's log time) -> UTC.
    static QDateTime parsePgTime(QString t);

private:
    void readLine(const QString &line, const std::function<void(const QString &)> &restoredSegment,
                  const std::function<void(const QString &)> &note);

    QString m_path;
    qint64 m_offset = 0;
    QByteArray m_pending;
    QStringList m_fatal;
    QStringList m_fetchErrors; // the last three
    QStringList m_restored;
    QString m_stopping;
    QDateTime m_stoppingTime;
    QDateTime m_lastTxn;
    QString m_redoDone;
    int m_newTimeline = 0;
    bool m_promoted = false;
};

} // namespace lifeboat
