#pragma once

// What the S3 client tests share (tst_s3client, tst_s3client_servers): the S3 fixture's configuration, data that
// is large without being held, and a private s3rver for the tests that stop it or serve TLS.
#include "TestEnv.h"

#include "storage/S3Session.h"

#include <QProcess>
#include <QRandomGenerator>

namespace s3test {

inline constexpr qint64 MiB = 1024 * 1024;

inline lifeboat::S3Config fixtureConfig() {
    const auto env = TestEnv::fixture(QStringLiteral("s3"));
    lifeboat::S3Config c;
    c.endpoint = QUrl(env.value(QStringLiteral("S3_ENDPOINT")));
    c.bucket = env.value(QStringLiteral("S3_BUCKET"));
    c.region = env.value(QStringLiteral("S3_REGION"));
    c.accessKeyId = env.value(QStringLiteral("S3_ACCESS_KEY"));
    c.secretAccessKey = env.value(QStringLiteral("S3_SECRET_KEY"));
    c.pathStyle = true;
    c.timeoutMs = 30000;
    return c;
}

// Deterministic, incompressible-looking data without holding it all: block i = a random 1 MiB block with i
// stamped into its first bytes.
class DataGenerator {
public:
    DataGenerator()
        : m_block(MiB, Qt::Uninitialized) {
        QRandomGenerator gen(42);
        gen.fillRange(reinterpret_cast<quint32 *>(m_block.data()), m_block.size() / 4);
    }
    QByteArray chunk(qint64 index, qint64 size) {
        QByteArray c = m_block.left(size);
        const qint64 stamp = index * 7919 + 1;
        memcpy(c.data(), &stamp, std::min<qint64>(sizeof stamp, size));
        return c;
    }

private:
    QByteArray m_block;
};

// A private s3rver for tests that stop the server (the shared fixture must stay up).
class PrivateServer {
public:
    bool start(const QString &dataDir, int port = 0,
               const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment()) {
        m_proc.setProcessEnvironment(env);
        m_proc.setProgram(QStringLiteral("node"));
        m_proc.setArguments({TestEnv::sourceDir() + QStringLiteral("/tests/support/s3/launch.js"), dataDir,
                             QStringLiteral("private-bucket"), QString::number(port)});
        m_proc.start();
        if (!m_proc.waitForStarted(10000))
            return false;
        for (int i = 0; i < 100 && m_port == 0; ++i) {
            m_proc.waitForReadyRead(200);
            const QByteArray out = m_proc.readAllStandardOutput();
            const qsizetype at = out.indexOf("S3RVER_READY ");
            if (at >= 0)
                m_port = out.mid(at + 13).trimmed().toInt();
        }
        return m_port > 0;
    }
    void kill() {
        m_proc.kill();
        m_proc.waitForFinished(5000);
    }
    ~PrivateServer() { kill(); }
    int port() const { return m_port; }

private:
    QProcess m_proc;
    int m_port = 0;
};

} // namespace s3test
