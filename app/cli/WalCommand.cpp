#include "WalCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"
#include "RestoreCliSupport.h"

#include "crypto/AgeRecipient.h"
#include "wal/WalArchiver.h"
#include "wal/WalFetcher.h"
#include "wal/WalName.h"
#include "wal/WalReceiver.h"
#include "wal/WalWindow.h"

#include "pg/PgSession.h"
#include "pitr/RecoverPlan.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QLockFile>
#include <QRegularExpression>

#include <atomic>
#include <csignal>
#include <limits>

#include <algorithm>
#include <optional>

using namespace lifeboat;

namespace {

CliOptions storageOption() {
    return {{QStringLiteral("storage"),
             QStringLiteral("Archive storage (repeatable; default: the profile's storages)."), QStringLiteral("NAME")}};
}

// The profile's archive storages (or --storage), opened; 0 or the exit code after printing the error.
int openStorages(CliContext &ctx, const ArgParser &p, const Profile &profile,
                 std::vector<std::unique_ptr<WalStorage>> *out, const QStringList &alsoRecorded = {}) {
    QStringList names =
        p.isSet(QStringLiteral("storage")) ? p.values(QStringLiteral("storage")) : profile.defaultStorages;
    for (const QString &name : alsoRecorded)
        if (!names.contains(name))
            names << name;
    if (names.isEmpty())
        return ctx.usage(QStringLiteral("profile \"%1\" has no storages — pass --storage NAME or give the profile "
                                        "default storages (see `lifeboatctl storage list`)")
                             .arg(profile.name));
    CliSecrets secrets(ctx);
    for (const QString &name : names) {
        const auto sc = ctx.config().storage(name);
        if (!sc)
            return ctx.usage(QStringLiteral("unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(name));
        Error err;
        // The credential store only when the storage names a key of its own (else the AWS chain): a push runs once
        // per segment, and a keychain probe each time would cost more than the upload.
        const QString secret = sc->isS3() && !sc->accessKeyId.isEmpty() ? secrets.storageSecret(name) : QString();
        auto storage = WalStorage::open(*sc, secret, &err);
        if (!storage)
            return ctx.fail(err);
        out->push_back(std::move(storage));
    }
    // Local first: a fetch reads the nearest copy, and a push stores there before the network.
    std::stable_sort(out->begin(), out->end(), [](const auto &a, const auto &b) {
        return a->kind() == QLatin1String("local") && b->kind() != QLatin1String("local");
    });
    return 0;
}

std::optional<Profile> profileOrFail(CliContext &ctx, const QString &name, int *rc) {
    const auto profile = ctx.config().profile(name);
    if (!profile)
        *rc = ctx.usage(QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(name));
    return profile;
}

// What wal push and wal receive archive with: the profile, its recipients (or --recipient) and its storages (or
// --storage), opened; 0 or the exit code after printing the error.
int archiverSetup(CliContext &ctx, const ArgParser &p, const Profile &profile, WalArchiver::Setup *setup) {
    setup->profile = profile.name;
    setup->catalog = ctx.catalog();
    const QStringList keys =
        p.isSet(QStringLiteral("recipient")) ? p.values(QStringLiteral("recipient")) : profile.recipients;
    for (const QString &k : keys) {
        QString why;
        const auto recipient = AgeRecipient::parse(k, &why);
        if (!recipient)
            return ctx.usage(QStringLiteral("recipient %1: %2").arg(k, why));
        setup->recipients.push_back(*recipient);
    }
    return openStorages(ctx, p, profile, &setup->storages);
}
} // namespace

static int push(CliContext &ctx, const ArgParser &p) {
    int rc = 0;
    const auto profile = profileOrFail(ctx, p.positional().at(0), &rc);
    if (!profile)
        return rc;
    WalArchiver::Setup setup;
    if ((rc = archiverSetup(ctx, p, *profile, &setup)))
        return rc;
    WalArchiver archiver(std::move(setup));
    const WalArchiver::Outcome o = archiver.pushFile(p.positional().at(1));
    if (o.error)
        return ctx.fail(o.error);
    if (ctx.json()) {
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true},
                                  {QStringLiteral("name"), o.wal.fileName()},
                                  {QStringLiteral("kind"), o.wal.kind},
                                  {QStringLiteral("timeline"), static_cast<qint64>(o.wal.timeline)},
                                  {QStringLiteral("stored"), QJsonArray::fromStringList(o.stored)},
                                  {QStringLiteral("already"), QJsonArray::fromStringList(o.already)}});
    }
    // Quiet otherwise: this runs once per segment and its output lands in the server's log.
    return 0;
}

