#include "ScheduleCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "NamedThings.h"
#include "RetentionFlags.h"
#include "core/ParentDeath.h"
#include "jobs/PgDumpCommand.h"
#include "retention/RetentionPolicy.h"
#include "schedule/DueRunner.h"

#include "schedule/CronExpression.h"
#include "schedule/DrillSuggestion.h"
#include "schedule/RunnerUnits.h"
#include "schedule/ScheduleDue.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

using namespace lifeboat;

namespace {
QString when(const QDateTime &t) {
    return t.isValid() ? t.toString(QStringLiteral("ddd yyyy-MM-dd HH:mm t")) : QStringLiteral("never");
}

QJsonObject scheduleJson(const ScheduleRecord &s, const QDateTime &next) {
    return {{QStringLiteral("name"), s.name},
            {QStringLiteral("profile"), s.profile},
            {QStringLiteral("kind"), s.sourceKind},
            {QStringLiteral("cron"), s.cron},
            {QStringLiteral("description"), CronExpression::parse(s.cron).describe()},
            {QStringLiteral("timeZone"), s.timeZone},
            {QStringLiteral("storages"), QJsonArray::fromStringList(s.storages)},
            {QStringLiteral("enabled"), s.enabled},
            {QStringLiteral("missed"), s.missedPolicy},
            {QStringLiteral("keepDaily"), s.keepDaily},
            {QStringLiteral("keepWeekly"), s.keepWeekly},
            {QStringLiteral("keepMonthly"), s.keepMonthly},
            {QStringLiteral("keepHourly"), s.keepHourly},
            {QStringLiteral("keepYearly"), s.keepYearly},
            {QStringLiteral("keepLast"), s.keepLast},
            {QStringLiteral("keepWithin"),
             s.keepWithinSeconds < 0 ? QString() : RetentionPolicy::formatDuration(s.keepWithinSeconds)},
            {QStringLiteral("lastRun"), s.lastRun.isValid() ? s.lastRun.toString(Qt::ISODate) : QString()},
            {QStringLiteral("lastBackupId"), s.lastBackupId},
            {QStringLiteral("lastStatus"), s.lastStatus},
            {QStringLiteral("nextFire"), next.isValid() ? next.toString(Qt::ISODate) : QString()},
            {QStringLiteral("compression"), s.compression},
            {QStringLiteral("verifyTarget"),
             s.isDrill() ? (s.verifyTarget.isEmpty() ? s.profile : s.verifyTarget) : QString()}};
}

QString shellQuote(const QString &s) {
    return QLatin1Char('\'') + QString(s).replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'');
}
} // namespace

