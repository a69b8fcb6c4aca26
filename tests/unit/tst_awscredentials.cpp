#include "storage/AwsCredentialChain.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TstAwsCredentials : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

    void writeFile(const QString &path, const QByteArray &text) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }
    QProcessEnvironment env(std::initializer_list<std::pair<const char *, QString>> vars = {}) {
        QProcessEnvironment e; // empty: nothing from the real environment leaks in
        e.insert(QStringLiteral("HOME"), m_home.path());
        for (const auto &[k, v] : vars)
            e.insert(QLatin1String(k), v);
        return e;
    }

private slots:
    void initTestCase() {
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral(".aws")));
        writeFile(m_home.filePath(QStringLiteral(".aws/credentials")),
                  "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = secretdefault\n\n"
                  "[work]\r\naws_access_key_id=AKIDWORK\r\naws_secret_access_key=secret/work+x=\r\naws_session_token = "
                  "tok\r\n");
        writeFile(
            m_home.filePath(QStringLiteral(".aws/config")),
            "[default]\nregion = eu-central-1\n\n[profile work]\nregion = eu-west-3\nendpoint_url = "
            "https://generic.example\n"
            "s3 =\n  endpoint_url = https://minio.example:9000\n  addressing_style = path\n\n"
            "[profile cfgonly]\naws_access_key_id = AKIDCFG\naws_secret_access_key = secretcfg\nregion = ap-south-1\n"
            "endpoint_url = https://cfg.example\n\n[profile sso]\nsso_start_url = https://x\n");
    }

    void environmentFirst() {
        AwsCredentialChain chain(env({{"AWS_ACCESS_KEY_ID", QStringLiteral("AKIDENV")},
                                      {"AWS_SECRET_ACCESS_KEY", QStringLiteral("secretenv")},
                                      {"AWS_SESSION_TOKEN", QStringLiteral("envtok")},
                                      {"AWS_REGION", QStringLiteral("us-west-2")}}));
        const auto r = chain.resolve();
        QVERIFY(r.has_value());
        QCOMPARE(r->accessKeyId, QStringLiteral("AKIDENV"));
        QCOMPARE(r->secretAccessKey, QStringLiteral("secretenv"));
        QCOMPARE(r->sessionToken, QStringLiteral("envtok"));
        QCOMPARE(r->region, QStringLiteral("us-west-2"));
    }

    void defaultProfile() {
        AwsCredentialChain chain(env());
        const auto r = chain.resolve();
        QVERIFY2(r.has_value(), qPrintable(chain.error().message));
        QCOMPARE(r->accessKeyId, QStringLiteral("AKIDDEFAULT"));
        QCOMPARE(r->secretAccessKey, QStringLiteral("secretdefault"));
        QCOMPARE(r->region, QStringLiteral("eu-central-1"));
        QVERIFY(r->endpointUrl.isEmpty());
    }

    void namedProfileBeatsEnvironmentAndReadsS3Endpoint() {
        AwsCredentialChain chain(env({{"AWS_ACCESS_KEY_ID", QStringLiteral("AKIDENV")},
                                      {"AWS_SECRET_ACCESS_KEY", QStringLiteral("secretenv")}}));
        const auto r = chain.resolve(QStringLiteral("work"));
        QVERIFY2(r.has_value(), qPrintable(chain.error().message));
        QCOMPARE(r->accessKeyId, QStringLiteral("AKIDWORK"));
        QCOMPARE(r->secretAccessKey, QStringLiteral("secret/work+x=")); // CRLF stripped, '=' kept
        QCOMPARE(r->sessionToken, QStringLiteral("tok"));
        QCOMPARE(r->region, QStringLiteral("eu-west-3"));
        QCOMPARE(r->endpointUrl, QStringLiteral("https://minio.example:9000")); // the s3 sub-setting wins
    }

    void awsProfileVariableAndConfigOnlyProfile() {
        AwsCredentialChain chain(env({{"AWS_PROFILE", QStringLiteral("cfgonly")}}));
        const auto r = chain.resolve();
        QVERIFY2(r.has_value(), qPrintable(chain.error().message));
        QCOMPARE(r->accessKeyId, QStringLiteral("AKIDCFG"));
        QCOMPARE(r->region, QStringLiteral("ap-south-1"));
        QCOMPARE(r->endpointUrl, QStringLiteral("https://cfg.example"));
        S3Config config;
        config.bucket = QStringLiteral("b");
        QVERIFY(chain.applyTo(config));
        QCOMPARE(config.region, QStringLiteral("ap-south-1"));
        QCOMPARE(config.endpoint, QUrl(QStringLiteral("https://cfg.example")));
        QCOMPARE(config.secretAccessKey, QStringLiteral("secretcfg"));
    }

    void filesMovedByVariables() {
        QTemporaryDir other;
        writeFile(other.filePath(QStringLiteral("creds")),
                  "[moved]\naws_access_key_id=AKIDMOVED\naws_secret_access_key=s\n");
        writeFile(other.filePath(QStringLiteral("cfg")), "[profile moved]\nregion=sa-east-1\n");
        AwsCredentialChain chain(env({{"AWS_SHARED_CREDENTIALS_FILE", other.filePath(QStringLiteral("creds"))},
                                      {"AWS_CONFIG_FILE", other.filePath(QStringLiteral("cfg"))}}));
        const auto r = chain.resolve(QStringLiteral("moved"));
        QVERIFY2(r.has_value(), qPrintable(chain.error().message));
        QCOMPARE(r->accessKeyId, QStringLiteral("AKIDMOVED"));
        QCOMPARE(r->region, QStringLiteral("sa-east-1"));
        QVERIFY(!chain.resolve(QStringLiteral("work")).has_value()); // the default files are not read any more
    }

    void clearErrors() {
        AwsCredentialChain chain(env());
        QVERIFY(!chain.resolve(QStringLiteral("nosuch")).has_value());
        QCOMPARE(chain.error().code, ExitCode::Usage);
        QVERIFY2(chain.error().message.contains(QStringLiteral("\"nosuch\" not found")),
                 qPrintable(chain.error().message));
        QVERIFY(!chain.resolve(QStringLiteral("sso")).has_value());
        QVERIFY2(chain.error().message.contains(QStringLiteral("not supported")), qPrintable(chain.error().message));
        QTemporaryDir empty;
        QProcessEnvironment e;
        e.insert(QStringLiteral("HOME"), empty.path());
        AwsCredentialChain none(e);
        QVERIFY(!none.resolve().has_value());
        QVERIFY(none.error().message.contains(QStringLiteral("AWS_ACCESS_KEY_ID")));
    }
};

QTEST_GUILESS_MAIN(TstAwsCredentials)
#include "tst_awscredentials.moc"
