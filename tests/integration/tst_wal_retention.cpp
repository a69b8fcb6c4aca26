// Issue 17 item 5, retention of WAL and base backups: a throwaway source cluster (archive_command copies each
// finished segment into a spool the test pushes with `lifeboatctl wal push` into local disk and the S3 fixture),
// three base backups with WAL before, between and after them and a hole in the archive between the second and the
// third. `prune` counts base backups like database backups and removes exactly the WAL older than the oldest kept
// base backup's start segment from both storages and the catalog, with reasons (text and --json); a dry run removes
// nothing; WAL after a gap stays while a kept base backup needs it; the newest base backup and its WAL always stay;
// `wal status` starts at the oldest kept base backup; `recover --to latest` works after each prune.
#include "TestEnv.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <unistd.h>

class TstWalRetention : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_base;
    QString m_home;
    QString m_bin;
    QString m_data;
    QString m_archive;
    int m_port = 0;
    int m_nextId = 1;
    QStringList m_pushed;
    QStringList m_running;
    QProcessEnvironment m_env;
    QList<qint64> m_bases; // base backup ids, oldest first
    QStringList m_starts;  // their start segments
    QString m_hole;        // a segment never pushed (between the second and the third base backup)
    QString m_asOf;        // two days on: nothing is "younger than 24 h"

    static bool root() { return ::geteuid() == 0; }
    TestEnv::Run owner(const QString &tool, const QStringList &args) const {
        const QString program = m_bin + QLatin1Char('/') + tool;
        return root() ? TestEnv::run(QStringLiteral("runuser"),
                                     QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                                                 program} +
                                         args)
                      : TestEnv::run(program, args);
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
    QString sql(int port, const QString &statement) {
        const TestEnv::Run r = TestEnv::run(
            m_bin + QStringLiteral("/psql"),
            {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"),
             QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
             QStringLiteral("-p"), QString::number(port), QStringLiteral("-U"), QStringLiteral("postgres"),
             QStringLiteral("-d"), QStringLiteral("postgres"), QStringLiteral("-c"), statement});
        if (r.exitCode != 0)
            qWarning("psql: %s", r.err.constData());
        return QString::fromUtf8(r.out).trimmed();
    }
    static QJsonDocument doc(const TestEnv::Run &r) { return QJsonDocument::fromJson(r.out); }
    QString dir(const QString &name) const { return m_base + QLatin1Char('/') + name; }
    QString localWal() const { return dir(QStringLiteral("disk")) + QStringLiteral("/wal/src/00000001"); }

    // Ends the current segment after a few rows, waits until archive_command copied it whole, then pushes every new
    // archived file except the hole (with `makeHole`, the segment ended becomes the hole). Returns the segment ended.
    QString writeSwitchAndPush(bool makeHole = false) {
        sql(m_port, QStringLiteral("INSERT INTO t (id) SELECT g FROM generate_series(%1, %2) g")
                        .arg(m_nextId)
                        .arg(m_nextId + 9));
        m_nextId += 10;
        const QString seg = sql(m_port, QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
        const QString path = m_archive + QLatin1Char('/') + seg;
        for (int i = 0; i < 300 && QFileInfo(path).size() < 16 * 1024 * 1024; ++i)
            QThread::msleep(100);
        if (QFileInfo(path).size() != 16 * 1024 * 1024)
            return {};
        if (makeHole)
            m_hole = seg;
        for (const QString &f : QDir(m_archive).entryList(QDir::Files, QDir::Name)) {
            if (m_pushed.contains(f) || f == m_hole)
                continue;
            if (ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("src"),
                     m_archive + QLatin1Char('/') + f})
                    .exitCode != 0)
                return {};
            m_pushed << f;
        }
        return seg;
    }
    bool baseBackup() {
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("basebackup"), QStringLiteral("src"),
                                    QStringLiteral("--type"), QStringLiteral("daily")});
        if (r.exitCode != 0)
            return false;
        const QJsonObject o = doc(r).object();
        m_bases << o.value(QStringLiteral("id")).toInteger();
        QString start = o.value(QStringLiteral("startWalFile")).toString();
        if (start.isEmpty()) {
            const QStringList lsn = o.value(QStringLiteral("startLsn")).toString().split(QLatin1Char('/'));
            const quint64 pos = (lsn.value(0).toULongLong(nullptr, 16) << 32) | lsn.value(1).toULongLong(nullptr, 16);
            start = QStringLiteral("00000001%1%2")
                        .arg(pos >> 32, 8, 16, QLatin1Char('0'))
                        .arg((pos & 0xFFFFFFFFu) / (16 * 1024 * 1024), 8, 16, QLatin1Char('0'))
                        .toUpper();
        }
        m_starts << start;
        return !start.isEmpty();
    }
    // The segment files of timeline 1 in the local storage (segments, partials and backup history files).
    QStringList localFiles() const {
        // The objects only (a file system without user attributes has a NAME.lifeboat-sha256 beside each).
        return QDir(localWal()).entryList({QStringLiteral("*.zst"), QStringLiteral("*.age")}, QDir::Files, QDir::Name);
    }
    static QStringList olderThan(const QStringList &files, const QString &segment) {
        QStringList out;
        for (const QString &f : files)
            if (f.left(24) < segment)
                out << f;
        return out;
    }
    // wal_files rows: "name kind storage", ordered.
    QStringList rows() {
        QStringList out;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("walrows"));
            db.setDatabaseName(m_home + QStringLiteral("/catalog.sqlite"));
            if (db.open()) {
                QSqlQuery q(db);
                q.exec(QStringLiteral("SELECT name, kind, storage FROM wal_files WHERE profile = 'src' ORDER BY name, "
                                      "kind, storage"));
                while (q.next())
                    out << QStringLiteral("%1 %2 %3")
                               .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString());
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("walrows"));
        return out;
    }
    QString status(qint64 id) {
        return doc(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)}))
            .object()
            .value(QStringLiteral("status"))
            .toString();
    }
    QStringList pruneArgs(int keepLast, bool dryRun) const {
        QStringList a{QStringLiteral("--json"),         QStringLiteral("prune"),
                      QStringLiteral("--profile"),      QStringLiteral("src"),
                      QStringLiteral("--keep-last"),    QString::number(keepLast),
                      QStringLiteral("--keep-daily"),   QStringLiteral("0"),
                      QStringLiteral("--keep-weekly"),  QStringLiteral("0"),
                      QStringLiteral("--keep-monthly"), QStringLiteral("0"),
                      QStringLiteral("--as-of"),        m_asOf};
        if (dryRun)
            a << QStringLiteral("--dry-run");
        return a;
    }
    static QList<QJsonObject> walEntries(const QJsonArray &a, const QString &action) {
        QList<QJsonObject> out;
        for (const QJsonValue &v : a)
            if (v.toObject().value(QStringLiteral("kind")).toString() == QLatin1String("wal") &&
                v.toObject().value(QStringLiteral("action")).toString() == action)
                out << v.toObject();
        return out;
    }
    // A segment can be fetched (from the catalog's copies, or else from the storages themselves) or not.
    int fetch(const QString &segment) {
        const QString dest = dir(QStringLiteral("fetched-") + segment);
        QFile::remove(dest);
        return ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("src"), segment, dest}).exitCode;
    }
    // recover --to latest --start, the rows of t on the recovered server, then a clean stop.
    QString recoveredRows(const QString &name) {
        const int port = freePort();
        const QString data = dir(name);
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("recover"), QStringLiteral("src"),
                                    QStringLiteral("--to"), QStringLiteral("latest"), QStringLiteral("--data-dir"),
                                    data, QStringLiteral("--port"), QString::number(port), QStringLiteral("--start")});
        if (r.exitCode != 0)
            return QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err));
        m_running << data;
        const QString rows = sql(port, QStringLiteral("SELECT count(*) || ':' || coalesce(max(id), 0) FROM t"));
        owner(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), data, QStringLiteral("-m"), QStringLiteral("fast"),
                                         QStringLiteral("-w"), QStringLiteral("stop")});
        m_running.removeAll(data);
        return rows;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_base = m_tmp.filePath(QStringLiteral("walret"));
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
        for (const QString &d :
             QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            if (QFile::exists(QStringLiteral("/usr/lib/postgresql/%1/bin/initdb").arg(d)))
                m_bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(d);
        QVERIFY2(!m_bin.isEmpty(), "no PostgreSQL server binaries");
        m_asOf = QDateTime::currentDateTimeUtc().addDays(2).toString(Qt::ISODate);

        m_data = dir(QStringLiteral("source"));
        m_archive = dir(QStringLiteral("archive"));
        QVERIFY(QDir().mkpath(m_archive));
        if (root())
            QCOMPARE(TestEnv::run(QStringLiteral("chown"), {QStringLiteral("postgres:"), m_base, m_archive}).exitCode,
                     0);
        const TestEnv::Run init = owner(QStringLiteral("initdb"),
                                        {QStringLiteral("-D"), m_data, QStringLiteral("-U"), QStringLiteral("postgres"),
                                         QStringLiteral("-A"), QStringLiteral("trust")});
        QVERIFY2(init.exitCode == 0, init.err.constData());
        QFile hba(m_data + QStringLiteral("/pg_hba.conf"));
        QVERIFY(hba.open(QIODevice::WriteOnly | QIODevice::Truncate));
        hba.write("local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication postgres 127.0.0.1/32 "
                  "trust\n");
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
        sql(m_port, QStringLiteral("CREATE TABLE t (id int PRIMARY KEY)"));

        m_home = m_tmp.filePath(QStringLiteral("home"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), dir(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
                 QStringLiteral("walret-%1").arg(QRandomGenerator::global()->bounded(1000000))})
                .exitCode,
            0);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("src"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=postgres").arg(m_port),
                 QStringLiteral("--storage"), QStringLiteral("disk"), QStringLiteral("--storage"),
                 QStringLiteral("bucket")})
                .exitCode,
            0);

        // WAL before the first base backup, between the base backups (with a hole between the second and the
        // third) and after the last.
        QVERIFY(!writeSwitchAndPush().isEmpty());
        QVERIFY(!writeSwitchAndPush().isEmpty());
        QVERIFY(baseBackup());
        QVERIFY(!writeSwitchAndPush().isEmpty());
        QVERIFY(!writeSwitchAndPush().isEmpty());
        QVERIFY(baseBackup());
        QVERIFY(!writeSwitchAndPush().isEmpty());
        QVERIFY(!writeSwitchAndPush(true).isEmpty());
        QVERIFY(!writeSwitchAndPush().isEmpty());
        QVERIFY(baseBackup());
        QVERIFY(!writeSwitchAndPush().isEmpty());
        QCOMPARE(m_bases.size(), 3);
        QVERIFY(m_starts[0] < m_starts[1] && m_starts[1] < m_hole && m_hole < m_starts[2]);
        QVERIFY(!localFiles().contains(m_hole + QStringLiteral(".zst")));
        QVERIFY2(!olderThan(localFiles(), m_starts[0]).isEmpty(), "WAL before the first base backup was pushed");
    }

    void cleanupTestCase() {
        for (const QString &d : QStringList(m_running))
            owner(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), d, QStringLiteral("-m"), QStringLiteral("immediate"),
                                             QStringLiteral("-w"), QStringLiteral("stop")});
    }

    void dryRunRemovesNothing() {
        const QStringList files = localFiles();
        const QStringList before = rows();
        const TestEnv::Run r = ctl(pruneArgs(2, true));
        QCOMPARE(r.exitCode, 0);
        const QJsonArray a = doc(r).array();
        // The oldest base backup would go; the WAL older than the second's start would go, with the reason.
        bool oldestExpires = false;
        for (const QJsonValue &v : a)
            if (v.toObject().value(QStringLiteral("id")).toInteger() == m_bases[0])
                oldestExpires = v.toObject().value(QStringLiteral("action")).toString() == QLatin1String("expire");
        QVERIFY2(oldestExpires, r.out.constData());
        const QList<QJsonObject> remove = walEntries(a, QStringLiteral("remove"));
        QCOMPARE(remove.size(), 1);
        const QStringList older = olderThan(files, m_starts[1]);
        QCOMPARE(remove[0].value(QStringLiteral("first")).toString(), older.first().left(24));
        QVERIFY(remove[0].value(QStringLiteral("last")).toString() < m_starts[1]);
        QCOMPARE(remove[0].value(QStringLiteral("outcome")).toString(), QStringLiteral("would remove"));
        QCOMPARE(remove[0].value(QStringLiteral("baseBackupId")).toInteger(), m_bases[1]);
        QCOMPARE(remove[0].value(QStringLiteral("files")).toInt(), older.size());
        QVERIFY(remove[0]
                    .value(QStringLiteral("reasons"))
                    .toArray()
                    .first()
                    .toString()
                    .contains(QStringLiteral("older than the oldest kept base backup #%1").arg(m_bases[1])));
        // The text form says the same.
        const TestEnv::Run text = ctl(pruneArgs(2, true).mid(1));
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(QStringLiteral("WOULD REMOVE WAL %1..").arg(older.first().left(24)).toUtf8()),
                 text.out.constData());
        QVERIFY2(
            text.out.contains(QStringLiteral("older than the oldest kept base backup #%1").arg(m_bases[1]).toUtf8()),
            text.out.constData());
        // Nothing changed; the window still starts at the oldest base backup.
        const QJsonObject st = doc(ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("status"),
                                        QStringLiteral("src"), QStringLiteral("--no-server")}))
                                   .object();
        QCOMPARE(st.value(QStringLiteral("window")).toObject().value(QStringLiteral("oldestBaseBackupId")).toInteger(),
                 m_bases[0]);
        QCOMPARE(localFiles(), files);
        QCOMPARE(rows(), before);
        QCOMPARE(status(m_bases[0]), QStringLiteral("COMPLETED"));
    }

    void pruneRemovesWalOlderThanTheOldestKeptBaseBackup() {
        const QStringList files = localFiles();
        const QStringList gone = olderThan(files, m_starts[1]);
        const QStringList before = rows();
        const TestEnv::Run r = ctl(pruneArgs(2, false));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(status(m_bases[0]), QStringLiteral("DELETED"));
        QCOMPARE(status(m_bases[1]), QStringLiteral("COMPLETED"));
        QCOMPARE(status(m_bases[2]), QStringLiteral("COMPLETED"));
        const QList<QJsonObject> remove = walEntries(doc(r).array(), QStringLiteral("remove"));
        QCOMPARE(remove.size(), 1);
        QCOMPARE(remove[0].value(QStringLiteral("outcome")).toString(), QStringLiteral("removed"));
        // Exactly the files older than the second base backup's start left the local storage; the rest, including
        // the WAL after the hole, stays.
        QStringList remaining = files;
        for (const QString &g : gone)
            remaining.removeAll(g);
        QCOMPARE(localFiles(), remaining);
        QVERIFY(localFiles().contains(m_starts[1] + QStringLiteral(".zst")));
        // Their rows are gone for both storages; every other row stays.
        QStringList expectRows;
        for (const QString &row : before)
            if (row.left(24) >= m_starts[1])
                expectRows << row;
        QCOMPARE(rows(), expectRows);
        // Gone from the bucket too: without a row `wal fetch` asks the storages, and neither has it.
        QDir(dir(QStringLiteral("disk"))).rename(QStringLiteral("wal"), QStringLiteral("wal-aside"));
        const QString removed = gone.first().left(24);
        QVERIFY(fetch(removed) != 0);
        QCOMPARE(fetch(m_starts[1]), 0); // the bucket still has what stays
        QDir(dir(QStringLiteral("disk"))).rename(QStringLiteral("wal-aside"), QStringLiteral("wal"));
        QCOMPARE(fetch(m_starts[1]), 0);
        // wal status starts at the oldest kept base backup's start and still names the hole.
        const QJsonObject st = doc(ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("status"),
                                        QStringLiteral("src"), QStringLiteral("--no-server")}))
                                   .object();
        const QJsonObject tl = st.value(QStringLiteral("timelines")).toArray().first().toObject();
        QCOMPARE(tl.value(QStringLiteral("first")).toString(), m_starts[1]);
        QCOMPARE(tl.value(QStringLiteral("missing")).toArray(), QJsonArray{m_hole});
        QCOMPARE(st.value(QStringLiteral("window")).toObject().value(QStringLiteral("oldestBaseBackupId")).toInteger(),
                 m_bases[1]);
        // A second prune with the same rules finds nothing more to remove.
        const TestEnv::Run again = ctl(pruneArgs(2, false));
        QCOMPARE(again.exitCode, 0);
        QVERIFY(walEntries(doc(again).array(), QStringLiteral("remove")).isEmpty());
    }

    void recoverStillWorks() {
        QCOMPARE(recoveredRows(QStringLiteral("after-first-prune")), QStringLiteral("%1:%1").arg(m_nextId - 1));
    }

    void aBaseBackupInUseKeepsItsWal() {
        // A recover holding the second base backup (its lease, as RecoverJob records it, by this live process): the
        // prune that drops it is refused for it (exit 2, left as it was, retried next time), and the WAL from its start
        // stays, since replay may be reading it.
        const QStringList files = localFiles();
        const QStringList before = rows();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("lease"));
            db.setDatabaseName(m_home + QStringLiteral("/catalog.sqlite"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            q.prepare(QStringLiteral("INSERT INTO backup_leases (backup_id, operation, host, pid, started, expires) "
                                     "VALUES (?, 'recover', ?, ?, ?, ?)"));
            q.addBindValue(m_bases[1]);
            q.addBindValue(QSysInfo::machineHostName());
            q.addBindValue(qint64(::getpid()));
            q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
            q.addBindValue(QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODateWithMs));
            QVERIFY(q.exec());
        }
        QSqlDatabase::removeDatabase(QStringLiteral("lease"));
        const TestEnv::Run r = ctl(pruneArgs(1, false));
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(status(m_bases[1]), QStringLiteral("COMPLETED")); // refused before anything was touched
        QVERIFY(walEntries(doc(r).array(), QStringLiteral("remove")).isEmpty());
        QCOMPARE(localFiles(), files);
        QCOMPARE(rows(), before);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("lease"));
            db.setDatabaseName(m_home + QStringLiteral("/catalog.sqlite"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("DELETE FROM backup_leases WHERE operation = 'recover'")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("lease"));
    }

    void walAfterAGapStaysUntilNoKeptBaseBackupNeedsIt() {
        // Keeping only the newest base backup: the second goes, and with it the WAL before the third's start — on
        // both sides of the hole. Nothing at or after the third's start goes; the newest base backup stays even
        // with --keep-last 0.
        const QStringList files = localFiles();
        const TestEnv::Run r = ctl(pruneArgs(0, false));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(status(m_bases[1]), QStringLiteral("DELETED"));
        QCOMPARE(status(m_bases[2]), QStringLiteral("COMPLETED"));
        const QList<QJsonObject> remove = walEntries(doc(r).array(), QStringLiteral("remove"));
        QCOMPARE(remove.size(), 2); // split at the hole
        QVERIFY(remove[0].value(QStringLiteral("last")).toString() < m_hole);
        QVERIFY(remove[1].value(QStringLiteral("first")).toString() > m_hole);
        QStringList remaining;
        for (const QString &f : files)
            if (f.left(24) >= m_starts[2])
                remaining << f;
        QCOMPARE(localFiles(), remaining);
        QVERIFY(localFiles().contains(m_starts[2] + QStringLiteral(".zst")));
        const QJsonObject st = doc(ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("status"),
                                        QStringLiteral("src"), QStringLiteral("--no-server")}))
                                   .object();
        const QJsonObject tl = st.value(QStringLiteral("timelines")).toArray().first().toObject();
        QCOMPARE(tl.value(QStringLiteral("first")).toString(), m_starts[2]);
        QCOMPARE(tl.value(QStringLiteral("missingCount")).toInt(), 0);
        QCOMPARE(st.value(QStringLiteral("window")).toObject().value(QStringLiteral("oldestBaseBackupId")).toInteger(),
                 m_bases[2]);
        const TestEnv::Run text = ctl(
            {QStringLiteral("wal"), QStringLiteral("status"), QStringLiteral("src"), QStringLiteral("--no-server")});
        QVERIFY2(text.out.contains(QStringLiteral("(from base backup #%1, the oldest of 1)").arg(m_bases[2]).toUtf8()),
                 text.out.constData());
        QCOMPARE(recoveredRows(QStringLiteral("after-second-prune")), QStringLiteral("%1:%1").arg(m_nextId - 1));
    }
};

QTEST_GUILESS_MAIN(TstWalRetention)
#include "tst_wal_retention.moc"
