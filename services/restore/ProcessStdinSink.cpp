#include "restore/ProcessStdinSink.h"

#include "core/ParentDeath.h"

namespace lifeboat {

namespace {
constexpr qint64 kMaxPending = 4 << 20;
}

ProcessStdinSink::ProcessStdinSink(QString program, QStringList args, QProcessEnvironment env)
    : m_program(std::move(program))
    , m_args(std::move(args))
    , m_env(std::move(env)) {}

ProcessStdinSink::~ProcessStdinSink() {
    if (m_proc.state() != QProcess::NotRunning) {
        m_proc.kill();
        m_proc.waitForFinished(5000);
    }
}

bool ProcessStdinSink::start() {
    m_proc.setProcessEnvironment(m_env);
    m_proc.setProgram(m_program);
    m_proc.setArguments(m_args);
    // The sink is started, fed and finished by the one worker thread that owns it (dieWithParent's condition).
    dieWithParent(m_proc);
    m_proc.start(QIODevice::ReadWrite);
    if (!m_proc.waitForStarted(30000))
        return fail(ExitCode::PgTool, QStringLiteral("cannot start %1: %2").arg(m_program, m_proc.errorString()));
    m_started = true;
    return true;
}

void ProcessStdinSink::drainChannel(QProcess::ProcessChannel ch, QByteArray &buf, const LineHandler &h, bool final) {
    m_proc.setReadChannel(ch);
    buf += m_proc.readAll();
    qsizetype nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(buf.left(nl)).trimmed();
        buf.remove(0, nl + 1);
        if (line.isEmpty())
            continue;
        if (ch == QProcess::StandardError) {
            m_tail << line;
            if (m_tail.size() > 40)
                m_tail.removeFirst();
        }
        if (h)
            h(line);
    }
    if (final && !buf.trimmed().isEmpty()) {
        const QString line = QString::fromUtf8(buf).trimmed();
        buf.clear();
        if (ch == QProcess::StandardError)
            m_tail << line;
        if (h)
            h(line);
    }
}

void ProcessStdinSink::drain(bool final) {
    drainChannel(QProcess::StandardError, m_errBuf, m_onStderr, final);
    drainChannel(QProcess::StandardOutput, m_outBuf, m_onStdout, final);
}

bool ProcessStdinSink::childGone() {
    if (m_proc.state() != QProcess::NotRunning)
        return false;
    drain(true);
    m_exitCode = m_proc.exitStatus() == QProcess::NormalExit ? m_proc.exitCode() : -1;
    return true;
}

bool ProcessStdinSink::pump(int waitMs) {
    if (m_cancel && m_cancel->load()) {
        m_cancelled = true;
        abort();
        return fail(ExitCode::Cancelled, QStringLiteral("cancelled"));
    }
    // waitForBytesWritten services every pipe of the child, so stderr keeps flowing while stdin drains.
    m_proc.waitForBytesWritten(waitMs);
    drain(false);
    if (childGone()) {
        if (m_earlyExitOk && m_exitCode == 0) {
            m_endedEarly = true;
            return false;
        }
        return fail(ExitCode::PgTool,
                    QStringLiteral("%1 stopped reading its input (exit code %2)").arg(m_program).arg(m_exitCode));
    }
    return true;
}

bool ProcessStdinSink::write(QByteArrayView data) {
    if (!m_started || error())
        return false;
    if (m_endedEarly)
        return false;
    if (m_proc.state() == QProcess::NotRunning) {
        childGone();
        if (m_earlyExitOk && m_exitCode == 0) {
            m_endedEarly = true;
            return false;
        }
        return fail(ExitCode::PgTool,
                    QStringLiteral("%1 stopped reading its input (exit code %2)").arg(m_program).arg(m_exitCode));
    }
    m_proc.write(data.data(), data.size());
    while (m_proc.bytesToWrite() > kMaxPending) {
        if (!pump(100))
            return false;
    }
    drain(false);
    return true;
}

bool ProcessStdinSink::finish() {
    if (!m_started)
        return fail(ExitCode::PgTool, QStringLiteral("%1 was not started").arg(m_program));
    if (error())
        return false;
    if (!m_endedEarly) {
        while (m_proc.bytesToWrite() > 0 && m_proc.state() != QProcess::NotRunning) {
            if (!pump(100))
                return m_endedEarly;
        }
        m_proc.closeWriteChannel();
        while (m_proc.state() != QProcess::NotRunning) {
            if (m_cancel && m_cancel->load()) {
                m_cancelled = true;
                abort();
                return fail(ExitCode::Cancelled, QStringLiteral("cancelled"));
            }
            m_proc.waitForFinished(100);
            drain(false);
        }
        childGone();
    }
    if (m_exitCode != 0)
        return fail(ExitCode::PgTool, m_exitCode < 0
                                          ? QStringLiteral("%1 was killed or crashed").arg(m_program)
                                          : QStringLiteral("%1 exited with code %2").arg(m_program).arg(m_exitCode));
    return true;
}

void ProcessStdinSink::abort() {
    if (m_proc.state() == QProcess::NotRunning)
        return;
    m_proc.terminate();
    if (!m_proc.waitForFinished(5000)) {
        m_proc.kill();
        m_proc.waitForFinished(5000);
    }
    drain(true);
}

} // namespace lifeboat
