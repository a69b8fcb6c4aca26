#include "wal/WalReceiver.h"

#include "core/ChildEnvironment.h"
#include "core/ParentDeath.h"
#include "pg/PgPassFile.h"
#include "pg/PgSession.h"
#include "pg/PgToolLocator.h"
#include "pipeline/AtomicFileSink.h"
#include "pipeline/Sha256.h"
#include "wal/WalName.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QThread>

#include <csignal>
#include <limits>

namespace lifeboat {

namespace {
bool sleepUnlessStopped(const std::atomic<bool> *stop, int ms) {
    for (int waited = 0; waited < ms; waited += 100) {
        if (stop->load())
            return false;
        QThread::msleep(100);
    }
    return !stop->load();
}
} // namespace

WalReceiver::WalReceiver(Setup setup)
    : m_setup(std::move(setup)) {}

WalReceiver::~WalReceiver() {
    stopReceiver();
}

QString WalReceiver::defaultSlot(const QString &profile) {
    QString s = QStringLiteral("lifeboat_") + profile.toLower();
    static const QRegularExpression bad(QStringLiteral("[^a-z0-9_]"));
    s.replace(bad, QStringLiteral("_"));
    return s.left(63);
}

bool WalReceiver::prepare(Error *error) {
    QString why;
    if (!AtomicFileSink::makeDirectories(m_setup.spoolDir, &why)) {
        *error = {ExitCode::Usage,
                  QStringLiteral("cannot create the spool directory %1: %2").arg(m_setup.spoolDir, why)};
        return false;
    }
    QFile::setPermissions(m_setup.spoolDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // The tool that matches the server (or the newest when it does not answer yet: the stream is the same).
    PgVersion server;
    {
        PgSession s;
        if (s.connect(m_setup.conninfo, m_setup.password, 10))
            server = s.serverVersion();
    }
    PgToolLocator locator(m_setup.pgToolDir);
    const PgToolLocator::Tool tool = locator.choose(QStringLiteral("pg_receivewal"), server, error);
    if (tool.path.isEmpty()) {
        if (!*error)
            *error = {ExitCode::PgTool, QStringLiteral("pg_receivewal not found: install postgresql-client")};
        return false;
    }
    m_receivewal = tool.path;
    if (!m_setup.password.isEmpty()) {
        // Replication connections match the "replication" database in a password file.
        Conninfo target = m_setup.conninfo;
        target.setValue(QStringLiteral("dbname"), QStringLiteral("replication"));
        m_passFile = std::make_unique<PgPassFile>();
        if (!m_passFile->create(m_setup.password, target)) {
            *error = {ExitCode::Usage, QStringLiteral("cannot write a temporary password file")};
            return false;
        }
    }
    // The slot keeps the server's WAL until it is received: created once, then reused across restarts.
    QProcess create;
    dieWithParent(create);
    create.setProcessEnvironment(
        ChildEnvironment::forPgTool({m_setup.password}, m_passFile ? m_passFile->path() : QString()));
    create.start(m_receivewal, {QStringLiteral("--create-slot"), QStringLiteral("--if-not-exists"),
                                QStringLiteral("--slot"), m_setup.slot, QStringLiteral("--dbname"),
                                m_setup.conninfo.toKeywordString(), QStringLiteral("--no-password")});
    if (!create.waitForFinished(60000) || create.exitStatus() != QProcess::NormalExit || create.exitCode() != 0) {
        const QString out = QString::fromLocal8Bit(create.readAllStandardError()).trimmed();
        QString hint;
        if (out.contains(QLatin1String("no pg_hba.conf entry")))
            hint = QStringLiteral(" — add a line such as `host replication %1 CLIENT_ADDRESS/32 scram-sha-256` to the "
                                  "server's pg_hba.conf and reload it")
                       .arg(m_setup.conninfo.user().isEmpty() ? QStringLiteral("USER") : m_setup.conninfo.user());
        else if (out.contains(QLatin1String("permission denied")) || out.contains(QLatin1String("must be superuser")))
            hint = QStringLiteral(" — grant it: ALTER ROLE \"%1\" WITH REPLICATION;").arg(m_setup.conninfo.user());
        *error = {ExitCode::PgTool,
                  QStringLiteral("cannot create the replication slot %1: %2%3").arg(m_setup.slot, out, hint)};
        return false;
    }
    return true;
}

bool WalReceiver::startReceiver(Error *error) {
    m_process = std::make_unique<QProcess>();
    dieWithParent(*m_process);
    m_process->setProcessEnvironment(
        ChildEnvironment::forPgTool({m_setup.password}, m_passFile ? m_passFile->path() : QString()));
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    // --no-loop: a lost connection ends it, and this loop restarts it with backoff (and says so).
    m_process->start(m_receivewal,
                     {QStringLiteral("--directory"), m_setup.spoolDir, QStringLiteral("--slot"), m_setup.slot,
                      QStringLiteral("--dbname"), m_setup.conninfo.toKeywordString(), QStringLiteral("--no-loop"),
                      QStringLiteral("--no-password"), QStringLiteral("--status-interval"), QStringLiteral("5")});
    if (!m_process->waitForStarted(30000)) {
        *error = {ExitCode::PgTool, QStringLiteral("cannot start %1: %2").arg(m_receivewal, m_process->errorString())};
        m_process.reset();
        return false;
    }
    log(QStringLiteral("receiving WAL of profile %1 through slot %2 into %3")
            .arg(m_setup.profile, m_setup.slot, m_setup.spoolDir));
    return true;
}

void WalReceiver::stopReceiver() {
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        // pg_receivewal ends cleanly on SIGINT: it flushes what it received.
        ::kill(static_cast<pid_t>(m_process->processId()), SIGINT);
        if (!m_process->waitForFinished(30000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    const QString out = QString::fromLocal8Bit(m_process->readAll()).trimmed();
    if (!out.isEmpty())
        log(out);
    m_process.reset();
}

bool WalReceiver::drainSpool(bool final) {
    QDir dir(m_setup.spoolDir);
    QStringList names = dir.entryList(QDir::Files, QDir::Name);
    bool ok = true;
    QString partial;
    for (const QString &name : std::as_const(names)) {
        const auto wal = WalName::parse(name);
        if (!wal)
            continue;
        if (wal->kind == QLatin1String("partial")) {
            partial = name; // the newest sorts last
            continue;
        }
        const WalArchiver::Outcome o = m_setup.archiver->pushFile(dir.filePath(name));
        if (o.error) {
            log(QStringLiteral("storing %1 failed (kept in the spool, retried): %2").arg(name, o.error.message));
            ok = false;
            break; // in order: a later segment waits for the earlier one
        }
        log(QStringLiteral("stored %1 in %2").arg(name, (o.stored + o.already).join(QStringLiteral(", "))));
        QFile::remove(dir.filePath(name));
        m_partialUploaded.remove(name + QStringLiteral(".partial"));
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const bool due =
        final || !m_lastPartialUpload.isValid() || m_lastPartialUpload.secsTo(now) >= m_setup.partialIntervalSeconds;
    if (ok && due && !partial.isEmpty()) {
        QFile f(dir.filePath(partial));
        if (f.open(QIODevice::ReadOnly)) {
            const QByteArray bytes = f.readAll();
            const QByteArray sha = Sha256::hex(bytes);
            if (m_partialUploaded.value(partial) != sha) {
                const auto wal = WalName::parse(partial);
                const WalArchiver::Outcome o = m_setup.archiver->push(*wal, bytes);
                if (o.error) {
                    log(QStringLiteral("uploading the partial %1 failed: %2").arg(partial, o.error.message));
                    ok = false;
                } else {
                    m_partialUploaded.insert(partial, sha);
                    log(QStringLiteral("uploaded the partial %1").arg(partial));
                }
            }
        }
        m_lastPartialUpload = now;
        if (ok && m_process && m_process->state() == QProcess::Running)
            writeStatus(now);
    } else if (due) {
        m_lastPartialUpload = now;
        if (ok && m_process && m_process->state() == QProcess::Running)
            writeStatus(now);
    }
    return ok;
}

void WalReceiver::checkSlot() {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_lastSlotCheck.isValid() && m_lastSlotCheck.secsTo(now) < 60)
        return;
    m_lastSlotCheck = now;
    PgSession s;
    if (!s.connect(m_setup.conninfo, m_setup.password, 5))
        return;
    const QString retained =
        s.scalar(QStringLiteral("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint "
                                "FROM pg_replication_slots WHERE slot_name = $1"),
                 {m_setup.slot});
    const qint64 bytes = retained.toLongLong();
    if (bytes > m_setup.warnRetainedBytes && !m_retentionWarned) {
        log(QStringLiteral("WARNING: slot %1 holds %2 MiB of WAL on the server (limit %3 MiB): the receiver is falling "
                           "behind or was stopped; the server's disk fills until it catches up")
                .arg(m_setup.slot)
                .arg(bytes / (1024 * 1024))
                .arg(m_setup.warnRetainedBytes / (1024 * 1024)));
        m_retentionWarned = true;
    } else if (bytes <= m_setup.warnRetainedBytes) {
        m_retentionWarned = false;
    }
}

void WalReceiver::writeStatus(const QDateTime &currentAt) const {
    const int interval =
        m_setup.partialIntervalSeconds == std::numeric_limits<int>::max() ? 0 : m_setup.partialIntervalSeconds;
    const QByteArray text =
        QJsonDocument(QJsonObject{{QStringLiteral("partialUploadSeconds"), interval},
                                  {QStringLiteral("warnRetainedBytes"), m_setup.warnRetainedBytes},
                                  {QStringLiteral("slot"), m_setup.slot},
                                  {QStringLiteral("currentAt"),
                                   currentAt.isValid() ? currentAt.toUTC().toString(Qt::ISODate) : QString()}})
            .toJson();
    QSaveFile f(statusPath(m_setup.spoolDir));
    // Best effort: a status not written only makes the alerts judge by the defaults or an older confirmation.
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size() || !f.commit())
        log(QStringLiteral("cannot write %1: %2").arg(statusPath(m_setup.spoolDir), f.errorString()));
}

Error WalReceiver::run(const std::atomic<bool> *stop) {
    writeStatus({});
    Error error;
    int backoff = 1;
    while (!stop->load()) {
        if (prepare(&error))
            break;
        log(QStringLiteral("%1; retrying in %2 s").arg(error.message).arg(backoff));
        if (error.code == ExitCode::Usage)
            return error;
        if (!sleepUnlessStopped(stop, backoff * 1000))
            return {};
        backoff = std::min(backoff * 2, 60);
    }
    error = {};
    backoff = 1;
    QDateTime started;
    while (!stop->load()) {
        if (!m_process) {
            Error e;
            if (!startReceiver(&e))
                log(e.message);
            started = QDateTime::currentDateTimeUtc();
        }
        drainSpool(false);
        checkSlot();
        if (m_process && m_process->state() == QProcess::NotRunning) {
            const QString out = QString::fromLocal8Bit(m_process->readAll()).trimmed();
            const int code = m_process->exitCode();
            m_process.reset();
            // A run that lasted a while was a working stream: start over with a short wait.
            if (started.isValid() && started.secsTo(QDateTime::currentDateTimeUtc()) > 60)
                backoff = 1;
            log(QStringLiteral("pg_receivewal ended (exit %1): %2; restarting in %3 s")
                    .arg(code)
                    .arg(out)
                    .arg(backoff));
            if (!sleepUnlessStopped(stop, backoff * 1000))
                break;
            backoff = std::min(backoff * 2, 60);
            continue;
        }
        if (m_process) {
            // Read what it says (errors, timeline switches) so its pipe never fills and stalls it.
            m_process->waitForReadyRead(0);
            const QString said = QString::fromLocal8Bit(m_process->readAll()).trimmed();
            if (!said.isEmpty())
                log(said);
        }
        sleepUnlessStopped(stop, 1000);
    }
    stopReceiver();
    if (!drainSpool(true))
        return {ExitCode::Transfer, QStringLiteral("some WAL could not be stored and stays in %1; the next "
                                                   "`wal receive` stores it")
                                        .arg(m_setup.spoolDir)};
    log(QStringLiteral("stopped; everything received is stored"));
    return {};
}

} // namespace lifeboat