static int fetch(CliContext &ctx, const ArgParser &p) {
    // A failed parse already exited 255 with --fatal-errors (CommandTable::fatalFetch).
    const bool fatal = p.isSet(QStringLiteral("fatal-errors"));
    int rc = 0;
    auto failed = [&](const Error &e) {
        const int code = ctx.fail(e);
        return fatal ? 255 : code;
    };
    const auto profile = profileOrFail(ctx, p.positional().at(0), &rc);
    if (!profile)
        return fatal ? 255 : rc;
    WalFetcher::Setup setup;
    setup.profile = profile->name;
    setup.catalog = ctx.catalog();
    const auto identities = RestoreCliSupport::identities(ctx, p, &rc);
    if (!identities)
        return fatal ? 255 : rc;
    setup.identities = *identities;
    // Every storage that holds a copy of the file, not only the profile's current default ones: the plan of
    // `recover` counts WAL on every storage, and a copy skipped here would end replay early.
    QStringList recorded;
    if (!p.isSet(QStringLiteral("storage"))) {
        if (const auto wal = WalName::parse(p.positional().at(1)); wal && setup.catalog) {
            WalFileFilter filter;
            filter.profile = profile->name;
            filter.name = wal->name;
            for (const WalFileRecord &row : setup.catalog->walFiles(filter))
                if (!recorded.contains(row.storage))
                    recorded << row.storage;
        }
    }
    if ((rc = openStorages(ctx, p, *profile, &setup.storages, recorded)))
        return fatal ? 255 : rc;
    WalFetcher fetcher(std::move(setup));
    fetcher.setLog([&ctx](const QString &line) { ctx.err() << "lifeboatctl: " << line << Qt::endl; });
    const QString name = p.positional().at(1);
    const WalFetcher::Outcome o = fetcher.fetch(name, p.positional().at(2), p.isSet(QStringLiteral("partial")));
    switch (o.result) {
    case WalFetcher::Result::NotFound:
        if (ctx.json())
            ctx.printJson(QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("found"), false}});
        return 1;
    case WalFetcher::Result::Failed:
        return failed(o.error);
    case WalFetcher::Result::Fetched:
        break;
    }
    if (ctx.json()) {
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true},
                                  {QStringLiteral("found"), true},
                                  {QStringLiteral("name"), name},
                                  {QStringLiteral("storage"), o.storage},
                                  {QStringLiteral("location"), o.location},
                                  {QStringLiteral("partial"), o.partial},
                                  {QStringLiteral("bytes"), o.bytes},
                                  {QStringLiteral("catalog"), o.fromCatalog}});
    }
    return 0;
}

