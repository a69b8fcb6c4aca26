#include "CommandTable.h"

#include "ArgParser.h"
#include "AuditCommand.h"
#include "BackupCommand.h"
#include "BaseBackupCommand.h"
#include "CatalogCommand.h"
#include "CheckCommand.h"
#include "CliContext.h"
#include "FilesCommand.h"
#include "KeygenCommand.h"
#include "KeysCommand.h"
#include "ListCommand.h"
#include "MirrorCommand.h"
#include "NotifyCommand.h"
#include "ProfileCommand.h"
#include "PruneCommand.h"
#include "RecoverCommand.h"
#include "RedisCommand.h"
#include "RestoreCommand.h"
#include "RunDueCommand.h"
#include "S3Command.h"
#include "ScheduleCommand.h"
#include "SecretsCommand.h"
#include "SetCommand.h"
#include "StorageCommand.h"
#include "TransferCommand.h"
#include "VerifyCommand.h"
#include "WalCommand.h"

#include <QJsonObject>

namespace {
const char *kHead = R"(Usage: lifeboatctl [--home DIR] [--catalog URI] [--json] COMMAND ...

PostgreSQL backup and disaster recovery (headless companion of the Lifeboat app).

Commands:
)";

const char *kTail = R"(
Global options:
  --home DIR    settings and catalog directory (default: $LIFEBOAT_HOME or the platform's app-data directory)
  --catalog URI shared catalog: postgresql://USER@HOST/DB (password from ~/.pgpass) or sqlite:PATH
                (default: the catalogUri setting, else HOME/catalog.sqlite)
  --json        machine-readable output on stdout; human text and progress go to stderr
  --version     print the version
  --help        this help; `lifeboatctl COMMAND --help` for a command's options

Exit codes: 0 success, 1 pg tool failure, 2 transfer/storage failure, 3 usage or configuration error,
4 verification or integrity failure, 5 cancelled, 6 refused by a safety check.
)";

// The commands whose subcommand is one of `group`'s, filtered from a class's list (ListCommand and
// TransferCommand each declare two top-level commands).
QList<CliCommand> of(const QString &group, const QList<CliCommand> &all) {
    QList<CliCommand> out;
    for (const CliCommand &c : all)
        if (c.group == group)
            out << c;
    return out;
}

QString sl(const char *s) {
    return QString::fromUtf8(s);
}
} // namespace

bool CommandTable::fatalFetch(const QStringList &args) {
    return args.value(0) == QLatin1String("wal") && args.value(1) == QLatin1String("fetch") &&
           args.contains(QStringLiteral("--fatal-errors"));
}

const QList<CommandTable::Group> &CommandTable::groups() {
    // One group a line where it fits: it reads as the table it is.
    // clang-format off
    static const QList<Group> all{
        {sl("profile"), {}, sl("database server profiles"), sl("usage: lifeboatctl profile add|list|test|remove …"), {}, ProfileCommand::commands()},
        {sl("storage"), {}, sl("backup destinations (local directory, S3), their own retention"), sl("usage: lifeboatctl storage add|set|list|remove …"), {}, StorageCommand::commands()},
        {sl("backup"), sl("PROFILE"), sl("back up a database now"), {}, {}, BackupCommand::commands()},
        {sl("basebackup"), sl("PROFILE"), sl("a physical base backup of the whole cluster (point-in-time recovery)"), {}, {}, BaseBackupCommand::commands()},
        {sl("list"), {}, sl("backups in the catalog (filters: --profile --status --type --since --until)"), {}, {}, of(sl("list"), ListCommand::commands())},
        {sl("show"), sl("ID"), sl("one backup in full"), {}, {}, of(sl("show"), ListCommand::commands())},
        {sl("download"), sl("ID --to DIR"), sl("copy a backup out, checksum verified"), {}, {}, of(sl("download"), TransferCommand::commands())},
        {sl("delete"), sl("ID [--force]"), sl("delete a backup's files and mark it DELETED"), {}, {}, of(sl("delete"), TransferCommand::commands())},
        {sl("restore"), sl("ID|FILE --target PROFILE|URI --target-db NAME [--create] [--clean] [--dry-run] [--confirm NAME] ..."), sl("restore a backup, after safety checks (see `restore --help`)"), {}, {}, RestoreCommand::commands()},
        {sl("recover"), sl("PROFILE --to TIME|latest --data-dir DIR --port N [--start] [--dry-run]"), sl("point-in-time recovery from a base backup and the archived WAL"), {}, {}, RecoverCommand::commands()},
        {sl("verify"), sl("ID|FILE [--report PATH.json|PATH.html] [--identity FILE]"), sl("restore into a temporary database and check it; exit 4 on any failed check"), {}, {}, VerifyCommand::commands()},
        {sl("keygen"), sl("[--out FILE]"), sl("create an age identity for encrypted backups"), {}, {}, KeygenCommand::commands()},
        {sl("keys"), {}, sl("manifest signing keys: this installation's and the ones it trusts"), sl("usage: lifeboatctl keys [list] | keys export [KEYID] | keys trust PUBKEY|FILE --label NAME | keys rotate"), sl("list"), KeysCommand::commands()},
        {sl("s3"), sl("STORAGE ..."), sl("browse a bucket, fetch an object (verified), share a presigned link"), sl("usage: lifeboatctl s3 ls|get|presign …"), {}, S3Command::commands()},
        {sl("catalog"), sl("STORAGE"), sl("recreate catalog records from the manifests in a storage"), sl("usage: lifeboatctl catalog rebuild STORAGE"), {}, CatalogCommand::commands()},
        {sl("schedule"), {}, sl("automatic backups (cron expressions) and the runner's systemd timer/crontab"), sl("usage: lifeboatctl schedule add|list|remove|install ..."), {}, ScheduleCommand::commands()},
        {sl("run-due"), sl("[--as-of TIME]"), sl("run every schedule that is due, then its retention (call it every minute)"), {}, {}, RunDueCommand::commands()},
        {sl("prune"), sl("[--dry-run] [--profile P]"), sl("apply retention (7 daily, 4 weekly, 12 monthly by default), with reasons"), {}, {}, PruneCommand::commands()},
        {sl("notify"), {}, sl("webhook and e-mail notifications on failure (or always)"), sl("usage: lifeboatctl notify add|list|remove|test ..."), {}, NotifyCommand::commands()},
        {sl("check"), sl("[--prometheus FILE]"), sl("for monitoring: one line per source, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN"), {}, {}, CheckCommand::commands()},
        {sl("audit"), sl("[--since D] [--user U] [--action A]"), sl("the audit trail: who backed up, restored, deleted or changed what, and when"), {}, {}, AuditCommand::commands()},
        {sl("secrets"), sl("BACKEND"), sl("where passwords and keys are kept (keychain, encrypted file, ask every time)"), sl("usage: lifeboatctl secrets status | secrets use keychain|file|prompt|auto"), {}, SecretsCommand::commands()},
        {sl("mirror"), {}, sl("bucket mirrors: an S3 prefix copied incrementally (size + ETag) into backup storage"), sl("usage: lifeboatctl mirror add|list|remove|run|restore … (see `lifeboatctl mirror add --help`)"), {}, MirrorCommand::commands()},
        {sl("set"), {}, sl("application backup sets: database + directories + mirrors + Redis as one unit"), sl("usage: lifeboatctl set add|set|list|remove|backup|restore|prune|run-due … (see `lifeboatctl set add --help`)"), {}, SetCommand::commands()},
        {sl("files"), {}, sl("directory sources: tar + gzip/zstd backups, safe restore into a directory"), sl("usage: lifeboatctl files add|list|remove|backup|restore|verify … (see `lifeboatctl files backup --help`)"), {}, FilesCommand::commands()},
        {sl("redis"), {}, sl("Redis sources: BGSAVE, then the RDB snapshot over the replication protocol"), sl("usage: lifeboatctl redis add|list|remove|backup … (see `lifeboatctl redis backup --help`)"), {}, RedisCommand::commands()},
        {sl("wal"), {}, sl("continuous WAL archiving: archive_command, restore_command, window, streaming"), sl("usage: lifeboatctl wal push|fetch|status|receive … (see `lifeboatctl wal push --help`)"), {}, WalCommand::commands()},
    };
    // clang-format on
    return all;
}

