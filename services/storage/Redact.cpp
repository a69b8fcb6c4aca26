#include "storage/Redact.h"

#include <QRegularExpression>

namespace lifeboat {

QString Redact::text(const QString &input, const QStringList &secrets) {
    QString out = input;
    for (const QString &secret : secrets) {
        if (!secret.isEmpty())
            out.replace(secret, marker);
    }
    static const QRegularExpression patterns[] = {
        // Header form ("Authorization: AWS4-HMAC-SHA256 ...") and key=value form, to the end of the line.
        QRegularExpression(QStringLiteral("(authorization\\s*[:=]\\s*)[^\\r\\n]+"),
                           QRegularExpression::CaseInsensitiveOption),
        // Query-string signing parameters, raw or percent-encoded, and the header's Signature=/Credential= parts.
        QRegularExpression(QStringLiteral("((?:x-amz-)?(?:signature|credential|security-token)(?:=|%3D))[^&\\s,\"'<]+"),
                           QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(QStringLiteral("(x-amz-security-token\\s*:\\s*)[^\\r\\n]+"),
                           QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(
            QStringLiteral("((?:aws_secret_access_key|aws_session_token|secret_?(?:access_?)?key)\\s*[=:]\\s*)\\S+"),
            QRegularExpression::CaseInsensitiveOption),
    };
    for (const auto &re : patterns)
        out.replace(re, QStringLiteral("\\1") + marker);
    return out;
}

QString Redact::url(const QUrl &url) {
    QUrl u = url.adjusted(QUrl::RemoveUserInfo);
    if (u.hasQuery()) {
        const QString q = u.query(QUrl::FullyEncoded);
        if (q.contains(QLatin1String("X-Amz-"), Qt::CaseInsensitive) ||
            q.contains(QLatin1String("Signature"), Qt::CaseInsensitive))
            return u.adjusted(QUrl::RemoveQuery).toString(QUrl::FullyEncoded) + QLatin1Char('?') + marker;
    }
    return u.toString(QUrl::FullyEncoded);
}

} // namespace lifeboat
