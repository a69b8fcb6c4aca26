// wal receive (issue 17): a throwaway cluster (replication allowed) streams through `lifeboatctl wal receive` into a
// local and an S3 storage (the s3 fixture checks SigV4). The segment being filled shows up as a partial within the
// --partial-upload interval; a switched segment is stored in both, recorded once per storage and leaves the spool;
// kill -9 of the receiver mid-segment and a restart lose and duplicate nothing (the slot keeps the position); SIGTERM
// stops it cleanly with the newest WAL uploaded and pg_receivewal gone.
#include "TestEnv.h"
#include "WalTestCluster.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

class TstWalReceive : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_local;
    QHash<QString, QString> m_s3;
    QString m_prefix;
    std::unique_ptr<WalTestCluster> m_cluster;
    std::unique_ptr<QProcess> m_receiver;
    QByteArray m_receiverLog;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        return e;
    }
    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args, {}, env()); }
    QString s3Object(const QString &rel) const {
        return m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') + m_s3.value(QStringLiteral("S3_BUCKET")) +
               QLatin1Char('/') + m_prefix + QLatin1Char('/') + rel + QStringLiteral("._S3rver_object");
    }
    static QByteArray readAll(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    QString spool() const { return m_home + QStringLiteral("/wal-spool/main"); }
    int count(const QString &where) {
        int n = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("walcount"));
            db.setDatabaseName(m_home + QStringLiteral("/catalog.sqlite"));
            if (db.open()) {
                QSqlQuery q(db);
                if (q.exec(QStringLiteral("SELECT count(*) FROM wal_files WHERE ") + where) && q.next())
                    n = q.value(0).toInt();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("walcount"));
        return n;
    }
    void startReceiver(int partialSeconds) {
        m_receiver = std::make_unique<QProcess>();
        m_receiver->setProcessEnvironment(env());
        m_receiver->setProcessChannelMode(QProcess::MergedChannels);
        m_receiver->start(TestEnv::lifeboatctl(),
                          {QStringLiteral("--home"), m_home, QStringLiteral("wal"), QStringLiteral("receive"),
                           QStringLiteral("main"), QStringLiteral("--partial-upload"),
                           QString::number(partialSeconds)});
        QVERIFY(m_receiver->waitForStarted());
    }
    QByteArray receiverLog() {
        if (m_receiver)
            m_receiverLog += m_receiver->readAll();
        return m_receiverLog;
    }
    // pg_receivewal processes writing into our spool.
    static int receivewalsFor(const QString &dir) {
        int n = 0;
        for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
            if (f.open(QIODevice::ReadOnly)) {
                const QByteArray cmd = f.readAll();
                if (cmd.contains("pg_receivewal") && cmd.contains(dir.toUtf8()))
                    ++n;
            }
        }
        return n;
    }
    QString currentSegment() { return m_cluster->sql(QStringLiteral("SELECT pg_walfile_name(pg_current_wal_lsn())")); }
    bool stored(const QString &segment) {
        return count(QStringLiteral("name = '%1' AND kind = 'segment'").arg(segment)) == 2;
    }

