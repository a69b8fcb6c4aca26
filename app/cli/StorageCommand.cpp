#include "StorageCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"
#include "NamedThings.h"
#include "RetentionFlags.h"

#include "jobs/RetentionPruner.h"
#include "ops/StorageLow.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <QUrl>

using namespace lifeboat;

static int add(CliContext &ctx, const ArgParser &p) {
    const QString name = p.positional().first();
    if (!ConfigStore::isValidName(name))
        return ctx.usage(QStringLiteral("invalid storage name \"%1\" (letters, digits, . _ -; up to 63)").arg(name));
    StorageConfig s;
    s.name = name;
    RetentionFlags keep;
    if (auto rc = RetentionFlags::read(ctx, p, &keep))
        return *rc;
    if (auto rc = RetentionFlags::readArchiveTo(ctx, p, &keep, name))
        return *rc;
    keep.applyTo(&s);
    s.archiveTo = keep.archiveTo;
    if (p.isSet(QStringLiteral("local")) == p.isSet(QStringLiteral("s3")))
        return ctx.usage(QStringLiteral("storage add needs exactly one of --local DIR or --s3"));
    // Checked before anything is stored (an S3 secret goes to the credential store below).
    if (p.isSet(QStringLiteral("alert-free-below")) && p.isSet(QStringLiteral("s3")))
        return ctx.usage(QStringLiteral("--alert-free-below is for local storages (a bucket has no free space to "
                                        "measure)"));
    if (const QString why = StorageLow::checkSpec(p.value(QStringLiteral("alert-free-below")));
        p.isSet(QStringLiteral("alert-free-below")) && !why.isEmpty())
        return ctx.usage(QStringLiteral("--alert-free-below: %1").arg(why));
    if (const QString why = StorageLow::checkGrowthSpec(p.value(QStringLiteral("alert-growth-above")));
        p.isSet(QStringLiteral("alert-growth-above")) && !why.isEmpty())
        return ctx.usage(QStringLiteral("--alert-growth-above: %1").arg(why));
    if (p.isSet(QStringLiteral("local"))) {
        s.kind = QStringLiteral("local");
        if (p.isSet(QStringLiteral("storage-class")))
            return ctx.usage(QStringLiteral("--storage-class is for S3 storages; a local directory has none"));
        s.localDir = QDir(p.value(QStringLiteral("local"))).absolutePath();
        if (auto rc = RetentionFlags::refuseOverlap(ctx, s.archiveTo, &s))
            return *rc;
        if (!QDir().mkpath(s.localDir))
            return ctx.usage(QStringLiteral("cannot create %1 — check the path and its permissions").arg(s.localDir));
        QTemporaryFile probe(s.localDir + QStringLiteral("/.lifeboat-probe-XXXXXX"));
        if (!probe.open())
            return ctx.usage(QStringLiteral("%1 is not writable — check its permissions").arg(s.localDir));
    } else {
        s.kind = QStringLiteral("s3");
        s.endpoint = p.value(QStringLiteral("endpoint"));
        s.bucket = p.value(QStringLiteral("bucket"));
        if (p.isSet(QStringLiteral("region")))
            s.region = p.value(QStringLiteral("region"));
        s.prefix = p.value(QStringLiteral("prefix"));
        s.pathStyle = p.isSet(QStringLiteral("path-style"));
        s.accessKeyId = p.value(QStringLiteral("access-key-id"));
        s.awsProfile = p.value(QStringLiteral("aws-profile"));
        s.caFile = p.value(QStringLiteral("ca-file"));
        if (s.bucket.isEmpty())
            return ctx.usage(QStringLiteral("an S3 storage needs --bucket"));
        if (auto rc = StorageCommand::readStorageClass(ctx, p, &s))
            return *rc;
        const QUrl url(s.endpoint);
        if (!s.endpoint.isEmpty() &&
            (!url.isValid() || url.host().isEmpty() ||
             (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))))
            return ctx.usage(
                QStringLiteral("invalid --endpoint \"%1\" (expected http(s)://host[:port])").arg(s.endpoint));
        if (!s.caFile.isEmpty() && !QFileInfo(s.caFile).isReadable())
            return ctx.usage(QStringLiteral("cannot read the CA file %1").arg(s.caFile));
        if (auto rc = RetentionFlags::refuseOverlap(ctx, s.archiveTo, &s))
            return *rc;
        if (p.isSet(QStringLiteral("secret-stdin"))) {
            if (s.accessKeyId.isEmpty())
                return ctx.usage(QStringLiteral("--secret-stdin goes with --access-key-id"));
            CliSecrets secrets(ctx);
            // Kept or refused, never dropped (a storage without its secret fails the first backup at night).
            if (!secrets.store(CredentialStore::storageSecretKey(name), CliContext::readSecretFromStdin()))
                return ctx.fail(ExitCode::Usage,
                                QStringLiteral("storage \"%1\" not saved: %2").arg(name, secrets.lastMessage()));
        }
    }
    if (auto rc = StorageCommand::readAlert(ctx, p, &s))
        return *rc;
    ctx.config().upsertStorage(s);
    if (p.isSet(QStringLiteral("alert-growth-above")))
        StorageLow::setGrowthThreshold(&ctx.config(), name, p.value(QStringLiteral("alert-growth-above")));
    if (!ctx.saveConfig())
        return 3;
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("storage"), name}});
    else
        ctx.err() << "Storage \"" << name << "\" saved." << Qt::endl;
    return 0;
}

