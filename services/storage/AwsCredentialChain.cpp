#include "storage/AwsCredentialChain.h"

#include <QDir>
#include <QFile>

namespace lifeboat {

namespace {

QByteArray readAll(const QString &path, bool *exists) {
    QFile f(path);
    *exists = f.open(QIODevice::ReadOnly);
    return *exists ? f.readAll() : QByteArray();
}

} // namespace

AwsCredentialChain::AwsCredentialChain(QProcessEnvironment env)
    : m_env(std::move(env)) {}

AwsCredentialChain::Ini AwsCredentialChain::parseIni(const QByteArray &text) {
    Ini ini;
    QString section;
    QString parentKey; // a "key =" line with no value opens an indented sub-section (e.g. "s3 =")
    for (const QByteArray &rawLine : text.split('\n')) {
        QString line = QString::fromUtf8(rawLine);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const bool indented = line.startsWith(QLatin1Char(' ')) || line.startsWith(QLatin1Char('\t'));
        const QString t = line.trimmed();
        if (t.isEmpty() || t.startsWith(QLatin1Char('#')) || t.startsWith(QLatin1Char(';')))
            continue;
        if (t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']'))) {
            section = t.mid(1, t.size() - 2).simplified();
            ini[section];
            parentKey.clear();
            continue;
        }
        const qsizetype eq = t.indexOf(QLatin1Char('='));
        if (eq <= 0 || section.isEmpty())
            continue;
        const QString key = t.left(eq).trimmed().toLower();
        const QString value = t.mid(eq + 1).trimmed();
        if (indented && !parentKey.isEmpty()) {
            ini[section].insert(parentKey + QLatin1Char('.') + key, value);
            continue;
        }
        parentKey = value.isEmpty() ? key : QString();
        if (!value.isEmpty())
            ini[section].insert(key, value);
    }
    return ini;
}

QString AwsCredentialChain::credentialsPath() const {
    const QString p = m_env.value(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"));
    return !p.isEmpty() ? p
                        : m_env.value(QStringLiteral("HOME"), QDir::homePath()) + QStringLiteral("/.aws/credentials");
}

QString AwsCredentialChain::configPath() const {
    const QString p = m_env.value(QStringLiteral("AWS_CONFIG_FILE"));
    return !p.isEmpty() ? p : m_env.value(QStringLiteral("HOME"), QDir::homePath()) + QStringLiteral("/.aws/config");
}

std::optional<AwsCredentialChain::Result> AwsCredentialChain::resolve(const QString &explicitProfile) {
    m_error = {};
    Result r;
    const auto env = [this](const char *name) { return m_env.value(QLatin1String(name)); };

    bool fromEnv = false;
    if (explicitProfile.isEmpty() && !env("AWS_ACCESS_KEY_ID").isEmpty() && !env("AWS_SECRET_ACCESS_KEY").isEmpty()) {
        r.accessKeyId = env("AWS_ACCESS_KEY_ID");
        r.secretAccessKey = env("AWS_SECRET_ACCESS_KEY");
        r.sessionToken = env("AWS_SESSION_TOKEN");
        r.source = QStringLiteral("environment (AWS_ACCESS_KEY_ID)");
        fromEnv = true;
    }

    QString profile = explicitProfile;
    if (profile.isEmpty())
        profile = env("AWS_PROFILE");
    if (profile.isEmpty())
        profile = QStringLiteral("default");

    bool haveCreds = false, haveConfig = false;
    const Ini creds = parseIni(readAll(credentialsPath(), &haveCreds));
    const Ini config = parseIni(readAll(configPath(), &haveConfig));
    const QString configSection = profile == QLatin1String("default") ? profile : QStringLiteral("profile ") + profile;
    // The config file also accepts "[default]" written as "[profile default]".
    const QHash<QString, QString> conf = config.contains(configSection) ? config.value(configSection)
                                         : profile == QLatin1String("default")
                                             ? config.value(QStringLiteral("profile default"))
                                             : QHash<QString, QString>();
    const bool profileExists =
        creds.contains(profile) || config.contains(configSection) ||
        (profile == QLatin1String("default") && config.contains(QStringLiteral("profile default")));

    if (!fromEnv) {
        if (!profileExists) {
            m_error = {
                ExitCode::Usage,
                explicitProfile.isEmpty()
                    ? QStringLiteral("no AWS credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set and "
                                     "there is no profile \"%1\" in %2 or %3")
                          .arg(profile, credentialsPath(), configPath())
                    : QStringLiteral("AWS profile \"%1\" not found in %2 or %3")
                          .arg(profile, credentialsPath(), configPath())};
            return std::nullopt;
        }
        const auto pick = [&](const char *key) {
            const QString k = QLatin1String(key);
            const QString v = creds.value(profile).value(k);
            return v.isEmpty() ? conf.value(k) : v;
        };
        r.accessKeyId = pick("aws_access_key_id");
        r.secretAccessKey = pick("aws_secret_access_key");
        r.sessionToken = pick("aws_session_token");
        r.source = QStringLiteral("AWS profile \"%1\"").arg(profile);
        if (r.accessKeyId.isEmpty() || r.secretAccessKey.isEmpty()) {
            const bool other =
                conf.contains(QStringLiteral("sso_start_url")) || conf.contains(QStringLiteral("sso_session")) ||
                conf.contains(QStringLiteral("credential_process")) || conf.contains(QStringLiteral("role_arn"));
            m_error = {ExitCode::Usage,
                       QStringLiteral("AWS profile \"%1\" has no aws_access_key_id/aws_secret_access_key%2")
                           .arg(profile, other ? QStringLiteral(" (SSO, role and credential_process profiles are not "
                                                                "supported; export temporary keys instead)")
                                               : QString())};
            return std::nullopt;
        }
    }

    r.region = env("AWS_REGION");
    if (r.region.isEmpty())
        r.region = env("AWS_DEFAULT_REGION");
    if (r.region.isEmpty())
        r.region = conf.value(QStringLiteral("region"));
    r.endpointUrl = env("AWS_ENDPOINT_URL_S3");
    if (r.endpointUrl.isEmpty())
        r.endpointUrl = env("AWS_ENDPOINT_URL");
    if (r.endpointUrl.isEmpty())
        r.endpointUrl = conf.value(QStringLiteral("s3.endpoint_url"));
    if (r.endpointUrl.isEmpty())
        r.endpointUrl = conf.value(QStringLiteral("endpoint_url"));
    return r;
}

bool AwsCredentialChain::applyTo(S3Config &config, const QString &profile) {
    const auto r = resolve(profile);
    if (!r)
        return false;
    config.accessKeyId = r->accessKeyId;
    config.secretAccessKey = r->secretAccessKey;
    config.sessionToken = r->sessionToken;
    if (!r->region.isEmpty() && (config.region.isEmpty() || config.region == QLatin1String("us-east-1")))
        config.region = r->region;
    if (!r->endpointUrl.isEmpty() && config.endpoint.isEmpty())
        config.endpoint = QUrl(r->endpointUrl);
    return true;
}

} // namespace lifeboat