namespace {

QString isoOrEmpty(const QDateTime &t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

QJsonObject timelineJson(const WalWindow::Timeline &t) {
    return QJsonObject{{QStringLiteral("timeline"), static_cast<qint64>(t.timeline)},
                       {QStringLiteral("first"), t.first},
                       {QStringLiteral("last"), t.last},
                       {QStringLiteral("segments"), t.segments},
                       {QStringLiteral("endLsn"), t.endLsn},
                       {QStringLiteral("missing"), QJsonArray::fromStringList(t.missing)},
                       {QStringLiteral("missingCount"), t.missingCount},
                       {QStringLiteral("partial"), t.partial},
                       {QStringLiteral("partialStored"), isoOrEmpty(t.partialStored)},
                       {QStringLiteral("history"), t.history},
                       {QStringLiteral("newestStored"), isoOrEmpty(t.newestStored)}};
}

// What the server says about its WAL, its archiver and its replication slots; {"reachable": false, "error": …}
// when it can't be asked (status still reports the archive).
QJsonObject serverJson(CliContext &ctx, const Profile &profile, const ArgParser &p, const WalWindow::Report &report) {
    Error err;
    const Conninfo ci = Conninfo::parse(profile.conninfo, &err);
    if (!ci.isValid())
        return {{QStringLiteral("reachable"), false}, {QStringLiteral("error"), err.message}};
    CliSecrets secrets(ctx);
    const QString password = secrets.profilePassword(profile.name, p.isSet(QStringLiteral("password-stdin")),
                                                     p.value(QStringLiteral("secret-env")));
    PgSession s;
    if (!s.connect(ci, password, 5))
        return {{QStringLiteral("reachable"), false}, {QStringLiteral("error"), s.error().message}};
    QJsonObject o{{QStringLiteral("reachable"), true}};
    PgSession::Rows rows;
    if (s.exec(QStringLiteral("SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN NULL ELSE "
                              "pg_current_wal_lsn()::text END, CASE WHEN pg_is_in_recovery() THEN NULL ELSE "
                              "pg_walfile_name(pg_current_wal_lsn()) END, (SELECT timeline_id FROM "
                              "pg_control_checkpoint()), current_setting('wal_level'), "
                              "current_setting('archive_mode')"),
               {}, &rows) &&
        !rows.isEmpty()) {
        const QStringList r = rows.first();
        o.insert(QStringLiteral("inRecovery"), r.value(0) == QLatin1String("t"));
        o.insert(QStringLiteral("currentLsn"), r.value(1));
        o.insert(QStringLiteral("currentSegment"), r.value(2));
        o.insert(QStringLiteral("timeline"), r.value(3).toLongLong());
        o.insert(QStringLiteral("walLevel"), r.value(4));
        o.insert(QStringLiteral("archiveMode"), r.value(5));
        // Segments the server finished that no storage holds yet (the one being filled is not counted).
        const QString current = r.value(2);
        if (!current.isEmpty()) {
            const quint32 tli = current.left(8).toUInt(nullptr, 16);
            QString last;
            for (const auto &t : report.timelines)
                if (t.timeline == tli)
                    last = t.last;
            if (!last.isEmpty()) {
                const qint64 behind = static_cast<qint64>(WalName::segmentNumber(current, report.segmentSize)) -
                                      static_cast<qint64>(WalName::segmentNumber(last, report.segmentSize)) - 1;
                o.insert(QStringLiteral("segmentsNotArchived"), std::max<qint64>(0, behind));
            }
        }
    }
    rows.clear();
    if (s.exec(QStringLiteral("SELECT archived_count, last_archived_wal, last_archived_time, failed_count, "
                              "last_failed_wal, last_failed_time FROM pg_stat_archiver"),
               {}, &rows) &&
        !rows.isEmpty()) {
        const QStringList r = rows.first();
        o.insert(QStringLiteral("archiver"), QJsonObject{{QStringLiteral("archivedCount"), r.value(0).toLongLong()},
                                                         {QStringLiteral("lastArchived"), r.value(1)},
                                                         {QStringLiteral("lastArchivedTime"), r.value(2)},
                                                         {QStringLiteral("failedCount"), r.value(3).toLongLong()},
                                                         {QStringLiteral("lastFailed"), r.value(4)},
                                                         {QStringLiteral("lastFailedTime"), r.value(5)}});
    }
    rows.clear();
    QJsonArray slotList;
    if (s.exec(QStringLiteral("SELECT slot_name, slot_type, active, restart_lsn::text, wal_status, CASE WHEN "
                              "pg_is_in_recovery() OR restart_lsn IS NULL THEN NULL ELSE "
                              "pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint END FROM "
                              "pg_replication_slots ORDER BY slot_name"),
               {}, &rows)) {
        for (const QStringList &r : std::as_const(rows))
            slotList.append(QJsonObject{{QStringLiteral("name"), r.value(0)},
                                        {QStringLiteral("type"), r.value(1)},
                                        {QStringLiteral("active"), r.value(2) == QLatin1String("t")},
                                        {QStringLiteral("restartLsn"), r.value(3)},
                                        {QStringLiteral("walStatus"), r.value(4)},
                                        {QStringLiteral("retainedBytes"), r.value(5).toLongLong()}});
    }
    o.insert(QStringLiteral("slots"), slotList);
    return o;
}

} // namespace

static int status(CliContext &ctx, const ArgParser &p) {
    int rc = 0;
    const auto profile = profileOrFail(ctx, p.positional().at(0), &rc);
    if (!profile)
        return rc;
    WalFileFilter filter;
    filter.profile = profile->name;
    const QList<WalFileRecord> walRows = ctx.catalog()->walFiles(filter);
    const WalWindow::Report report = WalWindow::compute(profile->name, walRows);
    // The recoverable window as recover sees it: from the oldest base backup left (prune removes older ones and the
    // WAL before them) to the newest WAL replay can reach.
    QList<BaseBackupEntry> bases;
    CatalogFilter bf;
    bf.profile = profile->name;
    bf.kind = QStringLiteral("base");
    bf.status = BackupRecord::statusCompleted();
    for (const BackupRecord &r : ctx.catalog()->list(bf))
        if (const auto info = ctx.catalog()->baseBackup(r.id))
            bases.append({r, *info});
    QJsonObject window;
    if (!bases.isEmpty()) {
        const RecoverPlan plan = RecoverPlan::make(bases, walRows, RecoverTarget{});
        qint64 oldest = 0;
        for (const BaseBackupEntry &b : std::as_const(bases))
            if (b.info.stopTime == plan.windowStart)
                oldest = b.record.id;
        window = {{QStringLiteral("start"), isoOrEmpty(plan.windowStart)},
                  {QStringLiteral("end"), isoOrEmpty(plan.windowEnd)},
                  {QStringLiteral("oldestBaseBackupId"), oldest},
                  {QStringLiteral("baseBackups"), bases.size()}};
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 lag = report.newestStored.isValid() ? report.newestStored.secsTo(now) : -1;
    QJsonArray timelines;
    for (const auto &t : report.timelines)
        timelines.append(timelineJson(t));
    QJsonObject o{
        {QStringLiteral("profile"), profile->name}, {QStringLiteral("segmentSize"), report.segmentSize},
        {QStringLiteral("timelines"), timelines},   {QStringLiteral("newestStored"), isoOrEmpty(report.newestStored)},
        {QStringLiteral("lagSeconds"), lag},        {QStringLiteral("window"), window}};
    if (!p.isSet(QStringLiteral("no-server")))
        o.insert(QStringLiteral("server"), serverJson(ctx, *profile, p, report));
    if (ctx.json()) {
        ctx.printJson(o);
        return 0;
    }
    QTextStream &out = ctx.out();
    out << "WAL archive of profile " << profile->name << ":\n";
    if (report.timelines.isEmpty())
        out << "  nothing archived yet (archive_command = 'lifeboatctl wal push " << profile->name
            << " %p', or `lifeboatctl wal receive " << profile->name << "`)\n";
    for (const auto &t : report.timelines) {
        out << "  timeline " << t.timeline << ": ";
        if (t.segments == 0)
            out << "no complete segment";
        else
            out << t.first << " .. " << t.last << " (" << t.segments << " segments, up to " << t.endLsn << ")";
        if (!t.history && t.timeline > 1)
            out << ", history file missing";
        out << '\n';
        if (!t.partial.isEmpty())
            out << "    partial " << t.partial << " stored " << isoOrEmpty(t.partialStored) << '\n';
        if (t.missingCount > 0)
            out << "    GAP: " << t.missingCount << " segment(s) missing: " << t.missing.join(QStringLiteral(", "))
                << (t.missingCount > t.missing.size() ? QStringLiteral(", ...") : QString()) << '\n';
    }
    if (!window.isEmpty())
        out << "  recoverable window: " << window.value(QStringLiteral("start")).toString() << " .. "
            << window.value(QStringLiteral("end")).toString() << " (from base backup #"
            << window.value(QStringLiteral("oldestBaseBackupId")).toInteger() << ", the oldest of "
            << window.value(QStringLiteral("baseBackups")).toInt() << ")\n";
    else if (!report.timelines.isEmpty())
        out << "  recoverable window: none (no base backup: `lifeboatctl basebackup " << profile->name << "`)\n";
    if (report.newestStored.isValid())
        out << "  newest WAL stored " << isoOrEmpty(report.newestStored) << " (" << lag << " s ago)\n";
    const QJsonObject server = o.value(QStringLiteral("server")).toObject();
    if (!server.isEmpty()) {
        if (!server.value(QStringLiteral("reachable")).toBool()) {
            out << "  server: not reachable (" << server.value(QStringLiteral("error")).toString() << ")\n";
        } else {
            out << "  server: timeline " << server.value(QStringLiteral("timeline")).toInteger() << ", at "
                << server.value(QStringLiteral("currentLsn")).toString() << " in "
                << server.value(QStringLiteral("currentSegment")).toString();
            if (server.contains(QStringLiteral("segmentsNotArchived")))
                out << ", " << server.value(QStringLiteral("segmentsNotArchived")).toInteger()
                    << " finished segment(s) not archived yet";
            out << '\n';
            const QJsonObject a = server.value(QStringLiteral("archiver")).toObject();
            if (server.value(QStringLiteral("archiveMode")).toString() != QLatin1String("off"))
                out << "    archiver: last " << a.value(QStringLiteral("lastArchived")).toString() << ", "
                    << a.value(QStringLiteral("failedCount")).toInteger() << " failure(s)\n";
            for (const QJsonValue &v : server.value(QStringLiteral("slots")).toArray()) {
                const QJsonObject sl = v.toObject();
                out << "    slot " << sl.value(QStringLiteral("name")).toString() << ": "
                    << (sl.value(QStringLiteral("active")).toBool() ? "active" : "inactive") << ", retains "
                    << sl.value(QStringLiteral("retainedBytes")).toInteger() << " bytes of WAL ("
                    << sl.value(QStringLiteral("walStatus")).toString() << ")\n";
            }
        }
    }
    return 0;
}

namespace {
std::atomic<bool> g_stopReceiving{false};
extern "C" void stopReceiving(int) {
    g_stopReceiving.store(true);
}
} // namespace

static int receive(CliContext &ctx, const ArgParser &p) {
    int rc = 0;
    const auto profile = profileOrFail(ctx, p.positional().at(0), &rc);
    if (!profile)
        return rc;
    bool ok = true;
    const int interval = p.isSet(QStringLiteral("partial-upload"))
                             ? p.value(QStringLiteral("partial-upload")).toInt(&ok)
                             : (profile->partialUploadSeconds > 0 ? profile->partialUploadSeconds : 60);
    if (!ok || interval < 0)
        return ctx.usage(QStringLiteral("--partial-upload: a number of seconds (0 or more)"));
    const qint64 warnMiB =
        p.isSet(QStringLiteral("warn-retained")) ? p.value(QStringLiteral("warn-retained")).toLongLong(&ok) : 1024;
    if (!ok || warnMiB <= 0)
        return ctx.usage(QStringLiteral("--warn-retained: a size in MiB"));
    const QString slot =
        p.isSet(QStringLiteral("slot")) ? p.value(QStringLiteral("slot")) : WalReceiver::defaultSlot(profile->name);
    static const QRegularExpression slotName(QStringLiteral("^[a-z0-9_]{1,63}$"));
    if (!slotName.match(slot).hasMatch())
        return ctx.usage(QStringLiteral("--slot: lower-case letters, digits and _ (up to 63)"));
    Error err;
    const Conninfo ci = Conninfo::parse(profile->conninfo, &err);
    if (!ci.isValid())
        return ctx.fail(err);

    WalArchiver::Setup setup;
    if ((rc = archiverSetup(ctx, p, *profile, &setup)))
        return rc;

    // One receiver per profile: two would race for the slot and the spool.
    const QString spoolRoot = QDir(ctx.home()).filePath(QStringLiteral("wal-spool"));
    QDir().mkpath(spoolRoot);
    QLockFile lock(QDir(spoolRoot).filePath(profile->name + QStringLiteral(".lock")));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        lock.getLockInfo(&pid, &host, &app);
        return ctx.usage(
            QStringLiteral("another `wal receive %1` is running (pid %2 on %3)").arg(profile->name).arg(pid).arg(host));
    }

    WalReceiver::Setup rs;
    rs.profile = profile->name;
    rs.conninfo = ci;
    CliSecrets secrets(ctx);
    rs.password = secrets.profilePassword(profile->name, p.isSet(QStringLiteral("password-stdin")),
                                          p.value(QStringLiteral("secret-env")));
    rs.spoolDir = QDir(spoolRoot).filePath(profile->name);
    rs.slot = slot;
    rs.partialIntervalSeconds = interval == 0 ? std::numeric_limits<int>::max() : interval;
    rs.warnRetainedBytes = warnMiB * 1024 * 1024;
    rs.pgToolDir = ctx.config().option(QStringLiteral("pgToolDir"));
    rs.archiver = std::make_unique<WalArchiver>(std::move(setup));
    WalReceiver receiver(std::move(rs));
    receiver.setLog([&ctx](const QString &line) {
        ctx.err() << QDateTime::currentDateTimeUtc().toString(Qt::ISODate) << ' ' << line << Qt::endl;
    });
    struct sigaction sa = {};
    sa.sa_handler = stopReceiving;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    const Error e = receiver.run(&g_stopReceiving);
    if (e)
        return ctx.fail(e);
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("profile"), profile->name}});
    return 0;
}

