#include "FilesCommand.h"

#include "ArgParser.h"
#include "CliAutomation.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "CliUseCase.h"
#include "NamedThings.h"
#include "RestoreCliSupport.h"
#include "ops/BackupSteps.h"
#include "ops/FilesBackup.h"
#include "schedule/DueRunner.h"

#include "files/FilesBackupJob.h"
#include "ops/FilesRestore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

using namespace lifeboat;

QList<CliCommand> FilesCommand::commands() {
    return {
        {QStringLiteral("files"), QStringLiteral("add"),
         QStringLiteral("NAME --path DIR [--exclude GLOB]... [--compress gzip|zstd|none] [--storage NAME]... "
                        "[--recipient AGE]..."),
         1, 1, &add, cliOptions(R"(
--path DIR  The directory to back up.
--exclude GLOB  Leave out names matching this glob (repeatable).
--compress C  zstd (default), gzip or none.
--storage NAME  Default storage (repeatable).
--recipient AGE  Encrypt to this age recipient (repeatable).)")},
        {QStringLiteral("files"), QStringLiteral("list"), QString(), 0, 0, &list},
        {QStringLiteral("files"), QStringLiteral("remove"), QStringLiteral("NAME"), 1, 1, &remove},
        {QStringLiteral("files"), QStringLiteral("backup"),
         QStringLiteral("NAME [--path DIR] [--exclude GLOB]... [--compress gzip|zstd|none[:L]] "
                        "[--storage NAME]... [--recipient AGE]... [--passphrase-stdin] "
                        "[--type manual|daily|weekly|monthly] [--label TEXT]"),
         1, 1, &backup,
         cliOptions(R"(
--path DIR  The directory (default: the configured file source NAME's path).
--exclude GLOB  Leave out names matching this glob (repeatable; adds to the source's).
--compress C  zstd (default), gzip or none, optionally :LEVEL.
--storage NAME  Write to this storage (repeatable; default: the source's).)") +
             encryptionOptions() + cliOptions(R"(
--type T  manual (default), daily, weekly or monthly.
--label TEXT  A label, e.g. before-migration.
--verbose  Show the job's log.)")},
        {QStringLiteral("files"), QStringLiteral("restore"),
         QStringLiteral("ID|FILE --to DIR [--overwrite] [--allow-external-links] "
                        "[--require-signed] [--identity FILE]... [--passphrase-stdin]"),
         1, 1, [](CliContext &ctx, const ArgParser &p) { return restore(ctx, p, false); },
         cliOptions(R"(
--to DIR  Restore into this directory (created when missing).
--overwrite  Restore into a non-empty directory, replacing files of the same name.
--allow-external-links  Also restore symlinks that point outside the directory (absolute or via ..).)") +
             verifyOptions()},
        {QStringLiteral("files"), QStringLiteral("verify"),
         QStringLiteral("ID|FILE [--require-signed] [--identity FILE]... [--passphrase-stdin]"), 1, 1,
         [](CliContext &ctx, const ArgParser &p) { return restore(ctx, p, true); }, verifyOptions()},
    };
}

// What `files restore` and `files verify` both take.
CliOptions FilesCommand::verifyOptions() {
    return cliOptions(R"(
--require-signed  Refuse (exit 4) a backup whose manifest is unsigned or signed by a key the catalog does not know.
--verbose  Show the job's log.)") +
           RestoreCliSupport::identityOptions();
}

CliOptions FilesCommand::encryptionOptions() {
    return {{QStringLiteral("recipient"), QStringLiteral("Encrypt to this age recipient (repeatable)."),
             QStringLiteral("AGE")},
            {QStringLiteral("passphrase-stdin"),
             QStringLiteral("Encrypt with a passphrase read from stdin (age scrypt).")}};
}

int FilesCommand::parseType(CliContext &ctx, const ArgParser &p, QString *type) {
    const QString t = p.value(QStringLiteral("type")).toUpper();
    if (t.isEmpty())
        return 0;
    if (t != QLatin1String("MANUAL") && t != QLatin1String("DAILY") && t != QLatin1String("WEEKLY") &&
        t != QLatin1String("MONTHLY"))
        return ctx.usage(QStringLiteral("--type takes manual, daily, weekly or monthly"));
    *type = t;
    return 0;
}

int FilesCommand::parseCompression(CliContext &ctx, const QString &spec, QString *codec, int *level) {
    if (spec.isEmpty())
        return 0;
    const QString c = spec.section(QLatin1Char(':'), 0, 0).toLower();
    const QString l = spec.section(QLatin1Char(':'), 1);
    const int maxLevel = c == QLatin1String("zstd") ? 19 : 9;
    if (c != QLatin1String("gzip") && c != QLatin1String("zstd") && c != QLatin1String("none"))
        return ctx.usage(QStringLiteral("--compress takes gzip, zstd or none (optionally :LEVEL)"));
    *codec = c;
    if (!l.isEmpty()) {
        bool ok = false;
        *level = l.toInt(&ok);
        if (!ok || *level < 1 || *level > maxLevel || c == QLatin1String("none"))
            return ctx.usage(QStringLiteral("--compress %1: the level must be 1–%2").arg(spec).arg(maxLevel));
    }
    return 0;
}

int FilesCommand::printBackupResult(CliContext &ctx, const JobResult &r) {
    if (!r.ok())
        return ctx.fail(r.error);
    if (ctx.json()) {
        QJsonObject d = r.details;
        d[QStringLiteral("ok")] = true;
        ctx.printJson(d);
    } else {
        ctx.err() << "Backup #" << r.recordId << " complete: " << r.details.value(QStringLiteral("filename")).toString()
                  << " (" << QLocale().formattedDataSize(r.details.value(QStringLiteral("size")).toInteger()) << ")"
                  << Qt::endl;
        ctx.out() << r.recordId << Qt::endl;
    }
    return 0;
}

int FilesCommand::add(CliContext &ctx, const ArgParser &p) {
    FileSourceConfig f;
    f.name = p.positional().first();
    if (!ConfigStore::isValidName(f.name))
        return ctx.usage(QStringLiteral("invalid source name \"%1\" (letters, digits, . _ -; up to 63)").arg(f.name));
    if (!p.isSet(QStringLiteral("path")))
        return ctx.usage(QStringLiteral("files add needs --path DIR"));
    f.path = QFileInfo(p.value(QStringLiteral("path"))).absoluteFilePath();
    if (!QFileInfo(f.path).isDir())
        return ctx.usage(QStringLiteral("%1 is not a directory").arg(f.path));
    f.excludes = p.values(QStringLiteral("exclude"));
    int level = -1;
    if (int rc = parseCompression(ctx, p.value(QStringLiteral("compress")), &f.compression, &level))
        return rc;
    f.storages = p.values(QStringLiteral("storage"));
    for (const QString &s : std::as_const(f.storages)) {
        if (!ctx.config().storage(s))
            return ctx.usage(QStringLiteral("unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(s));
    }
    f.recipients = p.values(QStringLiteral("recipient"));
    for (const QString &r : std::as_const(f.recipients)) {
        QString why;
        if (!AgeRecipient::parse(r, &why))
            return ctx.usage(QStringLiteral("--recipient: %1").arg(why));
    }
    ctx.config().upsertFileSource(f);
    if (!ctx.saveConfig())
        return 3;
    ctx.err() << "File source \"" << f.name << "\" saved (" << f.path << ")" << Qt::endl;
    return 0;
}

int FilesCommand::list(CliContext &ctx, const ArgParser &) {
    return NamedThings::list(ctx, ctx.config().fileSources(), [](const FileSourceConfig &f) {
        return NamedThings::Row{
            {{QStringLiteral("name"), f.name},
             {QStringLiteral("path"), f.path},
             {QStringLiteral("excludes"), QJsonArray::fromStringList(f.excludes)},
             {QStringLiteral("compression"), f.compression},
             {QStringLiteral("storages"), QJsonArray::fromStringList(f.storages)},
             {QStringLiteral("encrypted"), !f.recipients.isEmpty()}},
            QStringList{f.name, f.path, f.compression, f.storages.join(QLatin1Char(','))}.join(QLatin1Char('\t'))};
    });
}

int FilesCommand::remove(CliContext &ctx, const ArgParser &p) {
    return NamedThings::remove(ctx, p.positional().first(),
                               {[&ctx](const QString &name) {
                                    return ctx.config().removeFileSource(name)
                                               ? QString()
                                               : QStringLiteral("no file source \"%1\"").arg(name);
                                },
                                true,
                                {},
                                {},
                                false});
}

int FilesCommand::backup(CliContext &ctx, const ArgParser &p) {
    FilesBackup::Request req;
    req.source = p.positional().first();
    if (p.isSet(QStringLiteral("path")))
        req.path = p.value(QStringLiteral("path"));
    req.excludes = p.values(QStringLiteral("exclude"));
    req.label = p.value(QStringLiteral("label"));
    if (int rc = parseCompression(ctx, p.value(QStringLiteral("compress")), &req.compression, &req.level))
        return rc;
    if (int rc = parseType(ctx, p, &req.type))
        return rc;
    if (p.isSet(QStringLiteral("recipient")))
        req.recipients = p.values(QStringLiteral("recipient"));
    req.passphrase = p.isSet(QStringLiteral("passphrase-stdin"));
    req.storages = p.values(QStringLiteral("storage"));
    CliUseCase useCase(ctx);
    useCase.redirect(BackupSteps::passphraseKey(), req.passphrase, {});
    PreparedJob prepared = FilesBackup::prepare(useCase.context(), req);
    if (!prepared)
        return ctx.fail(prepared.error);
    const JobResult r = useCase.run(std::move(prepared), p.isSet(QStringLiteral("verbose")));
    return printBackupResult(ctx, r);
}

int FilesCommand::restore(CliContext &ctx, const ArgParser &p, bool verifyOnly) {
    if (!verifyOnly && p.value(QStringLiteral("to")).isEmpty())
        return ctx.usage(QStringLiteral("files restore needs --to DIR"));
    int rc = 0;
    auto identities = RestoreCliSupport::identities(ctx, p, &rc);
    if (!identities)
        return rc;

    FilesRestore::Request request;
    request.source = p.positional().first();
    request.identities = std::move(*identities);
    request.verifyOnly = verifyOnly;
    request.requireSigned = p.isSet(QStringLiteral("require-signed"));
    if (!verifyOnly) {
        request.targetDir = QFileInfo(p.value(QStringLiteral("to"))).absoluteFilePath();
        request.overwrite = p.isSet(QStringLiteral("overwrite"));
        request.allowExternalSymlinks = p.isSet(QStringLiteral("allow-external-links"));
    }
    CliUseCase useCase(ctx);
    PreparedJob prepared = FilesRestore::prepare(std::move(request), useCase.context());
    if (!prepared)
        return ctx.fail(prepared.error);
    const JobResult r = useCase.run(std::move(prepared), p.isSet(QStringLiteral("verbose")));
    if (!r.ok())
        return ctx.fail(r.error);
    if (ctx.json()) {
        ctx.printJson(r.details);
        return 0;
    }
    if (const QJsonObject sig = r.details.value(QStringLiteral("manifestSignature")).toObject(); !sig.isEmpty())
        ctx.err() << "Manifest: " << sig.value(QStringLiteral("detail")).toString() << Qt::endl;
    if (const QJsonObject copy = r.details.value(QStringLiteral("copy")).toObject(); !copy.isEmpty()) {
        for (const QJsonValue &s : copy.value(QStringLiteral("skipped")).toArray())
            ctx.err() << "Copy passed over: " << s.toString() << Qt::endl;
        ctx.err() << "Copy used: " << copy.value(QStringLiteral("kind")).toString() << " storage \""
                  << copy.value(QStringLiteral("storage")).toString() << "\" ("
                  << copy.value(QStringLiteral("location")).toString() << ")" << Qt::endl;
    }
    ctx.err() << (verifyOnly ? "Verified: " : "Restored: ") << r.details.value(QStringLiteral("fileCount")).toInteger()
              << " files, " << QLocale().formattedDataSize(r.details.value(QStringLiteral("totalBytes")).toInteger())
              << (verifyOnly ? QString()
                             : QStringLiteral(" into ") + r.details.value(QStringLiteral("target")).toString())
              << Qt::endl;
    return 0;
}