CliOptions StorageCommand::alertOptions() {
    return cliOptions(R"(
--alert-free-below SIZE|N%|off  Local storages: tell the notifiers (storage.low, once per crossing, noticed by
    run-due and the app) when the file system's free space falls under this: a percentage (default 5%), a size
    (500M, 20G, 1T) or off.
--alert-growth-above SIZE|off  Tell the notifiers (storage.low, once per crossing, noticed by run-due and the app)
    when the bytes Lifeboat stored on this storage in the last 24 hours (backups, base backups, WAL; from the
    catalog) exceed this size (500M, 20G, 1T); off: never (the default). For S3 storages, whose free space cannot be
    measured.)");
}

std::optional<int> StorageCommand::readAlert(CliContext &ctx, const ArgParser &p, StorageConfig *s) {
    if (!p.isSet(QStringLiteral("alert-free-below")))
        return std::nullopt;
    const QString spec = p.value(QStringLiteral("alert-free-below")).trimmed();
    if (!s->isLocal())
        return ctx.usage(QStringLiteral("--alert-free-below is for local storages (a bucket has no free space to "
                                        "measure)"));
    if (const QString why = StorageLow::checkSpec(spec); !why.isEmpty())
        return ctx.usage(QStringLiteral("--alert-free-below: %1").arg(why));
    s->alertFreeBelow = spec;
    return std::nullopt;
}

CliOptions StorageCommand::storageClassOptions() {
    return cliOptions(R"(
--storage-class CLASS  S3 storage class for uploads (x-amz-storage-class): STANDARD, STANDARD_IA, ONEZONE_IA,
    INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE, … (storage set: empty clears).)");
}

std::optional<int> StorageCommand::readStorageClass(CliContext &ctx, const ArgParser &p, StorageConfig *s) {
    if (!p.isSet(QStringLiteral("storage-class")))
        return std::nullopt;
    const QString c = p.value(QStringLiteral("storage-class")).trimmed().toUpper();
    // S3 names its classes in capitals, digits and underscores; anything else would only fail at the first upload.
    static const QRegularExpression valid(QStringLiteral("^[A-Z0-9_]{1,64}$"));
    if (!c.isEmpty() && !valid.match(c).hasMatch())
        return ctx.usage(QStringLiteral("--storage-class: \"%1\" is not a storage class (e.g. STANDARD_IA, GLACIER_IR)")
                             .arg(p.value(QStringLiteral("storage-class"))));
    s->storageClass = c;
    return std::nullopt;
}

