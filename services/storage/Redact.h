#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace lifeboat {

// Keeps credentials out of logs and error messages: Authorization headers, SigV4 signatures and credentials,
// session tokens, presigned query strings, secret keys (given explicitly) and ~/.aws-style secret lines.
// Everything the S3 code logs or puts in an Error passes through here.
class Redact {
public:
    static QString text(const QString &text, const QStringList &secrets = {});
    // A URL for display: no user info, and the query replaced by "<redacted>" when it carries a signature.
    static QString url(const QUrl &url);

    static constexpr QLatin1StringView marker{"<redacted>"};
};

} // namespace lifeboat
