#include "jobs/StoreFactory.h"

#include "jobs/LocalStore.h"
#include "jobs/S3Store.h"
#include "storage/AwsCredentialChain.h"
#include "storage/S3Session.h"

namespace lifeboat {

std::optional<S3Config> StoreFactory::s3Config(const StorageConfig &config, const QString &secret, Error *error) {
    S3Config c;
    c.endpoint = QUrl(config.endpoint);
    c.bucket = config.bucket;
    c.region = config.region.isEmpty() ? QStringLiteral("us-east-1") : config.region;
    c.prefix = config.prefix;
    c.pathStyle = config.pathStyle;
    c.caFile = config.caFile;
    c.storageClass = config.storageClass;
    if (!config.accessKeyId.isEmpty() && !secret.isEmpty()) {
        c.accessKeyId = config.accessKeyId;
        c.secretAccessKey = secret;
    } else {
        AwsCredentialChain chain;
        if (!chain.applyTo(c, config.awsProfile)) {
            if (error) {
                *error = {ExitCode::Usage,
                          QStringLiteral("storage \"%1\" has no credentials: %2. Store the secret with `storage add "
                                         "%1 --s3 … --access-key-id ID --secret-stdin`, or set AWS_ACCESS_KEY_ID/"
                                         "AWS_SECRET_ACCESS_KEY, or name an --aws-profile.")
                              .arg(config.name, chain.error().message)};
            }
            return std::nullopt;
        }
    }
    const Error invalid = c.validate();
    if (invalid) {
        if (error)
            *error = {invalid.code, QStringLiteral("storage \"%1\": %2").arg(config.name, invalid.message)};
        return std::nullopt;
    }
    return c;
}

std::shared_ptr<S3Session> StoreFactory::s3Session(const StorageConfig &config, const QString &secret, Error *error) {
    const auto c = s3Config(config, secret, error);
    if (!c)
        return nullptr;
    return std::make_shared<S3Session>(*c);
}

std::unique_ptr<BackupStore> StoreFactory::create(const StorageConfig &config, const QString &secret, Error *error) {
    if (config.isLocal())
        return std::make_unique<LocalStore>(config.name, config.localDir);
    if (config.isS3()) {
        auto session = s3Session(config, secret, error);
        if (!session)
            return nullptr;
        return std::make_unique<S3Store>(config.name, std::move(session));
    }
    if (error)
        *error = {ExitCode::Usage,
                  QStringLiteral("storage \"%1\" has an unsupported kind \"%2\"").arg(config.name, config.kind)};
    return nullptr;
}

} // namespace lifeboat
