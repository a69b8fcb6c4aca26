// Issue 17, base backups and recovery: a throwaway source cluster (archive_command copies each finished segment
// into a spool the test pushes with `lifeboatctl wal push` into local disk and the S3 fixture), base backups to both,
// two batches of commits with a timestamp between them; `recover --to THAT_TIME` holds exactly the first batch,
// `--to latest` both; the refusals (target before the oldest base backup, non-empty directory, port in use, a
// missing segment — each exit 6 with nothing written), an encrypted base backup, a role without REPLICATION, a
// pg_hba.conf without a replication line and an extra tablespace, each refused with the fix in the message.
#include "TestEnv.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <unistd.h>

class TstPitrCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_base; // 0755, so the postgres user (tests run as root) can enter it
    QString m_home;
    QString m_bin;
    QString m_data;
    QString m_archive;
    int m_port = 0;
    QStringList m_pushed;
    QStringList m_running; // data directories of recovered servers left running
    QProcessEnvironment m_env;
    QDateTime m_between;
    qint64 m_firstBase = 0;
    QString m_firstBaseFile;
    QString m_firstBaseStop;
    QString m_identity;
    QString m_s3secret;

    static bool root() { return ::geteuid() == 0; }
    QStringList asOwner(const QString &program, const QStringList &args) const {
        return root() ? QStringList{QStringLiteral("runuser"), QStringLiteral("-u"), QStringLiteral("postgres"),
                                    QStringLiteral("--"), program} +
                            args
                      : QStringList{program} + args;
    }
    TestEnv::Run owner(const QString &tool, const QStringList &args) const {
        const QStringList full = asOwner(m_bin + QLatin1Char('/') + tool, args);
        return TestEnv::run(full.first(), full.mid(1));
    }
    static int freePort() {
        QTcpServer s;
        s.listen(QHostAddress::LocalHost, 0);
        return s.serverPort();
    }
    TestEnv::Run ctl(const QStringList &args) {
        const TestEnv::Run r = TestEnv::ctl(m_home, args, {}, m_env);
        if (r.exitCode != 0)
            qInfo("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return r;
    }
    QString sql(int port, const QString &statement, const QString &user = QStringLiteral("postgres")) {
        const TestEnv::Run r = TestEnv::run(
            m_bin + QStringLiteral("/psql"),
            {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"),
             QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
             QStringLiteral("-p"), QString::number(port), QStringLiteral("-U"), user, QStringLiteral("-d"),
             QStringLiteral("postgres"), QStringLiteral("-c"), statement});
        if (r.exitCode != 0)
            qWarning("psql: %s", r.err.constData());
        return QString::fromUtf8(r.out).trimmed();
    }
    static QJsonObject json(const TestEnv::Run &r) { return QJsonDocument::fromJson(r.out).object(); }
    // Waits until archive_command (cp, which writes in place) copied the whole segment.
    bool archived(const QString &seg) const {
        const QString path = m_archive + QLatin1Char('/') + seg;
        for (int i = 0; i < 300 && QFileInfo(path).size() < 16 * 1024 * 1024; ++i)
            QThread::msleep(100);
        return QFileInfo(path).size() == 16 * 1024 * 1024;
    }
    // Ends the current segment and waits until archive_command copied it, then pushes every new archived file.
    bool switchAndPush(const QStringList &skip = {}) {
        const QString seg = sql(m_port, QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
        if (!archived(seg))
            return false;
        return pushArchived(skip);
    }
    bool pushArchived(const QStringList &skip = {}) {
        QStringList files = QDir(m_archive).entryList(QDir::Files, QDir::Name);
        for (const QString &f : files) {
            if (m_pushed.contains(f) || skip.contains(f))
                continue;
            const TestEnv::Run r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("src"),
                                        m_archive + QLatin1Char('/') + f});
            if (r.exitCode != 0)
                return false;
            m_pushed << f;
        }
        return true;
    }
    QString dir(const QString &name) const { return m_base + QLatin1Char('/') + name; }
    void stopServer(const QString &dataDir) {
        owner(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), dataDir, QStringLiteral("-m"), QStringLiteral("fast"),
                                         QStringLiteral("-w"), QStringLiteral("stop")});
        m_running.removeAll(dataDir);
    }
    // recover … --start, then the rows of t on the recovered server, then a clean stop.
    QString recoveredRows(const QStringList &target, const QString &name, QJsonObject *out = nullptr,
                          const QStringList &extra = {}) {
        const int port = freePort();
        const QString data = dir(name);
        const TestEnv::Run r =
            ctl(QStringList{QStringLiteral("--json"), QStringLiteral("recover"), QStringLiteral("src")} + target +
                QStringList{QStringLiteral("--data-dir"), data, QStringLiteral("--port"), QString::number(port),
                            QStringLiteral("--start")} +
                extra);
        if (out)
            *out = json(r);
        if (r.exitCode != 0)
            return QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err));
        m_running << data;
        const QString rows = sql(port, QStringLiteral("SELECT count(*) || ':' || coalesce(max(id), 0) FROM t"));
        stopServer(data);
        return rows;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_base = m_tmp.filePath(QStringLiteral("pitr"));
        QVERIFY(QDir().mkpath(m_base));
        QVERIFY(QFile::setPermissions(m_tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                        QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                                                        QFileDevice::ExeOther | QFileDevice::ReadGroup |
                                                        QFileDevice::ReadOther));
        const auto s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!s3.isEmpty(), "the s3 fixture is not running");
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), s3.value(QStringLiteral("S3_ACCESS_KEY")));
        m_env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), s3.value(QStringLiteral("S3_SECRET_KEY")));
        m_s3secret = s3.value(QStringLiteral("S3_SECRET_KEY"));
        for (const QString &d :
             QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            if (QFile::exists(QStringLiteral("/usr/lib/postgresql/%1/bin/initdb").arg(d)))
                m_bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(d);
        QVERIFY2(!m_bin.isEmpty(), "no PostgreSQL server binaries");

        // The source cluster, owned by postgres when the test runs as root.
        m_data = dir(QStringLiteral("source"));
        m_archive = dir(QStringLiteral("archive"));
        QVERIFY(QDir().mkpath(m_archive));
        if (root()) {
            QCOMPARE(TestEnv::run(QStringLiteral("chown"), {QStringLiteral("postgres:"), m_base, m_archive}).exitCode,
                     0);
        }
        const TestEnv::Run init = owner(QStringLiteral("initdb"),
                                        {QStringLiteral("-D"), m_data, QStringLiteral("-U"), QStringLiteral("postgres"),
                                         QStringLiteral("-A"), QStringLiteral("trust")});
        QVERIFY2(init.exitCode == 0, init.err.constData());
        // postgres may replicate from 127.0.0.1; "nohba" has the REPLICATION attribute but no replication line.
        QFile hba(m_data + QStringLiteral("/pg_hba.conf"));
        QVERIFY(hba.open(QIODevice::WriteOnly | QIODevice::Truncate));
        hba.write("local all all trust\nhost all all 127.0.0.1/32 trust\n"
                  "host replication postgres 127.0.0.1/32 trust\nhost replication norep 127.0.0.1/32 trust\n");
        hba.close();
        m_port = freePort();
        QFile conf(m_data + QStringLiteral("/postgresql.auto.conf"));
        QVERIFY(conf.open(QIODevice::Append));
        conf.write(QStringLiteral("port = %1\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%2'\n"
                                  "archive_mode = on\narchive_command = 'cp %p %3/%f'\nfsync = off\n")
                       .arg(m_port)
                       .arg(m_base, m_archive)
                       .toUtf8());
        conf.close();
        if (root())
            TestEnv::run(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("postgres:"), m_data});
        const TestEnv::Run start = owner(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_data, QStringLiteral("-l"),
                                                                    dir(QStringLiteral("source.log")),
                                                                    QStringLiteral("-w"), QStringLiteral("start")});
        QVERIFY2(start.exitCode == 0, start.err.constData());
        m_running << m_data;
        sql(m_port, QStringLiteral("CREATE ROLE norep LOGIN; CREATE ROLE nohba LOGIN REPLICATION;"
                                   "CREATE TABLE t (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())"));

        m_home = m_tmp.filePath(QStringLiteral("home"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), dir(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
                 QStringLiteral("pitr-%1").arg(QRandomGenerator::global()->bounded(1000000))})
                .exitCode,
            0);
        const QString conninfo = QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=").arg(m_port);
        for (const QString &user : {QStringLiteral("postgres"), QStringLiteral("norep"), QStringLiteral("nohba")}) {
            QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"),
                          user == QLatin1String("postgres") ? QStringLiteral("src") : user,
                          QStringLiteral("--conninfo"), conninfo + user, QStringLiteral("--storage"),
                          QStringLiteral("disk"), QStringLiteral("--storage"), QStringLiteral("bucket")})
                         .exitCode,
                     0);
        }
        QVERIFY(switchAndPush());
    }

    void cleanupTestCase() {
        for (const QString &d : QStringList(m_running))
            owner(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), d, QStringLiteral("-m"), QStringLiteral("immediate"),
                                             QStringLiteral("-w"), QStringLiteral("stop")});
    }

    void baseBackupToLocalAndS3() {
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("basebackup"), QStringLiteral("src")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = json(r);
        m_firstBase = o.value(QStringLiteral("id")).toInteger();
        m_firstBaseFile = o.value(QStringLiteral("filename")).toString();
        m_firstBaseStop = o.value(QStringLiteral("stopLsn")).toString();
        QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("base"));
        QCOMPARE(o.value(QStringLiteral("timeline")).toInt(), 1);
        QVERIFY(o.value(QStringLiteral("filename")).toString().endsWith(QLatin1String(".tar.zst")));
        QVERIFY(!o.value(QStringLiteral("startLsn")).toString().isEmpty());
        QVERIFY(!o.value(QStringLiteral("stopLsn")).toString().isEmpty());
        const QJsonArray locs = o.value(QStringLiteral("locations")).toArray();
        QCOMPARE(locs.size(), 2);
        QString local;
        for (const QJsonValue &l : locs)
            if (l.toObject().value(QStringLiteral("storage")).toString() == QLatin1String("disk"))
                local = l.toObject().value(QStringLiteral("path")).toString();
        // The stored artifact is zstd around pg_basebackup's tar, with the server's label and manifest inside.
        const TestEnv::Run list = TestEnv::run(
            QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("zstd -dc '%1' | tar tf -").arg(local)});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("backup_label\n"));
        QVERIFY(list.out.contains("backup_manifest\n"));
        QVERIFY(list.out.contains("pg_wal/"));
        // The manifest beside it records the WAL range, as the catalog does.
        QFile m(local + QStringLiteral(".manifest.json"));
        QVERIFY(m.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(m.readAll()).object();
        QCOMPARE(manifest.value(QStringLiteral("kind")).toString(), QStringLiteral("base"));
        QCOMPARE(manifest.value(QStringLiteral("baseBackup")).toObject().value(QStringLiteral("stopLsn")).toString(),
                 o.value(QStringLiteral("stopLsn")).toString());
        const QJsonObject shown =
            json(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(m_firstBase)}));
        QCOMPARE(shown.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
    }

    void recoverToATimeHoldsExactlyTheFirstBatch() {
        sql(m_port, QStringLiteral("INSERT INTO t (id) SELECT g FROM generate_series(1, 100) g"));
        QThread::msleep(1200);
        m_between = QDateTime::currentDateTimeUtc();
        QThread::msleep(1200);
        sql(m_port, QStringLiteral("INSERT INTO t (id) SELECT g FROM generate_series(101, 250) g"));
        QVERIFY(switchAndPush());

        QJsonObject o;
        QCOMPARE(recoveredRows({QStringLiteral("--to"), m_between.toString(Qt::ISODateWithMs)},
                               QStringLiteral("at-time"), &o),
                 QStringLiteral("100:100"));
        QCOMPARE(o.value(QStringLiteral("plan")).toObject().value(QStringLiteral("baseBackupId")).toInteger(),
                 m_firstBase);
        const QDateTime last =
            QDateTime::fromString(o.value(QStringLiteral("lastTransaction")).toString(), Qt::ISODateWithMs);
        QVERIFY2(last.isValid() && last <= m_between, qPrintable(o.value(QStringLiteral("verdict")).toString()));
        QVERIFY(!o.value(QStringLiteral("segmentsReplayed")).toArray().isEmpty());
        QCOMPARE(o.value(QStringLiteral("running")).toBool(), true); // --start left it running (stopped by the test)
    }

    void recoverToLatestHoldsBoth() {
        QCOMPARE(recoveredRows({QStringLiteral("--to"), QStringLiteral("latest")}, QStringLiteral("latest")),
                 QStringLiteral("250:250"));
    }

    void dryRunWritesNothing() {
        const QString data = dir(QStringLiteral("dry"));
        const TestEnv::Run r =
            ctl({QStringLiteral("--json"), QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"),
                 QStringLiteral("latest"), QStringLiteral("--data-dir"), data, QStringLiteral("--port"),
                 QString::number(freePort()), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject plan = json(r).value(QStringLiteral("plan")).toObject();
        QCOMPARE(plan.value(QStringLiteral("baseBackupId")).toInteger(), m_firstBase);
        QVERIFY(!plan.value(QStringLiteral("segments")).toArray().isEmpty());
        QVERIFY(!QFileInfo::exists(data));
    }

    void refusalsWriteNothing() {
        // A target before the oldest base backup ends: exit 6 with the window.
        const QString data = dir(QStringLiteral("refused"));
        TestEnv::Run r =
            ctl({QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"),
                 QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODate), QStringLiteral("--data-dir"), data,
                 QStringLiteral("--port"), QString::number(freePort())});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("recoverable window"), r.err.constData());
        QVERIFY(!QFileInfo::exists(data));
        // A data directory with something in it.
        QVERIFY(QDir().mkpath(data));
        QFile keep(data + QStringLiteral("/keep.txt"));
        QVERIFY(keep.open(QIODevice::WriteOnly) && keep.write("mine") == 4);
        keep.close();
        r = ctl({QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"), QStringLiteral("latest"),
                 QStringLiteral("--data-dir"), data, QStringLiteral("--port"), QString::number(freePort())});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("not empty"), r.err.constData());
        QCOMPARE(QDir(data).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{QStringLiteral("keep.txt")});
        // A port in use.
        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
        const QString other = dir(QStringLiteral("refused-port"));
        r = ctl({QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"), QStringLiteral("latest"),
                 QStringLiteral("--data-dir"), other, QStringLiteral("--port"), QString::number(busy.serverPort())});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("in use"), r.err.constData());
        QVERIFY(!QFileInfo::exists(other));
    }

    void encryptedBaseBackupRecovers() {
        m_identity = dir(QStringLiteral("key.txt"));
        const TestEnv::Run kg =
            ctl({QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--out"), m_identity});
        QCOMPARE(kg.exitCode, 0);
        const QString recipient = json(kg).value(QStringLiteral("recipient")).toString();
        const TestEnv::Run r =
            ctl({QStringLiteral("--json"), QStringLiteral("basebackup"), QStringLiteral("src"),
                 QStringLiteral("--storage"), QStringLiteral("bucket"), QStringLiteral("--recipient"), recipient});
        QCOMPARE(r.exitCode, 0);
        const qint64 id = json(r).value(QStringLiteral("id")).toInteger();
        QVERIFY(json(r).value(QStringLiteral("filename")).toString().endsWith(QLatin1String(".tar.zst.age")));
        sql(m_port, QStringLiteral("INSERT INTO t (id) VALUES (251)"));
        QVERIFY(switchAndPush());
        // Without the identity the backup cannot be read; with it, the newest base backup (from the bucket).
        const QString noIdentity =
            recoveredRows({QStringLiteral("--to"), QStringLiteral("latest")}, QStringLiteral("enc-noid"));
        QVERIFY2(noIdentity.startsWith(QLatin1String("exit 3")) && noIdentity.contains(QLatin1String("--identity")),
                 qPrintable(noIdentity));
        QVERIFY(!QFileInfo::exists(dir(QStringLiteral("enc-noid"))));
        QJsonObject o;
        QCOMPARE(recoveredRows({QStringLiteral("--to"), QStringLiteral("latest")}, QStringLiteral("enc"), &o,
                               {QStringLiteral("--identity"), m_identity}),
                 QStringLiteral("251:251"));
        QCOMPARE(o.value(QStringLiteral("plan")).toObject().value(QStringLiteral("baseBackupId")).toInteger(), id);
    }

    // The brief's restore_command — `lifeboatctl wal fetch` run by the server itself — is what a non-root user gets
    // (as root the server runs as postgres and reads a spool, the cases above). Here the same recovery runs as the
    // postgres user with its own copy of the home: the server fetches every segment through `wal fetch`.
    void restoreCommandFetchesThroughWalFetch() {
        if (!root())
            QSKIP("runs as root only: without root every case above already uses this restore_command");
        const QString home = dir(QStringLiteral("home-pg"));
        const QString key = dir(QStringLiteral("key-pg.txt"));
        QCOMPARE(TestEnv::run(QStringLiteral("cp"), {QStringLiteral("-a"), m_home, home}).exitCode, 0);
        QCOMPARE(TestEnv::run(QStringLiteral("cp"), {m_identity, key}).exitCode, 0);
        // Everything that user reads is its own, as on a host where it runs Lifeboat: the home, the key, the local
        // storage (the bucket is reached with the same AWS environment).
        QCOMPARE(TestEnv::run(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("postgres:"), home, key,
                                                        dir(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        const QString data = dir(QStringLiteral("as-postgres"));
        const int port = freePort();
        const TestEnv::Run r =
            TestEnv::run(QStringLiteral("runuser"),
                         {QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                          TestEnv::lifeboatctl(), QStringLiteral("--home"), home, QStringLiteral("--json"),
                          QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"),
                          QStringLiteral("latest"), QStringLiteral("--data-dir"), data, QStringLiteral("--port"),
                          QString::number(port), QStringLiteral("--start"), QStringLiteral("--identity"), key},
                         {}, m_env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_running << data;
        const QString rows = sql(port, QStringLiteral("SELECT count(*) || ':' || coalesce(max(id), 0) FROM t"));
        stopServer(data);
        QCOMPARE(rows, QStringLiteral("251:251"));
        QVERIFY(!json(r).value(QStringLiteral("segmentsReplayed")).toArray().isEmpty());
        QFile conf(data + QStringLiteral("/postgresql.auto.conf"));
        QVERIFY(conf.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(conf.readAll());
        QVERIFY2(text.contains(QStringLiteral("wal fetch ''src'' \"%f\" \"%p\" --partial --fatal-errors")) &&
                     text.contains(home),
                 qPrintable(text));
        QVERIFY(!text.contains(m_s3secret));
    }

    void missingPrivilegesAreNamed() {
        TestEnv::Run r = ctl({QStringLiteral("basebackup"), QStringLiteral("norep")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("ALTER ROLE \"norep\" WITH REPLICATION;"), r.err.constData());
        r = ctl({QStringLiteral("basebackup"), QStringLiteral("nohba")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("host replication nohba 127.0.0.1/32 scram-sha-256"), r.err.constData());
        // Both attempts are recorded FAILED, with no copy.
        const QJsonArray failed = QJsonDocument::fromJson(ctl({QStringLiteral("--json"), QStringLiteral("list"),
                                                               QStringLiteral("--status"), QStringLiteral("FAILED")})
                                                              .out)
                                      .array();
        QStringList profiles;
        for (const QJsonValue &v : failed)
            profiles << v.toObject().value(QStringLiteral("profile")).toString();
        QVERIFY2(profiles.contains(QStringLiteral("norep")) && profiles.contains(QStringLiteral("nohba")),
                 qPrintable(profiles.join(QLatin1Char(','))));
    }

    void extraTablespaceIsRefusedBeforeWriting() {
        const QString space = dir(QStringLiteral("space"));
        QVERIFY(QDir().mkpath(space));
        if (root())
            TestEnv::run(QStringLiteral("chown"), {QStringLiteral("postgres:"), space});
        sql(m_port, QStringLiteral("CREATE TABLESPACE extra LOCATION '%1'").arg(space));
        const QStringList before = QDir(dir(QStringLiteral("disk"))).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
        const TestEnv::Run r = ctl(
            {QStringLiteral("basebackup"), QStringLiteral("src"), QStringLiteral("--storage"), QStringLiteral("disk")});
        sql(m_port, QStringLiteral("DROP TABLESPACE extra"));
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("extra (") && r.err.contains("tablespace"), r.err.constData());
        QCOMPARE(QDir(dir(QStringLiteral("disk"))).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), before);
    }

    // The catalog is lost: `catalog rebuild` brings the base backup back with its WAL range (from the manifest),
    // so recover finds it again.
    void catalogRebuildBringsBackTheRange() {
        const QString home = dir(QStringLiteral("home-rebuilt"));
        QVERIFY(QDir().mkpath(home));
        QVERIFY(QFile::copy(m_home + QStringLiteral("/config.json"), home + QStringLiteral("/config.json")));
        TestEnv::Run r = TestEnv::ctl(
            home,
            {QStringLiteral("--json"), QStringLiteral("catalog"), QStringLiteral("rebuild"), QStringLiteral("disk")},
            {}, m_env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(json(r).value(QStringLiteral("added")).toInt() >= 1, r.out.constData());
        const QString data = dir(QStringLiteral("rebuilt"));
        r = TestEnv::ctl(home,
                         {QStringLiteral("--json"), QStringLiteral("recover"), QStringLiteral("src"),
                          QStringLiteral("--to"), QStringLiteral("latest"), QStringLiteral("--data-dir"), data,
                          QStringLiteral("--port"), QString::number(freePort()), QStringLiteral("--dry-run")},
                         {}, m_env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject plan = json(r).value(QStringLiteral("plan")).toObject();
        QCOMPARE(plan.value(QStringLiteral("baseBackup")).toString(), m_firstBaseFile);
        QCOMPARE(plan.value(QStringLiteral("baseBackupEnd")).toString(), m_firstBaseStop);
        QVERIFY(!QFileInfo::exists(data));
    }

    // Review of issue 17: WAL archived to a storage that is not (or no longer) among the profile's default ones.
    // The plan counts every storage's rows; `wal fetch` opened only the defaults, answered "not archived", and the
    // server promoted early (or, as root, the prefetch failed). Both the spool (root) and restore_command = wal
    // fetch run by the server (the postgres user) must read it.
    void latestReadsWalOnEveryStorage() {
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk2"),
                      QStringLiteral("--local"), dir(QStringLiteral("disk2"))})
                     .exitCode,
                 0);
        sql(m_port, QStringLiteral("INSERT INTO t (id) VALUES (260)"));
        const QString seg = sql(m_port, QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
        QVERIFY(archived(seg));
        for (const QString &f : QDir(m_archive).entryList(QDir::Files, QDir::Name)) {
            if (m_pushed.contains(f))
                continue;
            QCOMPARE(ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("src"),
                          m_archive + QLatin1Char('/') + f, QStringLiteral("--storage"), QStringLiteral("disk2")})
                         .exitCode,
                     0);
            m_pushed << f;
        }
        QCOMPARE(recoveredRows({QStringLiteral("--to"), QStringLiteral("latest")}, QStringLiteral("other-storage"),
                               nullptr, {QStringLiteral("--identity"), m_identity}),
                 QStringLiteral("252:260"));
        if (!root())
            return; // without root the recovery above already ran restore_command = wal fetch
        const QString home = dir(QStringLiteral("home-pg2"));
        const QString key = dir(QStringLiteral("key-pg2.txt"));
        QCOMPARE(TestEnv::run(QStringLiteral("cp"), {QStringLiteral("-a"), m_home, home}).exitCode, 0);
        QCOMPARE(TestEnv::run(QStringLiteral("cp"), {m_identity, key}).exitCode, 0);
        QCOMPARE(TestEnv::run(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("postgres:"), home, key,
                                                        dir(QStringLiteral("disk")), dir(QStringLiteral("disk2"))})
                     .exitCode,
                 0);
        const QString data = dir(QStringLiteral("other-storage-pg"));
        const int port = freePort();
        const TestEnv::Run r =
            TestEnv::run(QStringLiteral("runuser"),
                         {QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                          TestEnv::lifeboatctl(), QStringLiteral("--home"), home, QStringLiteral("--json"),
                          QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"),
                          QStringLiteral("latest"), QStringLiteral("--data-dir"), data, QStringLiteral("--port"),
                          QString::number(port), QStringLiteral("--start"), QStringLiteral("--identity"), key},
                         {}, m_env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_running << data;
        const QString rows = sql(port, QStringLiteral("SELECT count(*) || ':' || coalesce(max(id), 0) FROM t"));
        stopServer(data);
        QCOMPARE(rows, QStringLiteral("252:260"));
    }

    // Review of issue 17: a failure after the base backup was moved into DIR (here a damaged archived segment, its
    // only copy on disk2) says what DIR holds rather than leaving a directory that looks like a database.
    void failureAfterExtractionSaysWhatDirHolds() {
        QString victim;
        QDirIterator it(dir(QStringLiteral("disk2")), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            if (QFileInfo(f).fileName().startsWith(m_pushed.last()))
                victim = f;
        }
        QVERIFY2(!victim.isEmpty(), qPrintable(m_pushed.last()));
        const QString saved = dir(QStringLiteral("victim.bak"));
        QVERIFY(QFile::copy(victim, saved));
        QFile f(victim);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        QVERIFY(bytes.size() > 100);
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x5a);
        QVERIFY(f.seek(0) && f.write(bytes) == bytes.size());
        f.close();
        const QString data = dir(QStringLiteral("damaged-wal"));
        const TestEnv::Run r =
            ctl({QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"), QStringLiteral("latest"),
                 QStringLiteral("--data-dir"), data, QStringLiteral("--port"), QString::number(freePort()),
                 QStringLiteral("--identity"), m_identity});
        QVERIFY(QFile::remove(victim) && QFile::copy(saved, victim));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("damaged") && r.err.contains(data.toUtf8() + " holds the extracted base backup"),
                 r.err.constData());
        QVERIFY(QFileInfo::exists(data + QStringLiteral("/PG_VERSION")));
    }

    // `wal fetch --fatal-errors` is restore_command: a home whose catalog cannot be opened is a failure PostgreSQL
    // must stop at (255), not "not archived" (any other code), or it promotes early.
    void fatalFetchWithoutCatalogExits255() {
        const QString home = dir(QStringLiteral("home-broken"));
        QVERIFY(QDir().mkpath(home));
        QFile conf(home + QStringLiteral("/config.json"));
        QVERIFY(conf.open(QIODevice::WriteOnly) && conf.write("{ not json") > 0);
        conf.close();
        const QString seg = m_pushed.first();
        TestEnv::Run r = TestEnv::ctl(home,
                                      {QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("src"), seg,
                                       dir(QStringLiteral("fetched")), QStringLiteral("--fatal-errors")},
                                      {}, m_env);
        QCOMPARE(r.exitCode, 255);
        QVERIFY(!QFileInfo::exists(dir(QStringLiteral("fetched"))));
        r = TestEnv::ctl(home,
                         {QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("src"), seg,
                          dir(QStringLiteral("fetched"))},
                         {}, m_env);
        QCOMPARE(r.exitCode, 3);
    }

    // Review of issue 17: base backup manifests are signed like a backup's, and recover checks the signature as
    // restore does, before anything is written: --require-signed refuses an unsigned one, an invalid one is refused
    // always.
    void recoverChecksBaseBackupSignatures() {
        const QStringList latest{QStringLiteral("recover"), QStringLiteral("src"),        QStringLiteral("--to"),
                                 QStringLiteral("latest"),  QStringLiteral("--identity"), m_identity,
                                 QStringLiteral("--port"),  QString::number(freePort())};
        // A key in the file store (whether or not a keychain is around): basebackup signs its manifest.
        m_env.insert(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"), QStringLiteral("pitr signing passphrase"));
        QCOMPARE(ctl({QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")}).exitCode, 0);
        TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("basebackup"), QStringLiteral("src"),
                              QStringLiteral("--storage"), QStringLiteral("disk")});
        QCOMPARE(r.exitCode, 0);
        const qint64 id = json(r).value(QStringLiteral("id")).toInteger();
        QVERIFY(switchAndPush());
        QString local;
        for (const QJsonValue &l : json(r).value(QStringLiteral("locations")).toArray())
            local = l.toObject().value(QStringLiteral("path")).toString();
        QFile mf(local + QStringLiteral(".manifest.json"));
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QByteArray manifest = mf.readAll();
        mf.close();
        QJsonObject unsignedManifest = QJsonDocument::fromJson(manifest).object();
        QVERIFY2(unsignedManifest.contains(QStringLiteral("signature")), manifest.constData());
        const auto writeManifest = [&mf](const QByteArray &bytes) {
            return mf.open(QIODevice::WriteOnly | QIODevice::Truncate) && mf.write(bytes) == bytes.size() &&
                   (mf.close(), true);
        };

        // The same manifest without its signature: --require-signed refuses it, nothing is written.
        unsignedManifest.remove(QStringLiteral("signature"));
        QVERIFY(writeManifest(QJsonDocument(unsignedManifest).toJson()));
        const QString unsignedDir = dir(QStringLiteral("signed-refused"));
        r = ctl(latest + QStringList{QStringLiteral("--data-dir"), unsignedDir, QStringLiteral("--require-signed")});
        QVERIFY(writeManifest(manifest));
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("unsigned"), r.err.constData());
        QVERIFY(!QFileInfo::exists(unsignedDir));

        // Signed by this installation: recovers with --require-signed.
        QJsonObject o;
        QCOMPARE(recoveredRows({QStringLiteral("--to"), QStringLiteral("latest")}, QStringLiteral("signed"), &o,
                               {QStringLiteral("--identity"), m_identity, QStringLiteral("--require-signed")}),
                 QStringLiteral("252:260"));
        QCOMPARE(o.value(QStringLiteral("plan")).toObject().value(QStringLiteral("baseBackupId")).toInteger(), id);
        QCOMPARE(o.value(QStringLiteral("manifestSignature")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("this-installation"));

        // A manifest changed after signing is refused without --require-signed too, and nothing is written.
        QByteArray tampered = manifest;
        const qsizetype at = tampered.indexOf("\"profile\"");
        QVERIFY(at >= 0);
        tampered.insert(at, "\"tamperedWith\": true, ");
        QVERIFY(writeManifest(tampered));
        const QString invalidDir = dir(QStringLiteral("signed-invalid"));
        r = ctl(latest + QStringList{QStringLiteral("--data-dir"), invalidDir});
        QVERIFY(writeManifest(manifest));
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("signature"), r.err.constData());
        QVERIFY(!QFileInfo::exists(invalidDir));
    }

    // Last: it leaves a hole in the archive.
    void missingSegmentIsNamed() {
        sql(m_port, QStringLiteral("INSERT INTO t (id) VALUES (252)"));
        const QString hole = sql(m_port, QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
        for (int i = 0; i < 300 && !QFile::exists(m_archive + QLatin1Char('/') + hole); ++i)
            QThread::msleep(100);
        sql(m_port, QStringLiteral("INSERT INTO t (id) VALUES (253)"));
        QVERIFY(switchAndPush({hole}));
        const QString data = dir(QStringLiteral("gap"));
        const TestEnv::Run r =
            ctl({QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"), QStringLiteral("latest"),
                 QStringLiteral("--data-dir"), data, QStringLiteral("--port"), QString::number(freePort()),
                 QStringLiteral("--identity"), m_identity});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains(hole.toUtf8()), r.err.constData());
        QVERIFY(!QFileInfo::exists(data));
    }
};

QTEST_GUILESS_MAIN(TstPitrCli)
#include "tst_pitr_cli.moc"