QList<CliCommand> WalCommand::commands() {
    return {{QStringLiteral("wal"), QStringLiteral("push"),
             QStringLiteral("PROFILE PATH [--storage NAME]... [--recipient AGE]...\n\n"
                            "Archive one WAL file into every archive storage of PROFILE: for PostgreSQL's\n"
                            "archive_command = 'lifeboatctl wal push PROFILE %p'. Idempotent: the same file with\n"
                            "the same bytes exits 0; different bytes under a stored name are refused (exit 4)\n"
                            "and nothing is replaced. Any failure exits non-zero, so PostgreSQL retries."),
             2, 2, &push, storageOption() + cliOptions(R"(
--recipient AGE  Encrypt to this age recipient (repeatable; default: the profile's recipients).)")},
            {QStringLiteral("wal"), QStringLiteral("fetch"),
             QStringLiteral("PROFILE NAME DEST [--storage NAME]... [--identity FILE]... [--partial]\n\n"
                            "Write the archived WAL file NAME to DEST (atomically, replacing DEST): for\n"
                            "restore_command = 'lifeboatctl wal fetch PROFILE %f %p'. The stored bytes are checked\n"
                            "against the catalog's SHA-256; without a catalog row the storages are searched.\n"
                            "Exit 1 without a message when NAME is not archived (PostgreSQL asks for files that\n"
                            "do not exist), 4 when every copy is damaged."),
             3, 3, &fetch, storageOption() + RestoreCliSupport::identityOptions() + cliOptions(R"(
--partial  When the complete segment is not archived, write its newest partial upload to DEST (the end of the WAL,
    for recovery to the latest point).
--fatal-errors  Exit 255 instead of 2, 3 or 4 on a failure other than "not archived", so PostgreSQL aborts recovery
    rather than ending it early at a damaged segment.)")},
            {QStringLiteral("wal"), QStringLiteral("status"),
             QStringLiteral("PROFILE [--no-server] [--password-stdin | --secret-env VAR]\n\n"
                            "What the archive holds for PROFILE (from the catalog): per timeline the stored range,\n"
                            "missing segments by name, the partial segment being filled, the newest WAL stored and\n"
                            "the capture lag; and, when the server answers, its current WAL position, archiver\n"
                            "and replication slots (with the WAL each retains)."),
             1, 1, &status, cliOptions(R"(
--no-server  Do not ask the profile's server.
--password-stdin  Read the server's password from stdin.
--secret-env VAR  Read the server's password from this environment variable.)")},
            {QStringLiteral("wal"), QStringLiteral("receive"),
             QStringLiteral("PROFILE [--storage NAME]... [--slot NAME] [--partial-upload SECONDS]\n\n"
                            "Stream PROFILE's WAL with pg_receivewal through a replication slot (created if\n"
                            "missing) into a spool directory under the home, store each finished segment and\n"
                            "history file in every archive storage (as wal push does) and upload the segment being\n"
                            "filled every --partial-upload seconds. Restarts pg_receivewal with backoff when the\n"
                            "server goes away; SIGTERM/SIGINT stop it cleanly (what was received is stored)."),
             1, 1, &receive, storageOption() + cliOptions(R"(
--recipient AGE  Encrypt to this age recipient (repeatable; default: the profile's recipients).
--slot NAME  Replication slot (default: lifeboat_PROFILE).
--partial-upload SECONDS  Upload the segment being filled this often (default: the profile's, 60 unless set with
    profile add --partial-upload; 0: only at stop).
--warn-retained MIB  Warn when the slot holds more WAL than this on the server (default 1024).
--password-stdin  Read the server's password from stdin.
--secret-env VAR  Read the server's password from this environment variable.)")}};
}
