#include "TransferCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include "jobs/ArtifactReader.h"
#include "jobs/StoreFactory.h"
#include "storage/S3Session.h"

#include <QFile>
#include <QJsonObject>

using namespace lifeboat;

namespace {
std::optional<BackupRecord> recordArg(CliContext &ctx, const QString &text) {
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    return ok ? ctx.catalog()->get(id) : std::nullopt;
}
} // namespace

int TransferCommand::download(CliContext &ctx, const QStringList &args) {
    ArgParser p(QStringLiteral("download"), QStringLiteral("ID --to DIR"));
    p.option(QStringLiteral("to"), QStringLiteral("Directory to copy the artifact into."), QStringLiteral("DIR"));
    if (auto rc = p.parse(ctx, args, 1, 1))
        return *rc;
    if (!p.isSet(QStringLiteral("to")))
        return ctx.usage(QStringLiteral("download needs --to DIR"));
    const auto record = recordArg(ctx, p.positional().first());
    if (!record)
        return ctx.usage(QStringLiteral("no backup with id \"%1\"").arg(p.positional().first()));
    if (record->status != BackupRecord::statusCompleted())
        return ctx.usage(QStringLiteral("backup #%1 is %2; only completed backups can be downloaded")
                             .arg(record->id)
                             .arg(record->status));
    ArtifactReader reader(ctx.config().storages());
    CliSecrets secrets(ctx);
    reader.setSecretLookup([&](const QString &storage) { return secrets.storageSecret(storage); });
    QString path;
    if (!reader.downloadTo(*record, p.value(QStringLiteral("to")), &path))
        return ctx.fail(reader.error());
    if (ctx.json())
        ctx.printJson(QJsonObject{
            {QStringLiteral("ok"), true}, {QStringLiteral("path"), path}, {QStringLiteral("sha256"), record->sha256}});
    else
        ctx.err() << "Downloaded and verified (SHA-256 " << record->sha256 << "): " << path << Qt::endl;
    return 0;
}

int TransferCommand::remove(CliContext &ctx, const QStringList &args) {
    ArgParser p(QStringLiteral("delete"), QStringLiteral("ID [--force]"));
    p.flag(QStringLiteral("force"), QStringLiteral("Also delete a backup younger than 24 hours."));
    if (auto rc = p.parse(ctx, args, 1, 1))
        return *rc;
    auto record = recordArg(ctx, p.positional().first());
    if (!record)
        return ctx.usage(QStringLiteral("no backup with id \"%1\"").arg(p.positional().first()));
    if (record->status == BackupRecord::statusInProgress())
        return ctx.fail(ExitCode::Refused,
                        QStringLiteral("backup #%1 is still in progress; cancel it first").arg(record->id));
    if (record->status == BackupRecord::statusDeleted())
        return ctx.usage(QStringLiteral("backup #%1 is already deleted").arg(record->id));
    const qint64 ageSecs = record->started.secsTo(QDateTime::currentDateTimeUtc());
    if (ageSecs < 24 * 3600 && !p.isSet(QStringLiteral("force")))
        return ctx.fail(
            ExitCode::Refused,
            QStringLiteral("backup #%1 is younger than 24 hours; pass --force to delete it anyway").arg(record->id));
    QStringList problems;
    CliSecrets secrets(ctx);
    for (const BackupLocation &loc : record->locations) {
        if (loc.kind == QLatin1String("s3")) {
            const auto sc = ctx.config().storage(loc.storage);
            Error e;
            auto session = sc ? StoreFactory::s3Session(*sc, secrets.storageSecret(loc.storage), &e) : nullptr;
            if (!session) {
                problems << QStringLiteral("%1: %2").arg(loc.storage,
                                                         sc ? e.message : QStringLiteral("storage not configured"));
                continue;
            }
            for (const QString &key : {loc.path, loc.manifestPath}) {
                const Error d = key.isEmpty() ? Error{} : session->deleteObject(key);
                if (d)
                    problems << QStringLiteral("%1: deleting %2 failed: %3").arg(loc.storage, key, d.message);
            }
            continue;
        }
        for (const QString &f : {loc.path, loc.manifestPath}) {
            // An already missing file is gone either way: note it and carry on.
            if (!f.isEmpty() && QFile::exists(f) && !QFile::remove(f))
                problems << QStringLiteral("cannot remove %1").arg(f);
        }
    }
    if (!problems.isEmpty())
        return ctx.fail(ExitCode::Transfer, problems.join(QStringLiteral("; ")));
    record->status = BackupRecord::statusDeleted();
    QString err;
    if (!ctx.catalog()->update(*record, &err))
        return ctx.usage(err);
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("id"), record->id}});
    else
        ctx.err() << "Backup #" << record->id << " deleted." << Qt::endl;
    return 0;
}
