#pragma once

#include "pipeline/ByteSink.h"

#include <QProcess>
#include <QStringList>

#include <atomic>
#include <functional>

namespace lifeboat {

// The end of a restore pipeline: a child (pg_restore, psql) whose stdin receives the stream. write() blocks while
// more than a few MiB wait in the pipe, so a slow restore holds back the reader (bounded memory), and keeps
// draining the child's stderr/stdout into line handlers meanwhile (a child blocked on a full stderr pipe would
// never read its stdin). finish() closes stdin and waits for the exit; a non-zero exit is a failure
// (ExitCode::PgTool) whose message the caller builds from the collected lines.
class ProcessStdinSink : public ByteSink {
public:
    using LineHandler = std::function<void(const QString &)>;

    ProcessStdinSink(QString program, QStringList args, QProcessEnvironment env);
    ~ProcessStdinSink() override;

    void setStderrHandler(LineHandler h) { m_onStderr = std::move(h); }
    void setStdoutHandler(LineHandler h) { m_onStdout = std::move(h); }
    void setCancelFlag(const std::atomic_bool *flag) { m_cancel = flag; }
    // A reader such as `pg_restore --list` stops once it has what it needs: its early, successful exit is not
    // an error; write() then returns false with endedEarly() true, and finish() succeeds.
    void setEarlyExitOk(bool ok) { m_earlyExitOk = ok; }

    bool start();
    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

    bool endedEarly() const { return m_endedEarly; }
    int exitCode() const { return m_exitCode; }
    bool cancelled() const { return m_cancelled; }
    QStringList stderrTail() const { return m_tail; }

private:
    bool pump(int waitMs);
    void drain(bool final);
    void drainChannel(QProcess::ProcessChannel ch, QByteArray &buf, const LineHandler &h, bool final);
    bool childGone();

    QString m_program;
    QStringList m_args;
    QProcessEnvironment m_env;
    QProcess m_proc;
    LineHandler m_onStderr;
    LineHandler m_onStdout;
    const std::atomic_bool *m_cancel = nullptr;
    QByteArray m_errBuf;
    QByteArray m_outBuf;
    QStringList m_tail;
    bool m_started = false;
    bool m_earlyExitOk = false;
    bool m_endedEarly = false;
    bool m_cancelled = false;
    int m_exitCode = -1;
};

} // namespace lifeboat