static int add(CliContext &ctx, const ArgParser &p) {
    ScheduleRecord s;
    s.name = p.positional().first();
    if (!ConfigStore::isValidName(s.name))
        return ctx.usage(QStringLiteral("\"%1\" is not a valid schedule name (letters, digits, - and _)").arg(s.name));
    const auto existing = ctx.catalog()->schedule(s.name);
    if (existing && !p.isSet(QStringLiteral("replace")))
        return ctx.usage(QStringLiteral("a schedule named \"%1\" exists; pass --replace to change it").arg(s.name));
    const int sources = int(p.isSet(QStringLiteral("profile"))) + int(p.isSet(QStringLiteral("files"))) +
                        int(p.isSet(QStringLiteral("redis")));
    if (sources != 1)
        return ctx.usage(QStringLiteral("schedule add needs exactly one source: --profile P, --files SOURCE or "
                                        "--redis SOURCE"));
    const bool drill = p.isSet(QStringLiteral("verify"));
    const bool base = p.isSet(QStringLiteral("base"));
    if (base && drill)
        return ctx.usage(QStringLiteral("--base and --verify exclude each other: a schedule either takes base backups "
                                        "or verifies a backup"));
    if (base && !p.isSet(QStringLiteral("profile")))
        return ctx.usage(QStringLiteral("a base backup schedule (--base) backs up a database profile's cluster: pass "
                                        "--profile P"));
    if (!drill && (p.isSet(QStringLiteral("sandbox")) || p.isSet(QStringLiteral("target"))))
        return ctx.usage(QStringLiteral("--sandbox and --target belong to a drill (schedule add NAME --verify "
                                        "--profile P …)"));
    if (drill) {
        if (!p.isSet(QStringLiteral("profile")))
            return ctx.usage(QStringLiteral("a drill (--verify) verifies backups of a database profile: pass "
                                            "--profile P"));
        if (p.isSet(QStringLiteral("sandbox")) && p.isSet(QStringLiteral("target")))
            return ctx.usage(QStringLiteral("--sandbox and --target exclude each other"));
        if (p.isSet(QStringLiteral("storage")))
            return ctx.usage(QStringLiteral("a drill writes no backup: --storage does not apply (it reads the copies "
                                            "of the backup it verifies)"));
        s.sourceKind = QStringLiteral("verify");
        s.profile = p.value(QStringLiteral("profile"));
        if (!ctx.config().profile(s.profile))
            return ctx.usage(QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(s.profile));
        if (p.isSet(QStringLiteral("sandbox")))
            s.verifyTarget = QLatin1String(ScheduleRecord::kVerifySandbox);
        else if (p.isSet(QStringLiteral("target"))) {
            s.verifyTarget = p.value(QStringLiteral("target"));
            if (!ctx.config().profile(s.verifyTarget))
                return ctx.usage(QStringLiteral("--target: unknown profile \"%1\" (see `lifeboatctl profile list`)")
                                     .arg(s.verifyTarget));
        }
    }
    QStringList defaultStorages;
    if (drill) {
        // checked above
    } else if (p.isSet(QStringLiteral("profile"))) {
        s.sourceKind = base ? QStringLiteral("base") : QStringLiteral("database");
        s.profile = p.value(QStringLiteral("profile"));
        const auto profile = ctx.config().profile(s.profile);
        if (!profile)
            return ctx.usage(QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(s.profile));
        defaultStorages = profile->defaultStorages;
    } else if (p.isSet(QStringLiteral("files"))) {
        s.sourceKind = QStringLiteral("files");
        s.profile = p.value(QStringLiteral("files"));
        const auto source = ctx.config().fileSource(s.profile);
        if (!source)
            return ctx.usage(QStringLiteral("unknown file source \"%1\" (see `lifeboatctl files list`; add it with "
                                            "`lifeboatctl files add %1 --path DIR`)")
                                 .arg(s.profile));
        defaultStorages = source->storages;
    } else {
        s.sourceKind = QStringLiteral("redis");
        s.profile = p.value(QStringLiteral("redis"));
        const auto source = ctx.config().redisSource(s.profile);
        if (!source)
            return ctx.usage(QStringLiteral("unknown Redis source \"%1\" (see `lifeboatctl redis list`; add it with "
                                            "`lifeboatctl redis add %1 --url …`)")
                                 .arg(s.profile));
        defaultStorages = source->storages;
    }
    // The default for a new profile's schedule: daily at 01:00.
    // A drill's default: weekly, Sunday 03:00, after the night's backup.
    const CronExpression cron = CronExpression::parse(p.isSet(QStringLiteral("cron")) ? p.value(QStringLiteral("cron"))
                                                      : drill                         ? QStringLiteral("0 3 * * 0")
                                                                                      : QStringLiteral("0 1 * * *"));
    if (!cron.isValid())
        return ctx.usage(QStringLiteral("--cron: %1").arg(cron.error()));
    s.cron = cron.text();
    s.timeZone = p.value(QStringLiteral("tz"));
    const QTimeZone tz = DueRunner::timeZone(s.timeZone);
    if (!tz.isValid())
        return ctx.usage(
            QStringLiteral("--tz: unknown time zone \"%1\" (use an IANA name such as Europe/Berlin)").arg(s.timeZone));
    s.storages = p.values(QStringLiteral("storage"));
    for (const QString &st : s.storages)
        if (!ctx.config().storage(st))
            return ctx.usage(QStringLiteral("unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(st));
    if (!drill && s.storages.isEmpty() && defaultStorages.isEmpty())
        return ctx.usage(QStringLiteral("%1 \"%2\" has no default storage — pass --storage NAME")
                             .arg(s.sourceKind == QLatin1String("database") || base ? QStringLiteral("profile")
                                  : s.sourceKind == QLatin1String("files")          ? QStringLiteral("file source")
                                                                                    : QStringLiteral("Redis source"),
                                  s.profile));
    const QString missed = p.value(QStringLiteral("missed"));
    if (!missed.isEmpty() && missed != QLatin1String("catch-up") && missed != QLatin1String("skip"))
        return ctx.usage(QStringLiteral("--missed takes catch-up or skip, not \"%1\"").arg(missed));
    if (!missed.isEmpty())
        s.missedPolicy = missed;
    RetentionFlags keep;
    if (auto rc = RetentionFlags::read(ctx, p, &keep))
        return *rc;
    // A rule not given is no override: the source keeps the default or setting for it.
    for (const auto &[given, field] : {std::pair{keep.daily, &s.keepDaily}, std::pair{keep.weekly, &s.keepWeekly},
                                       std::pair{keep.monthly, &s.keepMonthly}, std::pair{keep.hourly, &s.keepHourly},
                                       std::pair{keep.yearly, &s.keepYearly}, std::pair{keep.last, &s.keepLast}})
        if (given >= 0)
            *field = given;
    if (keep.withinSeconds >= 0)
        s.keepWithinSeconds = keep.withinSeconds;
    if (drill && (s.keepDaily >= 0 || s.keepWeekly >= 0 || s.keepMonthly >= 0 || s.keepHourly >= 0 ||
                  s.keepYearly >= 0 || s.keepLast >= 0 || s.keepWithinSeconds >= 0))
        return ctx.usage(QStringLiteral("a drill keeps no backups: the --keep-* rules belong to the profile's backup "
                                        "schedule"));
    if (p.isSet(QStringLiteral("compress"))) {
        if (s.sourceKind != QLatin1String("database") || drill)
            return ctx.usage(
                QStringLiteral("--compress belongs to a database backup schedule (--profile P)%1")
                    .arg(base ? QStringLiteral("; base backups are always compressed with zstd") : QString()));
        // Refused now, not at 01:00: the same parse as `backup --compress` (pg_dump 16+ only choices are checked
        // against the installed pg_dump when the schedule runs).
        BackupOptions o;
        o.compression = p.value(QStringLiteral("compress")).trimmed().toLower();
        Error bad;
        PgDumpCommand::build(o, PgVersion{99, 0}, QStringLiteral("dbname=x"), QString(), QString(), &bad);
        if (bad)
            return ctx.usage(QStringLiteral("--compress: %1").arg(bad.message));
        s.compression = o.compression;
    }
    s.enabled = !p.isSet(QStringLiteral("disabled"));
    // Fire times owed start now: a new schedule does not "catch up" on the past.
    s.created = existing ? existing->created : QDateTime::currentDateTimeUtc();
    s.lastCheck = existing && existing->lastCheck.isValid() ? existing->lastCheck : QDateTime::currentDateTimeUtc();
    // A profile's first backup schedule: suggest the weekly drill that proves its backups restore.
    const auto drillHint =
        existing ? std::nullopt : DrillSuggestion::forFirstBackupSchedule(s, ctx.catalog()->schedules());
    QString err;
    if (!ctx.catalog()->saveSchedule(s, &err))
        return ctx.usage(err);
    const QList<QDateTime> next = cron.nextFires(QDateTime::currentDateTimeUtc(), tz, 3);
    if (ctx.json()) {
        QJsonObject o = scheduleJson(s, next.value(0));
        QJsonArray fires;
        for (const QDateTime &t : next)
            fires.append(t.toString(Qt::ISODate));
        o[QStringLiteral("nextFires")] = fires;
        o[QStringLiteral("ok")] = true;
        if (drillHint)
            o[QStringLiteral("suggestedDrill")] = drillHint->command();
        ctx.printJson(o);
    } else {
        if (drill)
            ctx.out() << "Drill \"" << s.name << "\" (verify the newest good backup of " << s.profile << " on "
                      << (s.verifyTarget.isEmpty() ? QStringLiteral("its own server")
                          : s.isDrill() && s.verifyTarget == QLatin1String(ScheduleRecord::kVerifySandbox)
                              ? QStringLiteral("a sandbox cluster")
                              : QStringLiteral("the server of profile ") + s.verifyTarget)
                      << "): " << cron.describe() << Qt::endl;
        else if (base)
            ctx.out() << "Schedule \"" << s.name << "\" (base backup of " << s.profile << "): " << cron.describe()
                      << Qt::endl;
        else
            ctx.out() << "Schedule \"" << s.name << "\" ("
                      << (s.sourceKind == QLatin1String("database") ? QString() : s.sourceKind + QLatin1Char(' '))
                      << s.profile << "): " << cron.describe() << Qt::endl;
        ctx.out() << "Next runs:" << Qt::endl;
        for (const QDateTime &t : next)
            ctx.out() << "  " << when(t) << Qt::endl;
        ctx.err() << "Runs only while `lifeboatctl run-due` is called every minute (see `lifeboatctl schedule "
                     "install`) or the Lifeboat app is running."
                  << Qt::endl;
        if (drillHint)
            ctx.err() << "Hint: prove these backups restore with a weekly drill: " << drillHint->command() << Qt::endl;
    }
    return 0;
}

static int list(CliContext &ctx, const ArgParser &) {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto row = [&now](const ScheduleRecord &s) {
        const CronExpression cron = CronExpression::parse(s.cron);
        const QDateTime next = s.enabled ? cron.nextFire(now, DueRunner::timeZone(s.timeZone)) : QDateTime();
        return NamedThings::Row{
            scheduleJson(s, next),
            QStringLiteral("%1  %2  %3  %4  next: %5  last: %6")
                .arg(s.name.leftJustified(16),
                     (s.sourceKind == QLatin1String("database") ? s.profile
                                                                : s.sourceKind + QLatin1Char(':') + s.profile)
                         .leftJustified(12),
                     s.cron.leftJustified(14), s.enabled ? cron.describe() : QStringLiteral("(disabled)"),
                     s.enabled ? when(next) : QStringLiteral("-"),
                     s.lastRun.isValid() ? QStringLiteral("%1 %2 #%3")
                                               .arg(when(s.lastRun.toLocalTime()), s.lastStatus)
                                               .arg(s.lastBackupId)
                                         : QStringLiteral("never"))};
    };
    return NamedThings::list(ctx, ctx.catalog()->schedules(), row,
                             QStringLiteral("No schedules (add one with `lifeboatctl schedule add`)."));
}

static int remove(CliContext &ctx, const ArgParser &p) {
    return NamedThings::remove(ctx, p.positional().first(),
                               {[&ctx](const QString &name) {
                                    QString err;
                                    ctx.catalog()->removeSchedule(name, &err);
                                    return err;
                                },
                                false,
                                {},
                                QStringLiteral("Schedule \"%1\" removed (its backups stay).")});
}

static int install(CliContext &ctx, const ArgParser &p) {
    const bool systemd = p.isSet(QStringLiteral("systemd"));
    const int modes = int(systemd) + int(p.isSet(QStringLiteral("cron"))) + int(p.isSet(QStringLiteral("launchd"))) +
                      int(p.isSet(QStringLiteral("schtasks")));
    if (modes != 1)
        return ctx.usage(
            QStringLiteral("schedule install needs exactly one of --systemd, --cron, --launchd or --schtasks"));
    const QString exe = QFileInfo(QCoreApplication::applicationFilePath()).absoluteFilePath();
    QStringList cmd{QDir::toNativeSeparators(exe), QStringLiteral("--home"), QDir::toNativeSeparators(ctx.home())};
    const QString logFile = QDir(ctx.home()).filePath(QStringLiteral("run-due.log"));
    if (p.isSet(QStringLiteral("wal-receive"))) {
        const QString profile = p.value(QStringLiteral("wal-receive"));
        if (!systemd)
            return ctx.usage(QStringLiteral("--wal-receive needs --systemd (a long-running service, not a timer)"));
        if (!ctx.config().profile(profile))
            return ctx.usage(QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(profile));
        const QString unit = RunnerUnits::walReceiveUnitName(profile);
        const QString text = RunnerUnits::walReceiveService(cmd, profile);
        if (p.isSet(QStringLiteral("print"))) {
            ctx.out() << "# " << unit << '\n' << text << Qt::flush;
            return 0;
        }
        const QString dir =
            QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/systemd/user");
        QSaveFile f(QDir(dir).filePath(unit));
        if (!QDir().mkpath(dir) || !f.open(QIODevice::WriteOnly) || f.write(text.toUtf8()) < 0 || !f.commit())
            return ctx.usage(QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
        ctx.err() << "Wrote " << f.fileName() << ". Start it with:\n"
                  << "  systemctl --user daemon-reload && systemctl --user enable --now " << unit << '\n'
                  << "(and `loginctl enable-linger` to keep it running while you are logged out)" << Qt::endl;
        if (ctx.json())
            ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("unit"), f.fileName()}});
        return 0;
    }
    if (p.isSet(QStringLiteral("launchd")) || p.isSet(QStringLiteral("schtasks")))
        return ScheduleCommand::installOtherOs(ctx, p.isSet(QStringLiteral("launchd")), cmd, logFile,
                                               p.isSet(QStringLiteral("print")), p.value(QStringLiteral("out")));
    if (!systemd) {
        QStringList quoted;
        for (const QString &a : cmd)
            quoted << shellQuote(a);
        const QString line =
            QStringLiteral("* * * * * %1 run-due >>%2 2>&1").arg(quoted.join(QLatin1Char(' ')), shellQuote(logFile));
        if (p.isSet(QStringLiteral("print"))) {
            ctx.out() << line << Qt::endl;
            return 0;
        }
        QProcess crontab;
        dieWithParent(crontab);
        crontab.start(QStringLiteral("crontab"), {QStringLiteral("-l")});
        if (!crontab.waitForFinished(10000) && crontab.error() == QProcess::FailedToStart)
            return ctx.usage(
                QStringLiteral("crontab is not installed; add this line with your scheduler:\n%1").arg(line));
        QString current = crontab.exitCode() == 0 ? QString::fromLocal8Bit(crontab.readAllStandardOutput()) : QString();
        if (current.contains(QStringLiteral(" run-due")) && current.contains(exe)) {
            ctx.err() << "The crontab already runs lifeboatctl run-due; left unchanged." << Qt::endl;
            return 0;
        }
        if (!current.isEmpty() && !current.endsWith(QLatin1Char('\n')))
            current += QLatin1Char('\n');
        current += line + QLatin1Char('\n');
        crontab.start(QStringLiteral("crontab"), {QStringLiteral("-")});
        crontab.waitForStarted();
        crontab.write(current.toLocal8Bit());
        crontab.closeWriteChannel();
        if (!crontab.waitForFinished(10000) || crontab.exitCode() != 0)
            return ctx.usage(QStringLiteral("crontab refused the new table: %1")
                                 .arg(QString::fromLocal8Bit(crontab.readAllStandardError()).trimmed()));
        ctx.err() << "Installed in your crontab:\n" << line << Qt::endl;
        return 0;
    }
    QStringList quoted;
    for (const QString &a : cmd)
        quoted << (a.contains(QLatin1Char(' ')) ? QLatin1Char('"') + a + QLatin1Char('"') : a);
    const QString service = QStringLiteral("[Unit]\nDescription=Lifeboat: run due backup schedules\n\n[Service]\n"
                                           "Type=oneshot\nExecStart=%1 run-due\n")
                                .arg(quoted.join(QLatin1Char(' ')));
    // Every minute; AccuracySec keeps systemd from batching it away, and run-due itself catches up missed runs.
    const QString timer = QStringLiteral("[Unit]\nDescription=Lifeboat: check backup schedules every minute\n\n"
                                         "[Timer]\nOnCalendar=*-*-* *:*:00\nAccuracySec=1s\nPersistent=true\n\n"
                                         "[Install]\nWantedBy=timers.target\n");
    if (p.isSet(QStringLiteral("print"))) {
        ctx.out() << "# lifeboat-run-due.service\n" << service << "\n# lifeboat-run-due.timer\n" << timer << Qt::flush;
        return 0;
    }
    const QString dir =
        QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/systemd/user");
    if (!QDir().mkpath(dir))
        return ctx.usage(QStringLiteral("cannot create %1").arg(dir));
    for (const auto &[name, text] : {std::pair{QStringLiteral("lifeboat-run-due.service"), service},
                                     std::pair{QStringLiteral("lifeboat-run-due.timer"), timer}}) {
        QSaveFile f(QDir(dir).filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(text.toUtf8()) < 0 || !f.commit())
            return ctx.usage(QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    }
    ctx.err() << "Wrote " << dir << "/lifeboat-run-due.{service,timer}. Enable it with:\n"
              << "  systemctl --user daemon-reload && systemctl --user enable --now lifeboat-run-due.timer\n"
              << "(and `loginctl enable-linger` to keep it running while you are logged out)" << Qt::endl;
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("dir"), dir}});
    return 0;
}

