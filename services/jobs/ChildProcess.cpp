#include "jobs/ChildProcess.h"

#include "core/ParentDeath.h"

#if defined(Q_OS_LINUX)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace lifeboat {

ChildProcess::ChildProcess(QString program, QStringList args, QProcessEnvironment env)
    : m_program(std::move(program))
    , m_args(std::move(args))
    , m_env(std::move(env)) {}

void ChildProcess::drainStderr(QProcess &p, bool final) {
    m_stderrBuf += p.readAllStandardError();
    int nl;
    while ((nl = m_stderrBuf.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_stderrBuf.left(nl)).trimmed();
        m_stderrBuf.remove(0, nl + 1);
        if (line.isEmpty())
            continue;
        m_tail << line;
        if (m_tail.size() > 20)
            m_tail.removeFirst();
        if (m_onStderr)
            m_onStderr(line);
    }
    if (final && !m_stderrBuf.trimmed().isEmpty()) {
        const QString line = QString::fromUtf8(m_stderrBuf).trimmed();
        m_stderrBuf.clear();
        m_tail << line;
        if (m_onStderr)
            m_onStderr(line);
    }
}

void ChildProcess::stop(QProcess &p) {
    p.terminate();
    if (!p.waitForFinished(m_graceMs)) {
        p.kill();
        p.waitForFinished(5000);
    }
}

bool ChildProcess::run(ByteSink *sink) {
    QProcess p;
    p.setProcessEnvironment(m_env);
    p.setProgram(m_program);
    p.setArguments(m_args);
    p.setReadChannel(QProcess::StandardOutput);
    dieWithParent(p); // started and waited for on this thread, as dieWithParent requires
#if defined(Q_OS_LINUX)
    if (m_pipeBytes > 0) {
        // Set in the child once its stdout is the pipe (a pipe's size is shared by both ends); only
        // async-signal-safe calls here. A refusal (above pipe-max-size) leaves the default.
        const auto parentDeath = p.childProcessModifier();
        const int bytes = m_pipeBytes;
        p.setChildProcessModifier([parentDeath, bytes] {
            if (parentDeath)
                parentDeath();
            ::fcntl(STDOUT_FILENO, F_SETPIPE_SZ, bytes);
        });
    }
#endif
    p.start(QIODevice::ReadWrite);
    if (!p.waitForStarted(30000)) {
        m_errorText = QStringLiteral("cannot start %1: %2").arg(m_program, p.errorString());
        return false;
    }
    m_pid = p.processId();
    if (!m_stdin.isEmpty())
        p.write(m_stdin);
    p.closeWriteChannel();

    // One buffer for every read: no allocation per chunk.
    QByteArray chunk(1 << 20, Qt::Uninitialized);
    const auto readChunk = [&] {
        const qint64 n = p.read(chunk.data(), chunk.size());
        return QByteArrayView(chunk.constData(), n > 0 ? n : 0);
    };
    bool sinkFailed = false;
    while (true) {
        if (m_cancel && m_cancel->load()) {
            m_cancelled = true;
            stop(p);
            drainStderr(p, true);
            return false;
        }
        const bool ready = p.waitForReadyRead(100);
        drainStderr(p, false);
        if (ready || p.bytesAvailable() > 0) {
            const QByteArrayView data = readChunk();
            if (!data.isEmpty() && sink && !sinkFailed && !sink->write(data)) {
                // The destination failed (disk full, upload refused): stop the child rather than let it run on.
                sinkFailed = true;
                m_errorText = sink->error().message;
                stop(p);
                drainStderr(p, true);
                return false;
            }
            continue;
        }
        if (p.state() == QProcess::NotRunning)
            break;
    }
    // Anything left after exit.
    while (p.bytesAvailable() > 0) {
        const QByteArrayView data = readChunk();
        if (sink && !sink->write(data)) {
            m_errorText = sink->error().message;
            return false;
        }
    }
    drainStderr(p, true);
    m_crashed = p.exitStatus() != QProcess::NormalExit;
    m_exitCode = p.exitCode();
    if (m_crashed) {
        m_errorText = QStringLiteral("%1 was killed or crashed").arg(m_program);
        return false;
    }
    if (m_exitCode != 0) {
        m_errorText = QStringLiteral("%1 exited with code %2").arg(m_program).arg(m_exitCode);
        return false;
    }
    return true;
}

} // namespace lifeboat
