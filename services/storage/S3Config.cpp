#include "storage/S3Config.h"

#include <QStringList>

namespace lifeboat {

QUrl S3Config::effectiveEndpoint() const {
    if (!endpoint.isEmpty())
        return endpoint;
    return QUrl(
        QStringLiteral("https://s3.%1.amazonaws.com").arg(region.isEmpty() ? QStringLiteral("us-east-1") : region));
}

QString S3Config::keyFor(const QString &relative) const {
    QString p = prefix;
    while (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    while (p.startsWith(QLatin1Char('/')))
        p.remove(0, 1);
    QString r = relative;
    while (r.startsWith(QLatin1Char('/')))
        r.remove(0, 1);
    return p.isEmpty() ? r : p + QLatin1Char('/') + r;
}

Error S3Config::validate() const {
    const QUrl ep = effectiveEndpoint();
    if (!ep.isValid() || ep.host().isEmpty() ||
        (ep.scheme() != QLatin1String("https") && ep.scheme() != QLatin1String("http")))
        return {ExitCode::Usage, QStringLiteral("S3 endpoint \"%1\" is not an http(s) URL").arg(ep.toDisplayString())};
    if (bucket.isEmpty())
        return {ExitCode::Usage, QStringLiteral("no S3 bucket configured")};
    if (accessKeyId.isEmpty() || secretAccessKey.isEmpty())
        return {ExitCode::Usage,
                QStringLiteral("no S3 credentials: give an access key id and secret, or an AWS profile")};
    if (region.isEmpty())
        return {ExitCode::Usage,
                QStringLiteral("no S3 region configured (use us-east-1 for most S3-compatible servers)")};
    if (timeoutMs <= 0 || retries < 0)
        return {ExitCode::Usage, QStringLiteral("S3 timeout must be positive and retries not negative")};
    return {};
}

QString S3Config::storageClassFor(const QString &key) const {
    if (key.endsWith(QLatin1String(".manifest.json")))
        return {};
    // WAL segments, history files and partials are what recovery reads at once, with no restore request in between:
    // only a class that is readable instantly applies to them.
    if (key.startsWith(keyFor(QStringLiteral("wal/")))) {
        static const QStringList instant{QStringLiteral("STANDARD"),   QStringLiteral("STANDARD_IA"),
                                         QStringLiteral("ONEZONE_IA"), QStringLiteral("INTELLIGENT_TIERING"),
                                         QStringLiteral("GLACIER_IR"), QStringLiteral("REDUCED_REDUNDANCY")};
        return instant.contains(storageClass.toUpper()) ? storageClass : QString();
    }
    return storageClass;
}

} // namespace lifeboat