static int set(CliContext &ctx, const ArgParser &p) {
    const QString name = p.positional().first();
    auto existing = ctx.config().storage(name);
    if (!existing)
        return ctx.usage(QStringLiteral("unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(name));
    StorageConfig s = *existing;
    RetentionFlags keep;
    if (auto rc = RetentionFlags::read(ctx, p, &keep))
        return *rc;
    if (auto rc = RetentionFlags::readArchiveTo(ctx, p, &keep, name))
        return *rc;
    if (!keep.any() && !keep.archiveToSet && !p.isSet(QStringLiteral("clear-retention")) &&
        !p.isSet(QStringLiteral("storage-class")) && !p.isSet(QStringLiteral("alert-free-below")) &&
        !p.isSet(QStringLiteral("alert-growth-above")))
        return ctx.usage(QStringLiteral("storage set needs --keep-* rules, --clear-retention, --archive-to, "
                                        "--storage-class, --alert-free-below or --alert-growth-above"));
    if (auto rc = StorageCommand::readAlert(ctx, p, &s))
        return *rc;
    if (const QString why = StorageLow::checkGrowthSpec(p.value(QStringLiteral("alert-growth-above")));
        p.isSet(QStringLiteral("alert-growth-above")) && !why.isEmpty())
        return ctx.usage(QStringLiteral("--alert-growth-above: %1").arg(why));
    if (p.isSet(QStringLiteral("alert-growth-above")))
        StorageLow::setGrowthThreshold(&ctx.config(), name, p.value(QStringLiteral("alert-growth-above")));
    if (p.isSet(QStringLiteral("storage-class"))) {
        if (!s.isS3())
            return ctx.usage(
                QStringLiteral("--storage-class is for S3 storages; \"%1\" is a local directory").arg(name));
        if (auto rc = StorageCommand::readStorageClass(ctx, p, &s))
            return *rc;
    }
    if (p.isSet(QStringLiteral("clear-retention"))) {
        const StorageConfig blank;
        s.keepLast = blank.keepLast;
        s.keepHourly = blank.keepHourly;
        s.keepDaily = blank.keepDaily;
        s.keepWeekly = blank.keepWeekly;
        s.keepMonthly = blank.keepMonthly;
        s.keepYearly = blank.keepYearly;
        s.keepWithinSeconds = blank.keepWithinSeconds;
        s.archiveTo.clear();
    }
    keep.applyTo(&s);
    if (keep.archiveToSet)
        s.archiveTo = keep.archiveTo;
    ctx.config().upsertStorage(s);
    if (!ctx.saveConfig())
        return 3;
    const QString rules =
        s.hasRetention() ? RetentionPruner::storagePolicy(s, RetentionPolicy()).describe() : QString();
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true},
                                  {QStringLiteral("storage"), name},
                                  {QStringLiteral("storageClass"), s.storageClass},
                                  {QStringLiteral("retention"), rules},
                                  {QStringLiteral("archiveTo"), s.archiveTo}});
    else
        ctx.err() << "Storage \"" << name << "\" saved: "
                  << (rules.isEmpty() ? QStringLiteral("its copies follow their source's retention")
                                      : QStringLiteral("its copies are kept by its own rules: %1").arg(rules))
                  << (s.archiveTo.isEmpty()
                          ? QString()
                          : QStringLiteral("; copies kept only by monthly/yearly rules move to %1").arg(s.archiveTo))
                  << (s.storageClass.isEmpty() ? QString()
                                               : QStringLiteral("; uploads use class %1").arg(s.storageClass))
                  << "." << Qt::endl;
    return 0;
}

