#include "TransferCommand.h"

#include "catalog/AuditTrail.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include "catalog/LeaseGuard.h"
#include "jobs/ArtifactReader.h"
#include "jobs/BackupDeleter.h"
#include "jobs/ManifestVerifier.h"
#include "jobs/StoreFactory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

using namespace lifeboat;

namespace {
std::optional<BackupRecord> recordArg(CliContext &ctx, const QString &text) {
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    return ok ? ctx.catalog()->get(id) : std::nullopt;
}
} // namespace

static int download(CliContext &ctx, const ArgParser &p) {
    if (!p.isSet(QStringLiteral("to")))
        return ctx.usage(QStringLiteral("download needs --to DIR"));
    const auto record = recordArg(ctx, p.positional().first());
    if (!record)
        return ctx.usage(QStringLiteral("no backup with id \"%1\"").arg(p.positional().first()));
    if (record->status != BackupRecord::statusCompleted())
        return ctx.usage(QStringLiteral("backup #%1 is %2; only completed backups can be downloaded")
                             .arg(record->id)
                             .arg(record->status));
    LeaseGuard lease; // the backup is not deleted (delete, prune) while it is downloaded
    if (const Error e = LeaseGuard::acquire(ctx.catalog().get(), record->id, QStringLiteral("download"), &lease))
        return ctx.fail(e);
    ArtifactReader reader(ctx.config().storages());
    CliSecrets secrets(ctx);
    reader.setSecretLookup([&](const QString &storage) { return secrets.storageSecret(storage); });
    reader.setOnProgress([&lease] { lease.renewIfDue(); }); // a download running past the lease's expiry keeps it
    // Who signed the manifest is settled before a byte is copied: a manifest that fails its signature stops here.
    const ManifestVerdict signature = ManifestVerifier::fromCatalog(ctx.catalog().get())
                                          .checkRecord(*record, ctx.config().storages(), [&](const QString &storage) {
                                              return secrets.storageSecret(storage);
                                          });
    if (const Error e = ManifestVerifier::enforce(signature, p.isSet(QStringLiteral("require-signed")),
                                                  QStringLiteral("backup #%1").arg(record->id)))
        return ctx.fail(e);
    QString path;
    ArtifactReader::CopyUsed used;
    if (!reader.downloadTo(*record, p.value(QStringLiteral("to")), &path, false, &used)) {
        AuditTrail::record(QStringLiteral("download"), record->profile, QStringLiteral("failed"), record->id,
                           reader.error().message);
        return ctx.fail(reader.error());
    }
    // The manifest and roles file beside it, so `restore FILE` (and --create-missing-roles) work from the copy.
    QStringList gaps;
    const QStringList beside = reader.downloadCompanions(*record, used, path, &gaps);
    AuditTrail::record(QStringLiteral("download"), record->profile, QStringLiteral("completed"), record->id, path);
    if (ctx.json()) {
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true},
                                  {QStringLiteral("path"), path},
                                  {QStringLiteral("sha256"), record->sha256},
                                  {QStringLiteral("copy"), used.toJson()},
                                  {QStringLiteral("beside"), QJsonArray::fromStringList(beside)},
                                  {QStringLiteral("notCopied"), QJsonArray::fromStringList(gaps)},
                                  {QStringLiteral("manifestSignature"), signature.toJson()}});
    } else {
        ctx.err() << "Manifest: " << signature.describe() << Qt::endl;
        for (const QString &s : used.skipped)
            ctx.err() << "lifeboatctl: copy passed over: " << s << Qt::endl;
        ctx.err() << "Downloaded and verified (SHA-256 " << record->sha256 << ") from " << used.describe() << ": "
                  << path << Qt::endl;
        for (const QString &b : beside)
            ctx.err() << "Beside it: " << b << Qt::endl;
        for (const QString &g : gaps)
            ctx.err() << "lifeboatctl: warning: not copied beside it: " << g << Qt::endl;
    }
    return 0;
}

static int remove(CliContext &ctx, const ArgParser &p) {
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
    CliSecrets secrets(ctx);
    BackupDeleter deleter(ctx.config().storages(), [&](const QString &s) { return secrets.storageSecret(s); });
    const BackupDeleter::Outcome out = deleter.deleteBackup(*ctx.catalog(), *record);
    for (const QString &m : out.missing)
        ctx.err() << "lifeboatctl: already missing: " << m << Qt::endl;
    if (out.error)
        return ctx.fail(out.error);
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("id"), record->id}});
    else
        ctx.err() << "Backup #" << record->id << " deleted." << Qt::endl;
    return 0;
}

QList<CliCommand> TransferCommand::commands() {
    return {{QStringLiteral("download"), {}, QStringLiteral("ID --to DIR"), 1, 1, &download, cliOptions(R"(
--to DIR  Directory to copy the artifact into.
--require-signed  Refuse (exit 4) a backup whose manifest is unsigned or signed by a key the catalog does not know.)")},
            {QStringLiteral("delete"), {}, QStringLiteral("ID [--force]"), 1, 1, &remove, cliOptions(R"(
--force  Also delete a backup younger than 24 hours.)")}};
}
