#include "pitr/RecoveryLog.h"

#include "pitr/RecoverPlan.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>

namespace lifeboat {

RecoveryLog::RecoveryLog(QString path)
    : m_path(std::move(path)) {}

QDateTime RecoveryLog::parsePgTime(QString t) {
    t = t.trimmed();
    static const QRegularExpression zone(QStringLiteral(R"(([+-]\d{2})$)"));
    const auto m = zone.match(t);
    if (m.hasMatch())
        t = t.left(m.capturedStart(1)) + m.captured(1) + QStringLiteral(":00");
    t.replace(QLatin1Char(' '), QLatin1Char('T'));
    // Qt reads milliseconds only: cut microseconds to three digits.
    static const QRegularExpression micro(QStringLiteral(R"((\.\d{3})\d+)"));
    t.replace(micro, QStringLiteral("\\1"));
    return QDateTime::fromString(t, Qt::ISODateWithMs).toUTC();
}

void RecoveryLog::poll(const std::function<void(const QString &)> &restoredSegment,
                       const std::function<void(const QString &)> &note) {
    QFile logFile(m_path);
    if (logFile.open(QIODevice::ReadOnly)) {
        logFile.seek(m_offset);
        m_pending += logFile.readAll();
        m_offset = logFile.pos();
        logFile.close();
    }
    qsizetype nl;
    while ((nl = m_pending.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_pending.left(nl));
        m_pending.remove(0, nl + 1);
        readLine(line, restoredSegment, note);
    }
}

void RecoveryLog::readLine(const QString &line, const std::function<void(const QString &)> &restoredSegment,
                           const std::function<void(const QString &)> &note) {
    static const QRegularExpression restoredRe(QStringLiteral(R"re(restored log file "([^"]+)" from archive)re"));
    static const QRegularExpression stoppingRe(
        QStringLiteral(R"(recovery stopping (before|after) (.*?)(?:, time (.+))?$)"));
    static const QRegularExpression lastTxnRe(QStringLiteral(R"(last completed transaction was at log time (.+)$)"));
    static const QRegularExpression timelineRe(QStringLiteral(R"(selected new timeline ID: (\d+))"));
    static const QRegularExpression redoDoneRe(QStringLiteral(R"(redo done at ([0-9A-F]+/[0-9A-F]+))"));
    if (const auto m = restoredRe.match(line); m.hasMatch()) {
        m_restored << m.captured(1);
        restoredSegment(m.captured(1));
    } else if (const auto s = stoppingRe.match(line); s.hasMatch()) {
        m_stopping = s.captured(1) + QLatin1Char(' ') + s.captured(2);
        m_stoppingTime = parsePgTime(s.captured(3));
        note(line.trimmed());
    } else if (const auto l = lastTxnRe.match(line); l.hasMatch()) {
        m_lastTxn = parsePgTime(l.captured(1));
    } else if (const auto t = timelineRe.match(line); t.hasMatch()) {
        m_newTimeline = t.captured(1).toInt();
    } else if (const auto r = redoDoneRe.match(line); r.hasMatch()) {
        m_redoDone = r.captured(1);
        note(QStringLiteral("redo done at %1").arg(m_redoDone));
    } else if (line.contains(QLatin1String("FATAL:")) || line.contains(QLatin1String("PANIC:"))) {
        m_fatal << line.trimmed();
    } else if (line.startsWith(QLatin1String("lifeboatctl:"))) {
        // restore_command's own stderr (wal fetch): why a fetch failed, for the message when the server stops.
        m_fetchErrors << line.trimmed();
        if (m_fetchErrors.size() > 3)
            m_fetchErrors.removeFirst();
    } else if (line.contains(QLatin1String("database system is ready to accept connections"))) {
        m_promoted = true;
    }
}

QString RecoveryLog::whyStopped() const {
    QString why = m_fatal.isEmpty() ? QStringLiteral("see its log") : m_fatal.join(QStringLiteral("; "));
    if (!m_fetchErrors.isEmpty())
        why += QStringLiteral(" — restore_command said: ") + m_fetchErrors.join(QStringLiteral("; "));
    return why;
}

void RecoveryLog::describe(QJsonObject *details) const {
    (*details)[QStringLiteral("segmentsReplayed")] = QJsonArray::fromStringList(m_restored);
    if (m_lastTxn.isValid())
        (*details)[QStringLiteral("lastTransaction")] = m_lastTxn.toString(Qt::ISODateWithMs);
    if (!m_stopping.isEmpty())
        (*details)[QStringLiteral("stoppedAt")] = m_stopping;
    if (!m_redoDone.isEmpty())
        (*details)[QStringLiteral("redoDone")] = m_redoDone;
    if (m_newTimeline > 0)
        (*details)[QStringLiteral("timeline")] = m_newTimeline;
}

Error RecoveryLog::judge(const RecoverTarget &target, const RecoverPlan &plan, const QString &dataDir,
                         QString *verdict) const {
    Error outcome;
    if (target.kind == RecoverTarget::Kind::Time) {
        if (m_lastTxn.isValid() && m_lastTxn > target.time)
            outcome = {ExitCode::Integrity,
                       QStringLiteral("the last replayed transaction (%1) is after the target "
                                      "(%2)")
                           .arg(m_lastTxn.toString(Qt::ISODateWithMs), target.time.toString(Qt::ISODateWithMs))};
        else if (m_lastTxn.isValid())
            *verdict = QStringLiteral("last replayed transaction %1, %2 s before the target %3")
                           .arg(m_lastTxn.toString(Qt::ISODateWithMs))
                           .arg(double(m_lastTxn.msecsTo(target.time)) / 1000.0, 0, 'f', 3)
                           .arg(target.time.toString(Qt::ISODateWithMs));
        else
            *verdict = QStringLiteral("no transaction replayed after the base backup (target %1)")
                           .arg(target.time.toString(Qt::ISODateWithMs));
    } else if (const bool toEnd =
                   target.kind == RecoverTarget::Kind::Latest ||
                   ((target.kind == RecoverTarget::Kind::Xid || target.kind == RecoverTarget::Kind::Name) &&
                    m_stopping.isEmpty());
               toEnd && !plan.replayShortfall(m_redoDone, m_restored).isEmpty()) {
        // restore_command said "not archived" for a file the plan counted on: the server promoted early.
        outcome = {ExitCode::Integrity,
                   QStringLiteral("recovery ended early: %1 — a WAL file the archive holds was not delivered (see "
                                  "restore_command's lines in %2). %3 holds a server promoted at that earlier point "
                                  "(stopped); remove it and run recover again once the archive is reachable")
                       .arg(plan.replayShortfall(m_redoDone, m_restored), m_path, dataDir)};
    } else {
        *verdict = m_lastTxn.isValid() ? QStringLiteral("last replayed transaction %1 (target: %2)")
                                             .arg(m_lastTxn.toString(Qt::ISODateWithMs), target.describe())
                                       : QStringLiteral("no transaction replayed after the base backup");
    }
    return outcome;
}

} // namespace lifeboat