static int list(CliContext &ctx, const ArgParser &) {
    const QHash<QString, QString> growth = StorageLow::growthThresholds(ctx.config());
    return NamedThings::list(ctx, ctx.config().storages(), [&growth](const StorageConfig &s) {
        const QString where =
            s.isLocal() ? s.localDir
                        : QStringLiteral("s3://%1/%2 (%3)")
                              .arg(s.bucket, s.prefix, s.endpoint.isEmpty() ? QStringLiteral("AWS") : s.endpoint);
        // A storage's own rules are shown as a policy over the defaults they replace entirely.
        const QString rules =
            s.hasRetention() ? RetentionPruner::storagePolicy(s, RetentionPolicy()).describe() : QString();
        return NamedThings::Row{
            {{QStringLiteral("name"), s.name},
             {QStringLiteral("kind"), s.kind},
             {QStringLiteral("location"), where},
             {QStringLiteral("storageClass"), s.storageClass},
             {QStringLiteral("retention"), rules},
             {QStringLiteral("archiveTo"), s.archiveTo},
             {QStringLiteral("alertGrowthAbove"), growth.value(s.name)}},
            s.name + QLatin1Char('\t') + s.kind + QLatin1Char('\t') + where +
                (s.storageClass.isEmpty() ? QString() : QStringLiteral("\tclass %1").arg(s.storageClass)) +
                (s.archiveTo.isEmpty() ? QString() : QStringLiteral("\tarchives to %1").arg(s.archiveTo)) +
                (rules.isEmpty() ? QString() : QStringLiteral("\tkeeps %1").arg(rules)) +
                (growth.value(s.name).isEmpty()
                     ? QString()
                     : QStringLiteral("\talert growth above %1/24h").arg(growth.value(s.name)))};
    });
}

static int remove(CliContext &ctx, const ArgParser &p) {
    return NamedThings::remove(
        ctx, p.positional().first(),
        {[&ctx](const QString &name) {
             if (!ctx.config().removeStorage(name))
                 return QStringLiteral("unknown storage \"%1\"").arg(name);
             StorageLow::setGrowthThreshold(&ctx.config(), name, QString());
             return QString();
         },
         true, [&ctx](const QString &name) { CliSecrets(ctx).remove(CredentialStore::storageSecretKey(name)); },
         QStringLiteral("Storage \"%1\" removed (files already stored there are untouched).")});
}

QList<CliCommand> StorageCommand::commands() {
    return {
        {QStringLiteral("storage"), QStringLiteral("add"),
         QStringLiteral("NAME --local DIR | NAME --s3 --endpoint URL --bucket B [--region R] [--prefix P] "
                        "[--path-style] [--access-key-id ID --secret-stdin | --aws-profile NAME] [--ca-file F] "
                        "[--storage-class CLASS] [--alert-free-below SIZE|N%|off] [--alert-growth-above SIZE|off] %1")
             .arg(RetentionFlags::synopsis()),
         1, 1, &add,
         cliOptions(R"(
--local DIR  A local directory.
--s3  An S3-compatible bucket.
--endpoint URL  S3 endpoint URL (https://s3.eu-west-1.amazonaws.com, http://minio:9000).
--bucket B  Bucket name.
--region R  Region (default us-east-1).
--prefix P  Key prefix for this storage.
--path-style  Path-style addressing (MinIO and most self-hosted servers).
--access-key-id ID  Access key id.
--secret-stdin  Read the secret access key from stdin into the credential store.
--aws-profile NAME  Use this profile from ~/.aws/credentials and ~/.aws/config.
--ca-file F  Extra CA certificate (PEM) for a private endpoint.)") +
             storageClassOptions() + alertOptions() + RetentionFlags::options(RetentionFlags::Use::Storage) +
             RetentionFlags::archiveToOptions(RetentionFlags::Use::Storage)},
        {QStringLiteral("storage"), QStringLiteral("set"),
         QStringLiteral("NAME [--storage-class CLASS] [--alert-free-below SIZE|N%|off] [--alert-growth-above SIZE|off] "
                        "[--clear-retention] %1 "
                        "[--archive-to STORAGE]")
             .arg(RetentionFlags::synopsis()),
         1, 1, &set,
         storageClassOptions() + alertOptions() + RetentionFlags::options(RetentionFlags::Use::Storage) +
             RetentionFlags::archiveToOptions(RetentionFlags::Use::Storage) + cliOptions(R"(
--clear-retention  Drop this storage's own rules (applied before any --keep-* given with it): its copies follow
    their source's retention again.)")},
        {QStringLiteral("storage"), QStringLiteral("list"), QString(), 0, 0, &list},
        {QStringLiteral("storage"), QStringLiteral("remove"), QStringLiteral("NAME"), 1, 1, &remove}};
}
