#include "S3Command.h"

#include "catalog/AuditTrail.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include "jobs/StoreFactory.h"
#include "storage/S3Download.h"
#include "storage/S3KeyPaths.h"
#include "storage/S3Session.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

using namespace lifeboat;

namespace {
std::shared_ptr<S3Session> openBucket(CliContext &ctx, const QString &name, int *rc) {
    const auto sc = ctx.config().storage(name);
    if (!sc || !sc->isS3()) {
        *rc = ctx.usage(QStringLiteral("\"%1\" is not an S3 storage (see `lifeboatctl storage list`)").arg(name));
        return nullptr;
    }
    CliSecrets secrets(ctx);
    Error e;
    auto session = StoreFactory::s3Session(*sc, secrets.storageSecret(name), &e);
    if (!session)
        *rc = ctx.fail(e);
    return session;
}
} // namespace

static int ls(CliContext &ctx, const ArgParser &p) {
    int rc = 0;
    auto session = openBucket(ctx, p.positional().at(0), &rc);
    if (!session)
        return rc;
    // Relative to the storage's prefix, like every other Lifeboat key.
    QString prefix = session->config().keyFor(p.positional().value(1));
    if (!prefix.isEmpty() && !prefix.endsWith(QLatin1Char('/')) && p.positional().size() < 2)
        prefix += QLatin1Char('/');
    S3ListResult result;
    const Error e =
        session->listAll(prefix, p.isSet(QStringLiteral("recursive")) ? QString() : QStringLiteral("/"), &result);
    if (e)
        return ctx.fail(e);
    const QLocale loc;
    QJsonArray arr;
    for (const QString &folder : result.commonPrefixes) {
        arr.append(QJsonObject{{QStringLiteral("key"), folder}, {QStringLiteral("folder"), true}});
        if (!ctx.json())
            ctx.out() << QStringLiteral("%1  %2  %3\n").arg(QString(), 19).arg(QStringLiteral("DIR"), 10).arg(folder);
    }
    for (const S3ObjectInfo &o : result.objects) {
        arr.append(QJsonObject{{QStringLiteral("key"), o.key},
                               {QStringLiteral("size"), o.size},
                               {QStringLiteral("lastModified"), o.lastModified.toUTC().toString(Qt::ISODate)},
                               {QStringLiteral("storageClass"), o.storageClass}});
        if (!ctx.json())
            ctx.out() << QStringLiteral("%1  %2  %3\n")
                             .arg(o.lastModified.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), 19)
                             .arg(loc.formattedDataSize(o.size), 10)
                             .arg(o.key);
    }
    if (ctx.json())
        ctx.printJson(arr);
    ctx.out().flush();
    return 0;
}

static int get(CliContext &ctx, const ArgParser &p) {
    if (!p.isSet(QStringLiteral("to")))
        return ctx.usage(QStringLiteral("s3 get needs --to DIR"));
    int rc = 0;
    auto session = openBucket(ctx, p.positional().at(0), &rc);
    if (!session)
        return rc;
    const QString key = p.positional().at(1);
    const QString dir = p.value(QStringLiteral("to"));
    if (!QDir().mkpath(dir))
        return ctx.usage(QStringLiteral("cannot create %1").arg(dir));
    QString why;
    const auto target = S3KeyPaths::safeLocalFileName(dir, key, &why);
    if (!target)
        return ctx.fail(ExitCode::Refused, QStringLiteral("refusing the key \"%1\": %2").arg(key, why));
    // The object's own SHA-256 metadata (written by Lifeboat) is checked when present.
    S3ObjectInfo info;
    const Error h = session->headObject(key, &info);
    if (h)
        return ctx.fail(h);
    S3Download::Result result;
    const Error e =
        S3Download::toFile(*session, key, *target, info.metadata.value(QStringLiteral("sha256")).toLatin1(), &result);
    if (e)
        return ctx.fail(e);
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true},
                                  {QStringLiteral("path"), *target},
                                  {QStringLiteral("size"), result.bytes},
                                  {QStringLiteral("sha256"), QString::fromLatin1(result.sha256Hex)},
                                  {QStringLiteral("verified"), info.metadata.contains(QStringLiteral("sha256"))}});
    else
        ctx.err() << "Downloaded " << *target << " (" << QLocale().formattedDataSize(result.bytes) << ", SHA-256 "
                  << result.sha256Hex
                  << (info.metadata.contains(QStringLiteral("sha256")) ? ", verified" : ", no stored hash to check")
                  << ")" << Qt::endl;
    return 0;
}

static int presign(CliContext &ctx, const ArgParser &p) {
    int rc = 0;
    auto session = openBucket(ctx, p.positional().at(0), &rc);
    if (!session)
        return rc;
    bool ok = true;
    const qint64 expires =
        p.isSet(QStringLiteral("expires")) ? p.value(QStringLiteral("expires")).toLongLong(&ok) : 900;
    if (!ok)
        return ctx.usage(QStringLiteral("--expires takes a number of seconds"));
    Error e;
    const auto url = session->presignGet(p.positional().at(1), expires, &e);
    if (!url)
        return ctx.fail(e);
    // Who shared which object for how long — never the URL, which is the credential.
    AuditTrail::record(QStringLiteral("presign"), p.positional().at(0), QStringLiteral("ok"), 0,
                       QStringLiteral("%1, expires in %2 s").arg(p.positional().at(1)).arg(expires));
    // The URL is a bearer credential: it goes to stdout only, never to logs.
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("url"), url->toString(QUrl::FullyEncoded)},
                                  {QStringLiteral("expiresSeconds"), expires}});
    else
        ctx.out() << url->toString(QUrl::FullyEncoded) << Qt::endl;
    return 0;
}

QList<CliCommand> S3Command::commands() {
    return {
        {QStringLiteral("s3"), QStringLiteral("ls"), QStringLiteral("STORAGE [PREFIX] [--recursive]"), 1, 2, &ls,
         cliOptions(R"(
--recursive  List every object below the prefix instead of one level.)")},
        {QStringLiteral("s3"), QStringLiteral("get"), QStringLiteral("STORAGE KEY --to DIR"), 2, 2, &get, cliOptions(R"(
--to DIR  Directory to write into (the key's last segment is the file name).)")},
        {QStringLiteral("s3"), QStringLiteral("presign"), QStringLiteral("STORAGE KEY [--expires SECONDS]"), 2, 2,
         &presign, cliOptions(R"(
--expires SECONDS  Validity in seconds (default 900, at most 604800 = 7 days).)")}};
}
