// Issue 17: base backups hash on threads of their own (HashStage::Threading::OwnThread, off the thread that reads
// pg_basebackup's pipe and compresses). The record must still hold the SHA-256 of exactly the stored bytes: on a real
// base backup of a throwaway cluster (~48 MB of incompressible rows, so many buffers pass the hashing thread) to
// local disk and the S3 fixture, the catalog's sha256 equals sha256sum of the local file and of the object fetched
// back from the bucket, and the manifest says the same; encrypted, sha256 covers the age file and plainSha256 the
// zstd stream age decrypts to, which is pg_basebackup's tar with its backup_manifest.
#include "TestEnv.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

class TstBaseBackupHashCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_base;
    QString m_home;
    QString m_bin;
    QString m_data;
    QProcessEnvironment m_env;
    bool m_started = false;

    static bool root() { return ::geteuid() == 0; }
    TestEnv::Run owner(const QString &tool, const QStringList &args) const {
        const QString program = m_bin + QLatin1Char('/') + tool;
        if (!root())
            return TestEnv::run(program, args);
        return TestEnv::run(
            QStringLiteral("runuser"),
            QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} + args);
    }
    TestEnv::Run ctl(const QStringList &args) {
        const TestEnv::Run r = TestEnv::ctl(m_home, args, {}, m_env);
        if (r.exitCode != 0)
            qInfo("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return r;
    }
    static QByteArray sha256File(const QString &path) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QCryptographicHash h(QCryptographicHash::Sha256);
        h.addData(&f);
        return h.result().toHex();
    }
    static QByteArray sha256Output(const QString &shell) {
        const TestEnv::Run r =
            TestEnv::run(QStringLiteral("sh"), {QStringLiteral("-c"), shell + QStringLiteral(" | sha256sum")});
        return r.exitCode == 0 ? r.out.left(64) : QByteArray();
    }
    static QString location(const QJsonObject &o, const QString &storage) {
        for (const QJsonValue &l : o.value(QStringLiteral("locations")).toArray())
            if (l.toObject().value(QStringLiteral("storage")).toString() == storage)
                return l.toObject().value(QStringLiteral("path")).toString();
        return {};
    }
    // The object behind an S3 location, fetched back with `s3 get` (which checks nothing of ours: the hash below
    // is computed here).
    QString fetch(const QString &key, const QString &to) {
        const TestEnv::Run r = ctl(
            {QStringLiteral("s3"), QStringLiteral("get"), QStringLiteral("bucket"), key, QStringLiteral("--to"), to});
        if (r.exitCode != 0)
            return {};
        return QDir(to).filePath(key.section(QLatin1Char('/'), -1));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_base = m_tmp.filePath(QStringLiteral("bb"));
        QVERIFY(QDir().mkpath(m_base));
        QVERIFY(QFile::setPermissions(m_tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                        QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                                                        QFileDevice::ExeOther));
        const auto s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!s3.isEmpty(), "the s3 fixture is not running");
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), s3.value(QStringLiteral("S3_ACCESS_KEY")));
        m_env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), s3.value(QStringLiteral("S3_SECRET_KEY")));
        for (const QString &d :
             QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            if (QFile::exists(QStringLiteral("/usr/lib/postgresql/%1/bin/initdb").arg(d)))
                m_bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(d);
        QVERIFY2(!m_bin.isEmpty(), "no PostgreSQL server binaries");

        m_data = m_base + QStringLiteral("/data");
        if (root())
            QCOMPARE(TestEnv::run(QStringLiteral("chown"), {QStringLiteral("postgres:"), m_base}).exitCode, 0);
        const TestEnv::Run init = owner(QStringLiteral("initdb"),
                                        {QStringLiteral("-D"), m_data, QStringLiteral("-U"), QStringLiteral("postgres"),
                                         QStringLiteral("-A"), QStringLiteral("trust")});
        QVERIFY2(init.exitCode == 0, init.err.constData());
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const int port = probe.serverPort();
        probe.close();
        const TestEnv::Run start =
            owner(QStringLiteral("pg_ctl"),
                  {QStringLiteral("-D"), m_data, QStringLiteral("-l"), m_base + QStringLiteral("/server.log"),
                   QStringLiteral("-w"), QStringLiteral("-o"),
                   QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off").arg(port).arg(m_base),
                   QStringLiteral("start")});
        QVERIFY2(start.exitCode == 0, start.err.constData());
        m_started = true;
        // ~48 MB of 8 KB rows of md5 output: zstd can't shrink it, so the stored stream is as long as the tar.
        const TestEnv::Run fill = TestEnv::run(
            m_bin + QStringLiteral("/psql"),
            {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
             QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(port),
             QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-d"), QStringLiteral("postgres"),
             QStringLiteral("-c"),
             QStringLiteral("CREATE TABLE blobs (id int, payload bytea);"
                            "ALTER TABLE blobs ALTER COLUMN payload SET STORAGE EXTERNAL;"
                            "INSERT INTO blobs SELECT g, (SELECT string_agg(decode(md5(random()::text || g || k), "
                            "'hex'), '') FROM generate_series(1, 512) k) FROM generate_series(1, 6000) g")});
        QVERIFY2(fill.exitCode == 0, fill.err.constData());

        m_home = m_tmp.filePath(QStringLiteral("home"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
                 QStringLiteral("bbhash-%1").arg(QRandomGenerator::global()->bounded(1000000))})
                .exitCode,
            0);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("src"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=postgres").arg(port),
                 QStringLiteral("--storage"), QStringLiteral("disk"), QStringLiteral("--storage"),
                 QStringLiteral("bucket")})
                .exitCode,
            0);
    }

    void cleanupTestCase() {
        if (m_started)
            owner(QStringLiteral("pg_ctl"),
                  {QStringLiteral("-D"), m_data, QStringLiteral("-m"), QStringLiteral("immediate"),
                   QStringLiteral("-w"), QStringLiteral("stop")});
    }

    void recordHashesExactlyTheStoredBytes() {
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("basebackup"), QStringLiteral("src")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QByteArray recorded = o.value(QStringLiteral("sha256")).toString().toLatin1();
        QCOMPARE(recorded.size(), 64);
        const QString local = location(o, QStringLiteral("disk"));
        QVERIFY(QFileInfo(local).size() > 40 * 1024 * 1024);
        QCOMPARE(QFileInfo(local).size(), o.value(QStringLiteral("size")).toInteger());
        QCOMPARE(sha256File(local), recorded);
        const QString fetched = fetch(location(o, QStringLiteral("bucket")), m_tmp.filePath(QStringLiteral("got")));
        QVERIFY(!fetched.isEmpty());
        QCOMPARE(sha256File(fetched), recorded);
        QFile m(local + QStringLiteral(".manifest.json"));
        QVERIFY(m.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(m.readAll()).object();
        QCOMPARE(manifest.value(QStringLiteral("sha256")).toString().toLatin1(), recorded);
        QCOMPARE(manifest.value(QStringLiteral("plainSha256")).toString().toLatin1(), recorded);
        // The server's manifest travels in the tar, with the per-file checksums pg_verifybackup checks.
        const TestEnv::Run bm = TestEnv::run(
            QStringLiteral("sh"),
            {QStringLiteral("-c"), QStringLiteral("zstd -dc '%1' | tar xOf - backup_manifest").arg(local)});
        QCOMPARE(bm.exitCode, 0);
        QVERIFY(bm.out.contains("\"Checksum-Algorithm\": \"CRC32C\""));
    }

    void encryptedRecordHashesBothSides() {
        const QString key = m_tmp.filePath(QStringLiteral("key.txt"));
        const TestEnv::Run kg = ctl({QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--out"), key});
        QCOMPARE(kg.exitCode, 0);
        const QString recipient =
            QJsonDocument::fromJson(kg.out).object().value(QStringLiteral("recipient")).toString();
        const TestEnv::Run r =
            ctl({QStringLiteral("--json"), QStringLiteral("basebackup"), QStringLiteral("src"),
                 QStringLiteral("--storage"), QStringLiteral("disk"), QStringLiteral("--recipient"), recipient});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QString local = location(o, QStringLiteral("disk"));
        QVERIFY(local.endsWith(QLatin1String(".tar.zst.age")));
        QCOMPARE(sha256File(local), o.value(QStringLiteral("sha256")).toString().toLatin1());
        const QJsonObject shown =
            QJsonDocument::fromJson(ctl({QStringLiteral("--json"), QStringLiteral("show"),
                                         QString::number(o.value(QStringLiteral("id")).toInteger())})
                                        .out)
                .object();
        const QByteArray plain = shown.value(QStringLiteral("plainSha256")).toString().toLatin1();
        QCOMPARE(plain.size(), 64);
        QVERIFY(plain != o.value(QStringLiteral("sha256")).toString().toLatin1());
        QCOMPARE(sha256Output(QStringLiteral("age -d -i '%1' '%2'").arg(key, local)), plain);
        const TestEnv::Run list = TestEnv::run(
            QStringLiteral("sh"),
            {QStringLiteral("-c"), QStringLiteral("age -d -i '%1' '%2' | zstd -dc | tar tf -").arg(key, local)});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("backup_manifest\n"));
    }
};

QTEST_GUILESS_MAIN(TstBaseBackupHashCli)
#include "tst_basebackup_hash_cli.moc"
