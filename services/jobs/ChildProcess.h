#pragma once

#include "core/ExitCode.h"
#include "pipeline/ByteSink.h"

#include <QProcess>
#include <QStringList>

#include <atomic>
#include <functional>

namespace lifeboat {

// Runs a child (pg_dump, pg_restore, psql …; its environment from ChildEnvironment) on the calling worker thread and
// pumps its stdout into a sink without an event loop: waitForReadyRead only reads when the pipeline has taken the
// previous chunk, so a slow sink (S3 back-pressure) stalls the child instead of buffering. Cancel is cooperative: the
// flag is polled, then terminate(), then kill() after a grace period.
class ChildProcess {
public:
    using LineHandler = std::function<void(const QString &)>;

    ChildProcess(QString program, QStringList args, QProcessEnvironment env);

    void setStderrHandler(LineHandler h) { m_onStderr = std::move(h); }
    void setCancelFlag(const std::atomic_bool *flag) { m_cancel = flag; }
    void setStdinData(QByteArray data) { m_stdin = std::move(data); }
    void setGraceMs(int ms) { m_graceMs = ms; }
    // Linux: the stdout pipe's capacity (F_SETPIPE_SZ, at most /proc/sys/fs/pipe-max-size, 1 MiB by default) instead
    // of 64 KiB, for children that write fast: each side then blocks and wakes far less often. 0: the default.
    void setStdoutPipeBytes(int bytes) { m_pipeBytes = bytes; }

    // Runs to completion. stdout goes to `sink` (may be null: discarded). Returns false when the child could not
    // start, was cancelled, crashed or exited non-zero; the sink is never finished here (the caller decides).
    bool run(ByteSink *sink);

    int exitCode() const { return m_exitCode; }
    bool wasCancelled() const { return m_cancelled; }
    bool crashed() const { return m_crashed; }
    QString errorText() const { return m_errorText; }
    QStringList stderrTail() const { return m_tail; } // last lines, for error messages
    qint64 pid() const { return m_pid; }

private:
    void drainStderr(QProcess &p, bool final);
    void stop(QProcess &p);

    QString m_program;
    QStringList m_args;
    QProcessEnvironment m_env;
    LineHandler m_onStderr;
    const std::atomic_bool *m_cancel = nullptr;
    QByteArray m_stdin;
    QByteArray m_stderrBuf;
    QStringList m_tail;
    int m_graceMs = 5000;
    int m_pipeBytes = 0;
    int m_exitCode = -1;
    bool m_cancelled = false;
    bool m_crashed = false;
    QString m_errorText;
    qint64 m_pid = 0;
};

} // namespace lifeboat