const CommandTable::Group *CommandTable::group(const QString &name) {
    for (const Group &g : groups())
        if (g.name == name)
            return &g;
    return nullptr;
}

QString CommandTable::usageText() {
    constexpr int kColumn = 35; // summaries start here; a longer left side puts its summary on the next line
    QString text = sl(kHead);
    for (const Group &g : groups()) {
        QStringList subs;
        for (const CliCommand &c : g.commands)
            if (!c.sub.isEmpty())
                subs << c.sub;
        QString left = QStringLiteral("  ") + g.name;
        if (!subs.isEmpty())
            left += QLatin1Char(' ') + subs.join(QLatin1Char('|'));
        if (!g.args.isEmpty())
            left += QLatin1Char(' ') + g.args;
        text += left.size() < kColumn ? left.leftJustified(kColumn)
                                      : left + QLatin1Char('\n') + QString(kColumn, QLatin1Char(' '));
        text += g.summary + QLatin1Char('\n');
    }
    return text + sl(kTail);
}

QJsonArray CommandTable::dump() {
    QJsonArray out;
    for (const Group &g : groups()) {
        for (const CliCommand &c : g.commands) {
            QJsonArray options;
            for (const CliOption &o : c.options)
                options.append(QJsonObject{{QStringLiteral("name"), o.name},
                                           {QStringLiteral("value"), o.valueName},
                                           {QStringLiteral("help"), o.help}});
            out.append(QJsonObject{{QStringLiteral("group"), g.name},
                                   {QStringLiteral("sub"), c.sub},
                                   {QStringLiteral("command"), c.name()},
                                   {QStringLiteral("synopsis"), c.synopsis},
                                   {QStringLiteral("options"), options}});
        }
    }
    return out;
}

int CommandTable::run(CliContext &ctx, const QStringList &args) {
    const Group *g = group(args.value(0));
    if (!g)
        return ctx.usage(QStringLiteral("unknown command \"%1\" (see `lifeboatctl --help`)").arg(args.value(0)));
    QStringList rest = args.mid(1);
    const CliCommand *cmd = nullptr;
    if (g->usage.isEmpty()) {
        cmd = &g->commands.first();
    } else {
        QString sub = rest.value(0);
        if (!g->defaultSub.isEmpty() && (sub.isEmpty() || sub.startsWith(QLatin1String("--"))))
            sub = g->defaultSub;
        else if (!rest.isEmpty())
            rest.removeFirst();
        for (const CliCommand &c : g->commands)
            if (c.sub == sub)
                cmd = &c;
        if (!cmd)
            return ctx.usage(g->usage);
    }
    ArgParser p(cmd->name(), cmd->synopsis);
    for (const CliOption &o : cmd->options)
        p.option(o.name, o.help, o.valueName);
    if (auto rc = p.parse(ctx, rest, cmd->minPos, cmd->maxPos))
        return fatalFetch(args) ? 255 : *rc;
    return cmd->handler(ctx, p);
}
