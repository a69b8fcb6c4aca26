#include "CliJobRunner.h"

#include "CliContext.h"

#include "jobs/JobRunner.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QLocale>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace lifeboat;

namespace {
std::atomic_bool g_interrupted{false};
extern "C" void onSignal(int) {
    g_interrupted.store(true);
}
// Caught rather than SIG_IGN: an ignored disposition would be inherited by pg_dump & co. across exec, a caught
// one is reset to the default there.
extern "C" void onBrokenPipe(int) {}

QString progressLine(const JobProgress &p) {
    const QLocale c = QLocale::c();
    QString s = QStringLiteral("[%1]").arg(p.phase);
    if (p.itemsTotal > 0)
        s += QStringLiteral(" %1/%2 tables").arg(p.itemsDone).arg(p.itemsTotal);
    if (p.bytes > 0)
        s += QStringLiteral(" %1").arg(c.formattedDataSize(p.bytes));
    if (p.bytesPerSecond > 0)
        s += QStringLiteral(" %1/s").arg(c.formattedDataSize(qint64(p.bytesPerSecond)));
    if (p.etaSeconds >= 0)
        s += QStringLiteral(" ETA %1s").arg(p.etaSeconds);
    return s;
}
} // namespace

CliJobRunner::CliJobRunner(CliContext &ctx, bool verbose)
    : m_ctx(ctx)
    , m_verbose(verbose) {}

void CliJobRunner::surviveLostReader() {
    struct sigaction pipeAction {};
    pipeAction.sa_handler = onBrokenPipe;
    sigemptyset(&pipeAction.sa_mask);
    pipeAction.sa_flags = SA_RESTART;
    ::sigaction(SIGPIPE, &pipeAction, nullptr);
}

JobResult CliJobRunner::run(std::unique_ptr<Job> job) {
    // A closed terminal (SIGHUP) is a cancel like Ctrl-C and kill: the job cleans up and the run ends CANCELLED.
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        std::signal(sig, onSignal);
    surviveLostReader(); // main() did already; a job must never run without it
    const bool tty = ::isatty(STDERR_FILENO);
    JobRunner runner(1);
    QEventLoop loop; // the CLI's own main thread: no GUI to freeze
    JobResult result;
    Job *j = runner.submit(std::move(job));
    qint64 lastLine = 0;
    QString lastPhase;
    QObject::connect(j, &Job::progress, &loop, [&](const JobProgress &p) {
        if (m_ctx.json() && !tty)
            return;
        if (tty) {
            m_ctx.err() << '\r' << progressLine(p).leftJustified(78) << Qt::flush;
        } else {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            // A log file gets a line every few seconds, not a flood — and every new step (e.g. the safety backup)
            // at once.
            if (now - lastLine >= 5000 || p.phase != lastPhase) {
                lastLine = now;
                lastPhase = p.phase;
                m_ctx.err() << progressLine(p) << Qt::endl;
            }
        }
    });
    QObject::connect(j, &Job::logLine, &loop, [&](const QString &line) {
        if (m_verbose)
            m_ctx.err() << (tty ? QStringLiteral("\r") : QString()) << line << Qt::endl;
    });
    QObject::connect(&runner, &JobRunner::jobFinished, &loop, [&](Job *, const JobResult &r) {
        result = r;
        loop.quit();
    });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (g_interrupted.load())
            runner.cancelAll();
    });
    poll.start(100);
    loop.exec();
    if (tty)
        m_ctx.err() << '\r' << QString(78, QLatin1Char(' ')) << '\r' << Qt::flush;
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        std::signal(sig, SIG_DFL);
    return result;
}