private slots:
    void initTestCase() {
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_s3.isEmpty(), "the s3 fixture must be running");
        m_prefix = QStringLiteral("walrx%1").arg(QRandomGenerator::global()->bounded(1000000));
        QFile::setPermissions(m_tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                                QFileDevice::ExeGroup | QFileDevice::ExeOther);
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_local = m_tmp.filePath(QStringLiteral("local"));
        m_cluster = std::make_unique<WalTestCluster>(m_tmp.filePath(QStringLiteral("cluster")));
        QString why;
        QVERIFY2(m_cluster->start({}, QProcessEnvironment::systemEnvironment(), &why), qPrintable(why));
        auto r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_local});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
                 m_prefix});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("main"), QStringLiteral("--conninfo"),
                 m_cluster->conninfo(), QStringLiteral("--storage"), QStringLiteral("disk"),
                 QStringLiteral("--storage"), QStringLiteral("bucket")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_cluster->sql(QStringLiteral("CREATE TABLE t (id serial, v text)"));
    }
    void cleanupTestCase() {
        if (m_receiver && m_receiver->state() != QProcess::NotRunning) {
            m_receiver->kill();
            m_receiver->waitForFinished();
        }
        if (m_cluster)
            m_cluster->stop();
    }

    void partialAndCompleteSegments() {
        startReceiver(2);
        QTRY_VERIFY2_WITH_TIMEOUT(m_cluster->sql(QStringLiteral("SELECT count(*) FROM pg_replication_slots WHERE "
                                                                "slot_name = 'lifeboat_main' AND active")) ==
                                      QLatin1String("1"),
                                  receiverLog().constData(), 30000);
        // A commit in the segment being filled: stored as a partial within the interval (plus an upload's time).
        const QString segment = currentSegment();
        m_cluster->sql(QStringLiteral("INSERT INTO t (v) VALUES ('partial-marker-one')"));
        QElapsedTimer t;
        t.start();
        const QString partialRel = QStringLiteral("wal/main/00000001/%1.partial.zst").arg(segment);
        QTRY_VERIFY2_WITH_TIMEOUT(count(QStringLiteral("name = '%1' AND kind = 'partial'").arg(segment)) == 2 &&
                                      QFile::exists(m_local + QLatin1Char('/') + partialRel) &&
                                      QFile::exists(s3Object(partialRel)),
                                  receiverLog().constData(), 30000);
        QVERIFY2(t.elapsed() < 2000 + 8000, qPrintable(QString::number(t.elapsed())));
        // The partial holds the commit: fetch --partial gives the bytes, the marker among them.
        const QString dest = m_tmp.filePath(QStringLiteral("partial.bin"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto r =
                    ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"), segment, dest,
                         QStringLiteral("--partial"), QStringLiteral("--storage"), QStringLiteral("bucket")});
                return r.exitCode == 0 && readAll(dest).contains("partial-marker-one");
            }(),
            20000);
        // The switched segment: stored in both, recorded once per storage, gone from the spool with its partial.
        m_cluster->sql(QStringLiteral("SELECT pg_switch_wal()"));
        QTRY_VERIFY2_WITH_TIMEOUT(stored(segment), receiverLog().constData(), 30000);
        const QString rel = QStringLiteral("wal/main/00000001/%1.zst").arg(segment);
        QVERIFY(QFile::exists(m_local + QLatin1Char('/') + rel));
        QVERIFY(QFile::exists(s3Object(rel)));
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(spool() + QLatin1Char('/') + segment), 10000);
        QCOMPARE(count(QStringLiteral("name = '%1' AND kind = 'partial'").arg(segment)), 0);
        QVERIFY(!QFile::exists(m_local + QLatin1Char('/') + partialRel));
        const QByteArray server = readAll(m_cluster->dataDir() + QStringLiteral("/pg_wal/") + segment);
        const auto r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"), segment, dest});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(readAll(dest) == server);
    }

    void killAndRestartLosesNothing() {
        QVERIFY(m_receiver && m_receiver->state() == QProcess::Running);
        // Mid-segment: a commit uploaded as a partial, then kill -9.
        m_cluster->sql(QStringLiteral("INSERT INTO t (v) SELECT md5(g::text) FROM generate_series(1, 2000) g"));
        const QString segment = currentSegment();
        QTRY_VERIFY_WITH_TIMEOUT(count(QStringLiteral("name = '%1' AND kind = 'partial'").arg(segment)) == 2, 30000);
        ::kill(static_cast<pid_t>(m_receiver->processId()), SIGKILL);
        QVERIFY(m_receiver->waitForFinished(10000));
        QTRY_COMPARE_WITH_TIMEOUT(receivewalsFor(spool()), 0, 10000); // it died with its parent
        // The server goes on without it: two more segments, then the receiver comes back.
        QStringList switched;
        for (int i = 0; i < 2; ++i) {
            m_cluster->sql(QStringLiteral("INSERT INTO t (v) SELECT md5(g::text) FROM generate_series(1, 2000) g"));
            switched << currentSegment();
            m_cluster->sql(QStringLiteral("SELECT pg_switch_wal()"));
        }
        startReceiver(2);
        for (const QString &s : std::as_const(switched))
            QTRY_VERIFY2_WITH_TIMEOUT(stored(s), receiverLog().constData(), 60000);
        // Every segment from the first received to the last switched is stored, once per storage.
        auto r = ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("status"), QStringLiteral("main"),
                      QStringLiteral("--no-server")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject tl =
            QJsonDocument::fromJson(r.out).object().value(QStringLiteral("timelines")).toArray().first().toObject();
        QCOMPARE(tl.value(QStringLiteral("missingCount")).toInt(), 0);
        QVERIFY(tl.value(QStringLiteral("last")).toString() >= switched.last());
        QCOMPARE(count(QStringLiteral("kind = 'segment'")), 2 * tl.value(QStringLiteral("segments")).toInt());
        QCOMPARE(count(QStringLiteral("kind = 'segment' AND name = '%1'").arg(segment)), 2);
    }

    void sigtermStopsCleanly() {
        QVERIFY(m_receiver && m_receiver->state() == QProcess::Running);
        m_cluster->sql(QStringLiteral("INSERT INTO t (v) VALUES ('last-words')"));
        const QString segment = currentSegment();
        QTest::qWait(1500); // received by pg_receivewal (status interval aside, the stream is immediate)
        ::kill(static_cast<pid_t>(m_receiver->processId()), SIGTERM);
        QVERIFY2(m_receiver->waitForFinished(60000), receiverLog().constData());
        QCOMPARE(m_receiver->exitStatus(), QProcess::NormalExit);
        QVERIFY2(m_receiver->exitCode() == 0, receiverLog().constData());
        QCOMPARE(receivewalsFor(spool()), 0);
        // What it had is stored: the partial with the last commit.
        const QString dest = m_tmp.filePath(QStringLiteral("last.bin"));
        const auto r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"), segment, dest,
                            QStringLiteral("--partial")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(readAll(dest).contains("last-words"));
        QVERIFY2(receiverLog().contains("stopped; everything received is stored"), receiverLog().constData());
    }

    void systemdUnitKeepsItRunning() {
        auto r = ctl({QStringLiteral("schedule"), QStringLiteral("install"), QStringLiteral("--systemd"),
                      QStringLiteral("--wal-receive"), QStringLiteral("main"), QStringLiteral("--print")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("# lifeboat-wal-receive-main.service\n"), r.out.constData());
        QVERIFY2(r.out.contains(QStringLiteral("\nExecStart=%1 --home %2 wal receive main\n")
                                    .arg(QFileInfo(TestEnv::lifeboatctl()).absoluteFilePath(), m_home)
                                    .toUtf8()),
                 r.out.constData());
        QVERIFY(r.out.contains("\nRestart=always\n") && r.out.contains("\nKillSignal=SIGTERM\n"));
        r = ctl({QStringLiteral("schedule"), QStringLiteral("install"), QStringLiteral("--cron"),
                 QStringLiteral("--wal-receive"), QStringLiteral("main"), QStringLiteral("--print")});
        QCOMPARE(r.exitCode, 3); // a long-running service, not a timer line
    }
};

QTEST_GUILESS_MAIN(TstWalReceive)
#include "tst_wal_receive.moc"
