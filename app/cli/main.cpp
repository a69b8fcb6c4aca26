#include "AuditCommand.h"
#include "BackupCommand.h"
#include "BaseBackupCommand.h"
#include "CatalogCommand.h"
#include "CheckCommand.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSigning.h"
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

#include "core/Home.h"

#include <QCoreApplication>
#include <QTextStream>

#include <functional>
#include <map>

namespace {
const char *kUsage = R"(Usage: lifeboatctl [--home DIR] [--catalog URI] [--json] COMMAND ...

PostgreSQL backup and disaster recovery (headless companion of the Lifeboat app).

Commands:
  profile add|list|test|remove     database server profiles
  storage add|set|list|remove      backup destinations (local directory, S3), their own retention
  backup PROFILE                   back up a database now
  basebackup PROFILE               a physical base backup of the whole cluster (point-in-time recovery)
  list                             backups in the catalog (filters: --profile --status --type --since --until)
  show ID                          one backup in full
  download ID --to DIR             copy a backup out, checksum verified
  delete ID [--force]              delete a backup's files and mark it DELETED
  restore ID|FILE --target PROFILE|URI --target-db NAME [--create] [--clean] [--dry-run] [--confirm NAME] ...
                                   restore a backup, after safety checks (see `restore --help`)
  recover PROFILE --to TIME|latest --data-dir DIR --port N [--start] [--dry-run]
                                   point-in-time recovery from a base backup and the archived WAL
  verify ID|FILE [--report PATH.json|PATH.html] [--identity FILE]
                                   restore into a temporary database and check it; exit 4 on any failed check
  keygen [--out FILE]              create an age identity for encrypted backups
  keys list|export|trust|rotate    manifest signing keys: this installation's and the ones it trusts
  s3 ls|get|presign STORAGE ...    browse a bucket, fetch an object (verified), share a presigned link
  catalog rebuild STORAGE          recreate catalog records from the manifests in a storage
  schedule add|list|remove|install automatic backups (cron expressions) and the runner's systemd timer/crontab
  run-due [--as-of TIME]           run every schedule that is due, then its retention (call it every minute)
  prune [--dry-run] [--profile P]  apply retention (7 daily, 4 weekly, 12 monthly by default), with reasons
  notify add|list|remove|test      webhook and e-mail notifications on failure (or always)
  check [--prometheus FILE]        for monitoring: one line per source, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
  audit [--since D] [--user U] [--action A]
                                   the audit trail: who backed up, restored, deleted or changed what, and when
  secrets status|use BACKEND       where passwords and keys are kept (keychain, encrypted file, ask every time)
  mirror add|list|remove|run|restore
                                   bucket mirrors: an S3 prefix copied incrementally (size + ETag) into backup storage
  set add|set|list|remove|backup|restore|prune|run-due
                                   application backup sets: database + directories + mirrors + Redis as one unit
  files add|list|remove|backup|restore|verify
                                   directory sources: tar + gzip/zstd backups, safe restore into a directory
  redis add|list|remove|backup     Redis sources: BGSAVE, then the RDB snapshot over the replication protocol
  wal push|fetch|status|receive    continuous WAL archiving: archive_command, restore_command, window, streaming

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
} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    CliJobRunner::surviveLostReader();
    QCoreApplication::setApplicationName(QStringLiteral("lifeboatctl"));
    QCoreApplication::setOrganizationName(QStringLiteral("Lifeboat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIFEBOAT_VERSION));

    // Global options may appear anywhere; everything else belongs to the command.
    QStringList args = app.arguments().mid(1);
    QString home;
    QString catalogUri;
    bool json = false;
    for (int i = 0; i < args.size();) {
        const QString a = args.at(i);
        if (a == QLatin1String("--json")) {
            json = true;
            args.removeAt(i);
        } else if (a == QLatin1String("--home") && i + 1 < args.size()) {
            home = args.at(i + 1);
            args.remove(i, 2);
        } else if (a.startsWith(QLatin1String("--home="))) {
            home = a.mid(7);
            args.removeAt(i);
        } else if (a == QLatin1String("--catalog") && i + 1 < args.size()) {
            catalogUri = args.at(i + 1);
            args.remove(i, 2);
        } else if (a.startsWith(QLatin1String("--catalog="))) {
            catalogUri = a.mid(10);
            args.removeAt(i);
        } else {
            ++i;
        }
    }
    QTextStream out(stdout);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h") ||
        args.first() == QLatin1String("help")) {
        out << kUsage;
        return args.isEmpty() ? 3 : 0;
    }
    if (args.first() == QLatin1String("--version") || args.first() == QLatin1String("version")) {
        out << "lifeboatctl " << QCoreApplication::applicationVersion() << '\n';
        return 0;
    }

    using Handler = std::function<int(CliContext &, const QStringList &)>;
    // One command a line: it reads as the table it is.
    // clang-format off
    const std::map<QString, Handler> commands{
        {QStringLiteral("profile"), &ProfileCommand::run},
        {QStringLiteral("storage"), &StorageCommand::run},
        {QStringLiteral("backup"), &BackupCommand::run},
        {QStringLiteral("basebackup"), &BaseBackupCommand::run},
        {QStringLiteral("list"), &ListCommand::list},
        {QStringLiteral("show"), &ListCommand::show},
        {QStringLiteral("download"), &TransferCommand::download},
        {QStringLiteral("delete"), &TransferCommand::remove},
        {QStringLiteral("restore"), &RestoreCommand::run},
        {QStringLiteral("recover"), &RecoverCommand::run},
        {QStringLiteral("verify"), &VerifyCommand::run},
        {QStringLiteral("keygen"), &KeygenCommand::run},
        {QStringLiteral("keys"), &KeysCommand::run},
        {QStringLiteral("s3"), &S3Command::run},
        {QStringLiteral("secrets"), &SecretsCommand::run},
        {QStringLiteral("catalog"), &CatalogCommand::run},
        {QStringLiteral("schedule"), &ScheduleCommand::run},
        {QStringLiteral("run-due"), &RunDueCommand::run},
        {QStringLiteral("prune"), &PruneCommand::run},
        {QStringLiteral("check"), &CheckCommand::run},
        {QStringLiteral("audit"), &AuditCommand::run},
        {QStringLiteral("notify"), &NotifyCommand::run},
        {QStringLiteral("mirror"), &MirrorCommand::run},
        {QStringLiteral("set"), &SetCommand::run},
        {QStringLiteral("files"), &FilesCommand::run},
        {QStringLiteral("redis"), &RedisCommand::run},
        {QStringLiteral("wal"), &WalCommand::run},
    };
    // clang-format on
    const auto it = commands.find(args.first());
    CliContext ctx(lifeboat::Home::resolve(home), json);
    ctx.setCatalogUri(catalogUri);
    if (it == commands.end())
        return ctx.usage(QStringLiteral("unknown command \"%1\" (see `lifeboatctl --help`)").arg(args.first()));
    if (!ctx.open()) {
        // restore_command: PostgreSQL reads any exit but 255 as "not archived" and would promote early.
        const bool fatalFetch = args.first() == QLatin1String("wal") && args.value(1) == QLatin1String("fetch") &&
                                args.contains(QStringLiteral("--fatal-errors"));
        return fatalFetch ? 255 : 3;
    }
    CliSigning::prepare(ctx, args);
    return it->second(ctx, args.mid(1));
}
