#include "pitr/RecoverJob.h"

#include "pitr/RecoveryLog.h"
#include "pitr/RecoverySettings.h"

#include "catalog/LeaseGuard.h"
#include "core/ChildEnvironment.h"
#include "core/ScratchName.h"
#include "files/FilesExtractor.h"
#include "jobs/ManifestVerifier.h"
#include "pg/PgToolLocator.h"
#include "restore/RestoreSource.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <ftw.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lifeboat {

namespace {
uid_t g_chownUid = 0;
gid_t g_chownGid = 0;
int chownEntry(const char *path, const struct stat *, int, struct FTW *) {
    return lchown(path, g_chownUid, g_chownGid) == 0 ? 0 : -1;
}
// Everything below `path` to the postgres user (root only; nftw is not re-entrant, jobs run one recover at a time).
bool chownTree(const QString &path, uid_t uid, gid_t gid) {
    g_chownUid = uid;
    g_chownGid = gid;
    return nftw(QFile::encodeName(path).constData(), chownEntry, 32, FTW_PHYS) == 0;
}

bool absentOrEmpty(const QString &dir) {
    const QFileInfo fi(dir);
    if (!fi.exists())
        return true;
    return fi.isDir() &&
           QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System).isEmpty();
}

qint64 postmasterPid(const QString &dataDir) {
    QFile f(dataDir + QStringLiteral("/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readLine().trimmed().toLongLong();
}

bool alive(qint64 pid) {
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}
} // namespace

RecoverJob::RecoverJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {
    m_asPostgres = ::geteuid() == 0;
}

RecoverJob::~RecoverJob() = default;

QString RecoverJob::title() const {
    return QStringLiteral("Recovery of %1").arg(m_req.profile.name);
}

bool RecoverJob::portInUse(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(quint16(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool used = ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 && errno == EADDRINUSE;
    ::close(fd);
    return used;
}

QString RecoverJob::shellQuote(const QString &s) {
    QString q = s;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

QString RecoverJob::walFetchCommand() const {
    QStringList words{shellQuote(m_req.ctlPath), QStringLiteral("--home"), shellQuote(m_req.home)};
    if (!m_req.catalogUri.isEmpty())
        words << QStringLiteral("--catalog") << shellQuote(m_req.catalogUri);
    words << QStringLiteral("wal") << QStringLiteral("fetch") << shellQuote(m_req.profile.name)
          << QStringLiteral("\"%f\"") << QStringLiteral("\"%p\"") << QStringLiteral("--partial")
          << QStringLiteral("--fatal-errors");
    for (const QString &a : m_req.identityArgs)
        words << (a.startsWith(QLatin1String("--")) ? a : shellQuote(a));
    return words.join(QLatin1Char(' '));
}

QStringList RecoverJob::asOwner(const QString &program, const QStringList &args) const {
    if (!m_asPostgres)
        return QStringList{program} + args;
    return QStringList{QStringLiteral("runuser"), QStringLiteral("-u"), QStringLiteral("postgres"),
                       QStringLiteral("--"), program} +
           args;
}

bool RecoverJob::runTool(const QString &program, const QStringList &args, const QString &what, Error *error,
                         QString *output, const QProcessEnvironment *env) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setProcessEnvironment(env ? *env : m_asPostgres ? ChildEnvironment::minimal() : ChildEnvironment::forPgTool({}));
    p.start(program, args);
    if (!p.waitForStarted(10000)) {
        *error = {ExitCode::PgTool, QStringLiteral("%1: cannot start %2: %3").arg(what, program, p.errorString())};
        return false;
    }
    p.closeWriteChannel();
    p.waitForFinished(-1);
    const QString out = QString::fromLocal8Bit(p.readAll()).trimmed();
    if (output)
        *output = out;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = {ExitCode::PgTool, QStringLiteral("%1 failed: %2").arg(what, out.right(2000))};
        return false;
    }
    return true;
}

JobResult RecoverJob::done(const Error &e, QJsonObject details) {
    details[QStringLiteral("ok")] = !e;
    if (e) {
        details[QStringLiteral("error")] = e.message;
        log(e.message);
    }
    JobProgress p;
    p.phase = e ? QStringLiteral("failed") : QStringLiteral("done");
    reportProgress(p, true);
    return {e, 0, details};
}

bool RecoverJob::extract(const RecoverPlan &plan, const QString &target, const QString &verifyBin, LeaseGuard *leaseOut,
                         Error *error) {
    auto source = RestoreSource::open(QString::number(plan.base.record.id), m_req.catalog.get(), m_req.storages, error);
    if (!source)
        return false;
    source->setIdentities(m_req.identities);
    source->setCancelFlag(cancelFlag());
    source->setSecretLookup(m_req.secretFor);
    // Delete/prune leave the backup alone while it is read, and its WAL while replay reads that (the caller keeps the
    // lease until the end).
    LeaseGuard &lease = *leaseOut;
    if (const Error e =
            LeaseGuard::acquire(m_req.catalog.get(), plan.base.record.id, QStringLiteral("recover"), &lease)) {
        *error = e;
        return false;
    }
    JobProgress progress;
    progress.phase = QStringLiteral("fetching the base backup");
    progress.bytesTotal = source->size();
    reportProgress(progress, true);
    // One copy, the bytes that were hashed: fetched into private scratch with its SHA-256 checked on the way; the
    // extraction reads that copy and nothing else.
    QTemporaryDir scratch(ScratchName::templatePath(QStringLiteral("recover")));
    if (!scratch.isValid()) {
        *error = {ExitCode::Usage,
                  QStringLiteral("cannot create a scratch directory in %1 (set TMPDIR)").arg(QDir::tempPath())};
        return false;
    }
    if (source->needsFetch() && !source->fetchVerified(scratch.path(), error))
        return false;
    for (const QString &s : source->copyUsed().skipped)
        log(QStringLiteral("copy passed over: ") + s);
    if (source->copyUsed().valid())
        log(source->copyDescription());
    if (!source->verifyIntegrity(error))
        return false;
    lease.renewIfDue();

    // Extracted into a private directory beside the target (same file system), moved into place when complete.
    const QFileInfo t(target);
    QTemporaryDir staging(t.absolutePath() + QStringLiteral("/.lifeboat-recover-XXXXXX"));
    if (!staging.isValid()) {
        *error = {ExitCode::Usage, QStringLiteral("cannot create a private directory in %1").arg(t.absolutePath())};
        return false;
    }
    const QString data = staging.path() + QStringLiteral("/data");
    if (!QDir().mkdir(data) ||
        !QFile::setPermissions(data, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)) {
        *error = {ExitCode::Usage, QStringLiteral("cannot create %1").arg(data)};
        return false;
    }
    progress.phase = QStringLiteral("extracting");
    progress.bytesTotal = -1;
    reportProgress(progress, true);
    FilesExtractor::Options xo;
    xo.destDir = data;
    xo.cancel = cancelFlag();
    xo.log = [this](const QString &l) { log(l); };
    xo.progress = [&lease](qint64) { lease.renewIfDue(); };
    FilesExtractor extractor(xo);
    if (!extractor.runFrom(*source)) {
        *error = isCancelled() ? Error{ExitCode::Cancelled, QStringLiteral("cancelled")} : extractor.error();
        return false;
    }
    QFile version(data + QStringLiteral("/PG_VERSION"));
    if (!version.open(QIODevice::ReadOnly) || version.readAll().trimmed().toInt() != plan.base.info.pgMajor) {
        *error = {ExitCode::Integrity, QStringLiteral("%1 holds no PostgreSQL %2 data directory (PG_VERSION)")
                                           .arg(source->displayName())
                                           .arg(plan.base.info.pgMajor)};
        return false;
    }
    log(QStringLiteral("extracted %1 files (%2 bytes)")
            .arg(extractor.result().fileCount)
            .arg(extractor.result().totalBytes));
    // Checked where it was extracted: a backup that fails never reaches DIR.
    progress.phase = QStringLiteral("pg_verifybackup");
    reportProgress(progress, true);
    QString verifyOut;
    if (!runTool(verifyBin, {data}, QStringLiteral("pg_verifybackup"), error, &verifyOut)) {
        error->code = ExitCode::Integrity;
        error->message += QStringLiteral(" — nothing was written to %1").arg(target);
        return false;
    }
    log(verifyOut);
    if (QFileInfo::exists(target) && !QDir().rmdir(target)) {
        *error = {ExitCode::Usage, QStringLiteral("cannot replace the empty directory %1").arg(target)};
        return false;
    }
    if (::rename(QFile::encodeName(data).constData(), QFile::encodeName(target).constData()) != 0) {
        *error = {ExitCode::Usage, QStringLiteral("cannot move the data directory into place at %1: %2")
                                       .arg(target, QString::fromLocal8Bit(strerror(errno)))};
        return false;
    }
    return true;
}

bool RecoverJob::prefetch(const RecoverPlan &plan, const QString &spool, Error *error) {
    QStringList names = plan.histories + plan.archive;
    const QString partial = plan.endPartial;
    JobProgress progress;
    progress.phase = QStringLiteral("fetching archived WAL");
    const int total = int(names.size() + (partial.isEmpty() ? 0 : 1));
    for (int i = 0; i <= names.size(); ++i) {
        const bool isPartial = i == names.size();
        if (isPartial && partial.isEmpty())
            break;
        if (isCancelled()) {
            *error = {ExitCode::Cancelled, QStringLiteral("cancelled")};
            return false;
        }
        const QString name = isPartial ? partial : names.at(i);
        QStringList args{QStringLiteral("--home"), m_req.home};
        if (!m_req.catalogUri.isEmpty())
            args << QStringLiteral("--catalog") << m_req.catalogUri;
        args << QStringLiteral("wal") << QStringLiteral("fetch") << m_req.profile.name << name
             << spool + QLatin1Char('/') + name;
        if (isPartial)
            args << QStringLiteral("--partial");
        args << m_req.identityArgs;
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(m_req.ctlPath, args);
        p.waitForFinished(-1);
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            *error = {p.exitCode() == 4 ? ExitCode::Integrity : ExitCode::Transfer,
                      QStringLiteral("cannot fetch archived WAL %1: %2")
                          .arg(name, QString::fromLocal8Bit(p.readAll()).trimmed().right(1000))};
            return false;
        }
        progress.phase = QStringLiteral("fetched archived WAL %1 (%2 of %3)").arg(name).arg(i + 1).arg(total);
        reportProgress(progress, true);
    }
    log(QStringLiteral("fetched %1 archived WAL file(s) into %2").arg(total).arg(spool));
    return true;
}

JobResult RecoverJob::execute() {
    JobProgress progress;
    progress.phase = QStringLiteral("planning");
    reportProgress(progress, true);
    QJsonObject details{{QStringLiteral("profile"), m_req.profile.name},
                        {QStringLiteral("target"), m_req.target.describe()},
                        {QStringLiteral("dataDir"), m_req.dataDir},
                        {QStringLiteral("port"), m_req.port}};
    if (!m_req.catalog)
        return done({ExitCode::Usage, QStringLiteral("recover needs the catalog")}, details);

    // 1. The plan and every refusal, before anything is written.
    QList<BaseBackupEntry> bases;
    CatalogFilter f;
    f.profile = m_req.profile.name;
    f.kind = QStringLiteral("base");
    f.status = BackupRecord::statusCompleted();
    for (const BackupRecord &r : m_req.catalog->list(f)) {
        if (const auto info = m_req.catalog->baseBackup(r.id))
            bases.append({r, *info});
    }
    WalFileFilter wf;
    wf.profile = m_req.profile.name;
    const RecoverPlan plan = RecoverPlan::make(bases, m_req.catalog->walFiles(wf), m_req.target);
    details[QStringLiteral("plan")] = plan.toJson();
    if (plan.refusal)
        return done(plan.refusal, details);
    log(QStringLiteral("base backup #%1 (%2), consistent at %3 on timeline %4, ended %5")
            .arg(plan.base.record.id)
            .arg(plan.base.record.filename, plan.base.info.stopLsn)
            .arg(plan.base.info.timeline)
            .arg(plan.base.info.stopTime.toString(Qt::ISODate)));
    log(QStringLiteral("archived WAL replay will read: %1 segment(s)%2%3; %4")
            .arg(plan.segments.size())
            .arg(plan.segments.isEmpty()
                     ? QString()
                     : QStringLiteral(" (%1 … %2)").arg(plan.segments.first(), plan.segments.last()))
            .arg(plan.partial.isEmpty() ? QString()
                                        : QStringLiteral(", then the partial upload of %1").arg(plan.partial))
            .arg(plan.windowText()));

    const QString target = QFileInfo(m_req.dataDir).absoluteFilePath();
    if (!absentOrEmpty(target))
        return done({ExitCode::Refused, QStringLiteral("the data directory %1 is not empty — give an absent or empty "
                                                       "directory; nothing was written")
                                            .arg(target)},
                    details);
    if (!QFileInfo(QFileInfo(target).absolutePath()).isDir())
        return done({ExitCode::Usage, QStringLiteral("the parent directory of %1 does not exist").arg(target)},
                    details);
    if (m_req.port < 1 || m_req.port > 65535)
        return done({ExitCode::Usage, QStringLiteral("--port takes a TCP port from 1 to 65535")}, details);
    if (portInUse(m_req.port))
        return done({ExitCode::Refused, QStringLiteral("port %1 is in use on this machine — choose a free port with "
                                                       "--port; nothing was written")
                                            .arg(m_req.port)},
                    details);
    // The server binaries of the backup's major version: a data directory only runs on its own major.
    const int major = plan.base.info.pgMajor;
    PgToolLocator locator(m_req.pgToolDir);
    QString postgresBin;
    QStringList found;
    for (const PgToolLocator::Tool &t : locator.findAll(QStringLiteral("postgres"))) {
        found << QStringLiteral("%1 (%2)").arg(t.path, t.version.toString());
        if (t.version.major == major && postgresBin.isEmpty())
            postgresBin = t.path;
    }
    if (postgresBin.isEmpty())
        return done({ExitCode::Usage,
                     QStringLiteral("the base backup is of PostgreSQL %1, and its server binaries are not installed "
                                    "(found: %2) — install them (Debian: apt install postgresql-%1), or set the tool "
                                    "directory (pgToolDir) to their bin directory")
                         .arg(major)
                         .arg(found.isEmpty() ? QStringLiteral("none") : found.join(QStringLiteral(", ")))},
                    details);
    // A symlink on PATH (/usr/local/bin/postgres) leads to the installation whose pg_ctl and pg_verifybackup match.
    const QString binDir = QFileInfo(QFileInfo(postgresBin).canonicalFilePath()).absolutePath();
    const QString pgCtl = binDir + QStringLiteral("/pg_ctl");
    const QString verifyBin = binDir + QStringLiteral("/pg_verifybackup");
    for (const QString &b : {pgCtl, verifyBin}) {
        if (!QFileInfo(b).isExecutable())
            return done({ExitCode::Usage, QStringLiteral("%1 is missing — install postgresql-%2").arg(b).arg(major)},
                        details);
    }
    passwd *pw = nullptr;
    if (m_asPostgres) {
        pw = ::getpwnam("postgres");
        if (!pw)
            return done({ExitCode::Usage, QStringLiteral("PostgreSQL refuses to run as root and there is no postgres "
                                                         "user to run it as — run recover as another user")},
                        details);
        Error e;
        if (!runTool(QStringLiteral("runuser"),
                     {QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), QStringLiteral("test"),
                      QStringLiteral("-x"), QFileInfo(target).absolutePath()},
                     QStringLiteral("access check"), &e))
            return done({ExitCode::Usage, QStringLiteral("the server runs as the postgres user (recover runs as "
                                                         "root), which cannot enter %1 — choose a directory it can "
                                                         "reach")
                                              .arg(QFileInfo(target).absolutePath())},
                        details);
    }
    const QString socketDir = (target + QStringLiteral("/.s.PGSQL.%1").arg(m_req.port)).toLocal8Bit().size() < 100
                                  ? target
                                  : QStringLiteral("/tmp");
    details[QStringLiteral("serverBinaries")] = binDir;
    // The manifest's signature, as restore checks it: before anything is fetched or written.
    const ManifestVerdict signature = ManifestVerifier::fromCatalog(m_req.catalog.get())
                                          .checkRecord(plan.base.record, m_req.storages, m_req.secretFor);
    details[QStringLiteral("manifestSignature")] = signature.toJson();
    if (Error e = ManifestVerifier::enforce(signature, m_req.requireSigned,
                                            QStringLiteral("base backup #%1").arg(plan.base.record.id))) {
        e.message += QStringLiteral("; nothing was written");
        return done(e, details);
    }
    log(QStringLiteral("manifest signature: %1").arg(signature.describe()));
    if (m_req.dryRun) {
        details[QStringLiteral("dryRun")] = true;
        details[QStringLiteral("settings")] = QJsonArray::fromStringList(m_req.target.settings());
        log(QStringLiteral("dry run: would extract backup #%1 into %2, replay to %3 with PostgreSQL %4 (%5) on port "
                           "%6; expected end: %7")
                .arg(plan.base.record.id)
                .arg(target, m_req.target.describe())
                .arg(major)
                .arg(binDir)
                .arg(m_req.port)
                .arg(m_req.target.kind == RecoverTarget::Kind::Latest
                         ? (plan.partial.isEmpty() ? plan.lastSegment : plan.partial + QStringLiteral(" (partial)"))
                         : m_req.target.describe()));
        return done({}, details);
    }

    // 2. The base backup, verified, in place.
    Error err;
    LeaseGuard baseLease; // held through replay
    if (!extract(plan, target, verifyBin, &baseLease, &err))
        return done(err, details);
    // From here DIR holds the base backup. It is left for the log and a look, never passed off as recovered.
    const auto placed = [&](Error e, const QJsonObject &d) {
        e.message += QStringLiteral(" — %1 holds the extracted base backup with recovery settings and the server's "
                                    "log, not a recovered database; remove it before running recover again")
                         .arg(target);
        return done(e, d);
    };

    // 3. Recovery settings.
    if (!RecoverySettings::writeMissingConfig(target, [this](const QString &note) { log(note); }))
        return placed({ExitCode::Usage, QStringLiteral("cannot write the configuration into %1").arg(target)}, details);
    QTemporaryDir spool(QFileInfo(target).absolutePath() + QStringLiteral("/.lifeboat-recover-wal-XXXXXX"));
    QString restoreCommand = walFetchCommand();
    if (m_asPostgres) {
        // The server runs as postgres and cannot read this user's home, catalog or secrets: the archived WAL the
        // plan names goes through `wal fetch` now, into a spool the server copies from.
        if (!spool.isValid())
            return placed({ExitCode::Usage, QStringLiteral("cannot create a WAL spool beside %1").arg(target)},
                          details);
        if (!prefetch(plan, spool.path(), &err))
            return placed(err, details);
        chownTree(spool.path(), pw->pw_uid, pw->pw_gid);
        restoreCommand = QStringLiteral("cp %1/\"%f\" \"%p\"").arg(shellQuote(spool.path()));
    }
    const QStringList settings =
        RecoverySettings::lines(QStringLiteral("# lifeboatctl recover %1: profile %2, base backup #%3, to %4")
                                    .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate), m_req.profile.name)
                                    .arg(plan.base.record.id)
                                    .arg(m_req.target.describe()),
                                m_req.port, socketDir, restoreCommand, m_req.target.settings());
    if (Error e = RecoverySettings::write(target, settings))
        return placed(e, details);
    QDir().mkpath(target + QStringLiteral("/log"));
    const QString logPath = target + QStringLiteral("/log/lifeboat-recover.log");
    QFile(logPath).open(QIODevice::WriteOnly);
    if (m_asPostgres && !chownTree(target, pw->pw_uid, pw->pw_gid))
        return placed({ExitCode::Usage, QStringLiteral("cannot give %1 to the postgres user").arg(target)}, details);

    // 4. The server: started, followed through its log until it promotes.
    progress.phase = QStringLiteral("replaying WAL");
    reportProgress(progress, true);
    QStringList start = asOwner(pgCtl, {QStringLiteral("-D"), target, QStringLiteral("-l"), logPath,
                                        QStringLiteral("-W"), QStringLiteral("start")});
    // The server runs restore_command = wal fetch, which needs what this run had to reach the storages: the AWS
    // environment (or ~/.aws, the credential store, LIFEBOAT_SECRETS_PASSPHRASE for the encrypted file). As root its
    // spool needs nothing, so it gets nothing.
    QProcessEnvironment serverEnv = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"PGPASSWORD", "PGPASSFILE"})
        serverEnv.remove(QLatin1String(name));
    if (m_asPostgres)
        serverEnv = ChildEnvironment::minimal();
    if (!runTool(start.first(), start.mid(1), QStringLiteral("pg_ctl start"), &err, nullptr, &serverEnv))
        return placed(err, details);
    log(QStringLiteral("PostgreSQL %1 started on port %2 (log: %3)").arg(major).arg(m_req.port).arg(logPath));
    const auto stopServer = [&]() {
        const QStringList stop =
            asOwner(pgCtl, {QStringLiteral("-D"), target, QStringLiteral("-m"), QStringLiteral("fast"),
                            QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("120"), QStringLiteral("stop")});
        Error stopError;
        if (!runTool(stop.first(), stop.mid(1), QStringLiteral("pg_ctl stop"), &stopError))
            log(stopError.message);
        return !stopError;
    };

    RecoveryLog serverLog(logPath);
    QElapsedTimer clock;
    clock.start();
    QElapsedTimer noPid;
    bool sawPid = false;
    while (true) {
        serverLog.poll(
            [&](const QString &segment) {
                // The segment's start LSN: replay has passed it once the server asks for the segment.
                const qint64 from = qint64(RecoverPlan::segmentNumber(segment, plan.segmentSize)) * plan.segmentSize;
                progress.phase = QStringLiteral("replaying WAL: segment %1, past LSN %2")
                                     .arg(segment, BaseBackupInfo::formatLsn(from));
                reportProgress(progress, true);
                log(QStringLiteral("replaying WAL segment %1 (LSN %2 on)")
                        .arg(segment, BaseBackupInfo::formatLsn(from)));
            },
            [this](const QString &line) { log(line); });
        if (serverLog.promoted())
            break;
        const qint64 pid = postmasterPid(target);
        if (pid > 0)
            sawPid = true;
        if ((sawPid && !alive(pid)) || (!sawPid && noPid.isValid() && noPid.elapsed() > 30000)) {
            return placed({ExitCode::PgTool, QStringLiteral("the server stopped before recovery finished: %1 (log: %2)")
                                                 .arg(serverLog.whyStopped(), logPath)},
                          details);
        }
        if (!sawPid && !noPid.isValid())
            noPid.start();
        if (isCancelled() || clock.elapsed() > qint64(m_req.timeoutSeconds) * 1000) {
            stopServer();
            return placed(isCancelled() ? Error{ExitCode::Cancelled, QStringLiteral("cancelled")}
                                        : Error{ExitCode::PgTool, QStringLiteral("recovery did not finish within %1 s "
                                                                                 "(log: %2)")
                                                                      .arg(m_req.timeoutSeconds)
                                                                      .arg(logPath)},
                          details);
        }
        baseLease.renewIfDue();
        QThread::msleep(100);
    }

    // 5. The outcome against the target.
    serverLog.describe(&details);
    QString verdict;
    const Error outcome = serverLog.judge(m_req.target, plan, target, &verdict);
    if (!verdict.isEmpty())
        log(QStringLiteral("recovered and promoted%1: %2")
                .arg(serverLog.newTimeline() > 0 ? QStringLiteral(" to timeline %1").arg(serverLog.newTimeline())
                                                 : QString(),
                     verdict));
    details[QStringLiteral("verdict")] = verdict;
    bool running = true;
    if (!m_req.start || outcome) {
        running = !stopServer();
        if (!running)
            log(QStringLiteral("server stopped cleanly; start it with: %1")
                    .arg(QStringList(asOwner(pgCtl, {QStringLiteral("-D"), target, QStringLiteral("-l"), logPath,
                                                     QStringLiteral("start")}))
                             .join(QLatin1Char(' '))));
    } else {
        log(QStringLiteral("the server keeps running on port %1 (socket directory %2); stop it with: %3")
                .arg(m_req.port)
                .arg(socketDir, QStringList(asOwner(pgCtl, {QStringLiteral("-D"), target, QStringLiteral("stop")}))
                                    .join(QLatin1Char(' '))));
    }
    details[QStringLiteral("running")] = running;
    return done(outcome, details);
}

} // namespace lifeboat
