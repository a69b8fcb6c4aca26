#pragma once

#include "core/ExitCode.h"
#include "storage/S3Config.h"

#include <QHash>
#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace lifeboat {

// Credentials the way S3 users already keep them, in the AWS CLI's order:
//   1. an explicit profile (--aws-profile NAME) reads only the shared files;
//   2. otherwise AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN] from the environment;
//   3. otherwise the profile named by AWS_PROFILE, or "default", from ~/.aws/credentials and ~/.aws/config
//      (AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE move them; config sections are "[profile NAME]" except
//      "[default]"; the credentials file wins over config for keys).
// Region: AWS_REGION, AWS_DEFAULT_REGION, then the profile's "region". Endpoint: AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL, then the profile's "s3 = / endpoint_url" sub-setting, then its "endpoint_url".
// SSO, credential_process and instance metadata are not supported (the error says so).
class AwsCredentialChain {
public:
    struct Result {
        QString accessKeyId;
        QString secretAccessKey;
        QString sessionToken;
        QString region;      // empty when nothing set one
        QString endpointUrl; // empty when nothing set one
        QString source;      // "environment" or "profile NAME (FILE)" — for messages, never secret
    };

    explicit AwsCredentialChain(QProcessEnvironment env = QProcessEnvironment::systemEnvironment());

    // profile empty = the environment, then AWS_PROFILE/default. nullopt with error() set when nothing usable.
    std::optional<Result> resolve(const QString &profile = {});
    // resolve() and fill config's credentials, and region/endpoint where the config leaves them empty or default.
    bool applyTo(S3Config &config, const QString &profile = {});

    const Error &error() const { return m_error; }

    using Ini = QHash<QString, QHash<QString, QString>>; // section -> key -> value ("s3.endpoint_url" for nested)
    static Ini parseIni(const QByteArray &text);

private:
    QString credentialsPath() const;
    QString configPath() const;

    QProcessEnvironment m_env;
    Error m_error;
};

} // namespace lifeboat