int ScheduleCommand::installOtherOs(CliContext &ctx, bool launchd, const QStringList &cmd, const QString &logFile,
                                    bool printOnly, const QString &outDir) {
    const QString text = launchd ? RunnerUnits::launchdPlist(cmd, logFile)
                                 : RunnerUnits::schtasksXml(cmd, QDate::currentDate().startOfDay().toString(
                                                                     QStringLiteral("yyyy-MM-ddTHH:mm:ss")));
    const QString fileName = launchd ? QStringLiteral("%1.plist").arg(QLatin1String(RunnerUnits::kLaunchdLabel))
                                     : QStringLiteral("lifeboat-run-due.xml");
    if (printOnly) {
        ctx.out() << text << Qt::flush;
        return 0;
    }
    QString dir = outDir;
    if (dir.isEmpty()) {
#ifdef Q_OS_MACOS
        if (launchd)
            dir = QDir::homePath() + QStringLiteral("/Library/LaunchAgents");
#endif
        if (!launchd)
            dir = ctx.home();
    }
    if (dir.isEmpty())
        return ctx.usage(QStringLiteral("this is not macOS: use --print, or --out DIR to write the plist somewhere "
                                        "to copy it to ~/Library/LaunchAgents on the Mac"));
    if (!QDir().mkpath(dir))
        return ctx.usage(QStringLiteral("cannot create %1").arg(dir));
    const QString path = QDir(dir).filePath(fileName);
    QSaveFile f(path);
    // Task Scheduler reads its XML as UTF-16 (the declaration says so), with a byte-order mark.
    QByteArray bytes;
    if (launchd) {
        bytes = text.toUtf8();
    } else {
        const QString crlf = QString(text).replace(QLatin1Char('\n'), QLatin1String("\r\n"));
        bytes = QByteArray("\xff\xfe", 2) +
                QByteArray(reinterpret_cast<const char *>(crlf.utf16()), crlf.size() * qsizetype(sizeof(char16_t)));
    }
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return ctx.usage(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    const QString nativePath = QDir::toNativeSeparators(path);
    const QString next = launchd ? QStringLiteral("launchctl bootstrap gui/$(id -u) %1").arg(shellQuote(path))
                                 : RunnerUnits::schtasksCreateLine(nativePath);
    ctx.err() << "Wrote " << nativePath << ". Register it with:\n  " << next << Qt::endl;
    if (ctx.json())
        ctx.printJson(QJsonObject{
            {QStringLiteral("ok"), true}, {QStringLiteral("file"), nativePath}, {QStringLiteral("register"), next}});
    return 0;
}

QList<CliCommand> ScheduleCommand::commands() {
    return {{QStringLiteral("schedule"), QStringLiteral("add"),
             QStringLiteral("NAME --profile P|--files SOURCE|--redis SOURCE [--cron EXPR] [--storage NAME]... "
                            "[--missed catch-up|skip] [--tz ZONE] [--compress SPEC] %1 [--disabled] [--replace]\n"
                            "       NAME --verify --profile P [--sandbox | --target PROFILE] [--cron EXPR] "
                            "[--tz ZONE] [--missed catch-up|skip] [--disabled] [--replace]\n"
                            "       NAME --base --profile P [--cron EXPR] [--storage NAME]... [--tz ZONE] "
                            "[--missed catch-up|skip] %1 [--disabled] [--replace]")
                 .arg(RetentionFlags::synopsis()),
             1, 1, &add,
             cliOptions(R"(
--profile P  The database profile to back up.
--files SOURCE  The file source to back up (`lifeboatctl files add`).
--redis SOURCE  The Redis source to back up (`lifeboatctl redis add`).
--cron EXPR  5-field cron: minute hour day-of-month month day-of-week (default "0 1 * * *").
--storage NAME  Write here (repeatable; default: the profile's or source's storages).
--missed POLICY  Missed runs: catch-up (one run at the next chance, default) or skip.
--tz ZONE  Time zone of the cron times (default: the system's).
--compress SPEC  --profile: the backups' compression, as `backup --compress`: zstd[:L] (default), none, gzip[:L],
    pg:gzip[:L], pg:zstd[:L], pg:lz4[:L].
--verify  A recovery drill: verify the newest good backup of --profile P (restore into a temporary database, row
    counts, foreign keys, every table read) instead of backing up; the outcome goes on the backup, the report under
    HOME/reports, verify.failed/verify.passed to the notifiers (default cron "0 3 * * 0", weekly).
--base  A base backup schedule for point-in-time recovery: `basebackup` of --profile P's whole cluster (records of
    kind base; with WAL capture, the start of every recovery); the --keep-* rules count its base backups.
--sandbox  --verify: restore into a throwaway local cluster (initdb).
--target PROFILE  --verify: create the temporary database on this profile's server (default: P's own).)") +
                 RetentionFlags::options(RetentionFlags::Use::Schedule) + cliOptions(R"(
--disabled  Store it without running it.
--replace  Replace a schedule of the same name.)")},
            {QStringLiteral("schedule"), QStringLiteral("list"), QString(), 0, 0, &list},
            {QStringLiteral("schedule"), QStringLiteral("remove"), QStringLiteral("NAME"), 1, 1, &remove},
            {QStringLiteral("schedule"), QStringLiteral("install"),
             QStringLiteral("--systemd|--cron|--launchd|--schtasks [--print] [--out DIR] | --systemd "
                            "--wal-receive PROFILE [--print]"),
             0, 0, &install, cliOptions(R"(
--systemd  A systemd user timer running run-due every minute.
--cron  A crontab line running run-due every minute.
--launchd  macOS: a LaunchAgent (org.lifeboat.run-due.plist) running run-due every minute.
--schtasks  Windows: a Task Scheduler task (XML) running run-due every minute while you are logged on, and the
    schtasks /Create line that registers it.
--wal-receive PROFILE  With --systemd: a user service keeping `wal receive PROFILE` running instead of the run-due
    timer.
--print  Only print what would be installed.
--out DIR  --launchd/--schtasks: write the file into DIR (default: ~/Library/LaunchAgents on macOS; the Lifeboat
    home for the task XML).)")}};
}
