// wal push and wal fetch (issue 17): a throwaway cluster archives through `lifeboatctl wal push` as its
// archive_command into a local and an S3 storage (the s3 fixture checks SigV4); the segments land at
// wal/<profile>/<TLI>/<SEGMENT>.zst with a catalog row per copy; a repeated push of the same bytes exits 0, other
// bytes under the same name exit 4 and replace nothing; wal fetch gives the exact bytes back (from the catalog, and
// from storage alone when the catalog lost its rows), exits 1 quietly for a file that was never archived, refuses a
// damaged copy (and takes the other storage's), decrypts an encrypted archive, and serves a partial on request.
#include "TestEnv.h"
#include "WalTestCluster.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

class TstWalPush : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_root; // owned by the cluster's user
    QString m_home;
    QString m_local;
    QHash<QString, QString> m_s3;
    QString m_prefix;
    std::unique_ptr<WalTestCluster> m_cluster;
    QString m_segment; // one archived segment's name

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        return e;
    }
    // lifeboatctl as the cluster's owner, like archive_command runs it.
    TestEnv::Run ctl(const QStringList &args) {
        return WalTestCluster::asOwner(TestEnv::lifeboatctl(), QStringList{QStringLiteral("--home"), m_home} + args,
                                       env());
    }
    QString bucketDir() const {
        return m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') + m_s3.value(QStringLiteral("S3_BUCKET")) +
               QLatin1Char('/') + m_prefix;
    }
    // Where s3rver keeps an object's bytes.
    QString s3Object(const QString &rel) const {
        return bucketDir() + QLatin1Char('/') + rel + QStringLiteral("._S3rver_object");
    }
    static QByteArray readAll(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static QByteArray sha(const QByteArray &b) {
        return QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex();
    }
    // A file in m_root readable by the cluster's user.
    QString ownedFile(const QString &name, const QByteArray &bytes) {
        const QString dir =
            m_root + QStringLiteral("/files-") + QString::number(QRandomGenerator::global()->generate());
        QDir().mkpath(dir);
        QFile f(dir + QLatin1Char('/') + name);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(bytes);
        f.close();
        WalTestCluster::owned(dir);
        return f.fileName();
    }
    QList<QStringList> rows(const QString &where = QStringLiteral("1=1")) {
        QList<QStringList> out;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("walrows"));
            db.setDatabaseName(m_home + QStringLiteral("/catalog.sqlite"));
            if (db.open()) {
                QSqlQuery q(db);
                q.exec(QStringLiteral("SELECT profile, timeline, name, kind, storage, path, size, sha256, plain_sha256,"
                                      " plain_size, encrypted FROM wal_files WHERE ") +
                       where + QStringLiteral(" ORDER BY name, storage"));
                while (q.next()) {
                    QStringList row;
                    for (int i = 0; i < 11; ++i)
                        row << q.value(i).toString();
                    out << row;
                }
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("walrows"));
        return out;
    }
    bool waitArchived(const QString &segment, int timeoutMs = 60000) {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            const QString last = m_cluster->sql(QStringLiteral("SELECT last_archived_wal FROM pg_stat_archiver"));
            if (!last.isEmpty() && last >= segment && last.size() == 24)
                return true;
            QTest::qWait(200);
        }
        return false;
    }

private slots:
    void initTestCase() {
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_s3.isEmpty(), "the s3 fixture must be running");
        m_prefix = QStringLiteral("wal%1").arg(QRandomGenerator::global()->bounded(1000000));
        QFile::setPermissions(m_tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                                QFileDevice::ExeGroup | QFileDevice::ExeOther);
        m_root = m_tmp.filePath(QStringLiteral("owned"));
        m_home = m_root + QStringLiteral("/home");
        m_local = m_root + QStringLiteral("/local");
        QVERIFY(WalTestCluster::owned(m_root));
        QVERIFY(WalTestCluster::owned(m_home));
        QVERIFY(WalTestCluster::owned(m_local));
        auto r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_local});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
                 m_prefix});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        m_cluster = std::make_unique<WalTestCluster>(m_root + QStringLiteral("/cluster"));
        // The profile points at the cluster; archive_command runs lifeboatctl with the server's environment.
        const QString command = QStringLiteral("'%1 --home %2 wal push main %p'").arg(TestEnv::lifeboatctl(), m_home);
        QString why;
        QVERIFY2(m_cluster->start({QStringLiteral("archive_mode = on"), QStringLiteral("archive_command = ") + command,
                                   QStringLiteral("archive_timeout = 0")},
                                  env(), &why),
                 qPrintable(why));
        r = ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("main"), QStringLiteral("--conninfo"),
                 m_cluster->conninfo(), QStringLiteral("--storage"), QStringLiteral("bucket"),
                 QStringLiteral("--storage"), QStringLiteral("disk")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    void cleanupTestCase() {
        if (m_cluster)
            m_cluster->stop();
    }

    void archiveCommandStoresSegments() {
        m_cluster->sql(QStringLiteral("CREATE TABLE t AS SELECT g, md5(g::text) FROM generate_series(1, 20000) g"));
        m_segment = m_cluster->sql(QStringLiteral("SELECT pg_walfile_name(pg_current_wal_lsn())"));
        QCOMPARE(m_segment.size(), 24);
        m_cluster->sql(QStringLiteral("SELECT pg_switch_wal()"));
        QVERIFY2(waitArchived(m_segment), qPrintable(m_cluster->serverLog().right(3000)));
        const QByteArray original = readAll(m_cluster->dataDir() + QStringLiteral("/pg_wal/") + m_segment);
        QCOMPARE(original.size(), 16 * 1024 * 1024);

        const QString rel = QStringLiteral("wal/main/00000001/%1.zst").arg(m_segment);
        const QByteArray local = readAll(m_local + QLatin1Char('/') + rel);
        const QByteArray s3 = readAll(s3Object(rel));
        QVERIFY2(!local.isEmpty(), qPrintable(rel));
        QVERIFY2(!s3.isEmpty(), qPrintable(s3Object(rel)));
        QVERIFY(local.size() < original.size() / 2); // compressed
        // A zstd frame of the exact bytes: the stock tool gives them back.
        const auto z = TestEnv::run(QStringLiteral("zstd"),
                                    {QStringLiteral("-d"), QStringLiteral("-c"), m_local + QLatin1Char('/') + rel});
        QCOMPARE(z.exitCode, 0);
        QVERIFY(z.out == original);

        const auto recorded = rows(QStringLiteral("name = '%1'").arg(m_segment));
        QCOMPARE(recorded.size(), 2);
        for (const QStringList &row : recorded) {
            QCOMPARE(row.at(0), QStringLiteral("main"));
            QCOMPARE(row.at(1), QStringLiteral("1"));
            QCOMPARE(row.at(3), QStringLiteral("segment"));
            QCOMPARE(row.at(8), QString::fromLatin1(sha(original)));
            QCOMPARE(row.at(9), QString::number(original.size()));
            QCOMPARE(row.at(10), QStringLiteral("0"));
        }
        QCOMPARE(recorded.at(0).at(4), QStringLiteral("bucket"));
        QCOMPARE(recorded.at(0).at(5), m_prefix + QLatin1Char('/') + rel);
        QCOMPARE(recorded.at(0).at(7), QString::fromLatin1(sha(s3)));
        QCOMPARE(recorded.at(1).at(4), QStringLiteral("disk"));
        QCOMPARE(recorded.at(1).at(5), m_local + QLatin1Char('/') + rel);
        QCOMPARE(recorded.at(1).at(7), QString::fromLatin1(sha(local)));
        // Nothing temporary is left beside the segment.
        const QStringList leftovers =
            QDir(m_local + QStringLiteral("/wal/main/00000001")).entryList(QDir::Files | QDir::Hidden);
        for (const QString &f : leftovers)
            QVERIFY2(f.endsWith(QLatin1String(".zst")), qPrintable(f));
    }

    void pushIsIdempotent() {
        QVERIFY(!m_segment.isEmpty());
        const QByteArray original = readAll(m_cluster->dataDir() + QStringLiteral("/pg_wal/") + m_segment);
        const QString same = ownedFile(m_segment, original);
        auto r = ctl(
            {QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("main"), same});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("stored")).toArray().size(), 0);
        QCOMPARE(o.value(QStringLiteral("already")).toArray().size(), 2);

        const QString rel = QStringLiteral("wal/main/00000001/%1.zst").arg(m_segment);
        const QByteArray localBefore = readAll(m_local + QLatin1Char('/') + rel);
        const QByteArray s3Before = readAll(s3Object(rel));
        QByteArray changed = original;
        changed[1000] = char(changed.at(1000) ^ 0x5a);
        const QString other = ownedFile(m_segment, changed);
        r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("main"), other});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("already archived") && r.err.contains("nothing was replaced"), r.err.constData());
        QVERIFY(readAll(m_local + QLatin1Char('/') + rel) == localBefore);
        QVERIFY(readAll(s3Object(rel)) == s3Before);
        QCOMPARE(rows(QStringLiteral("name = '%1' AND plain_sha256 = '%2'")
                          .arg(m_segment, QString::fromLatin1(sha(original))))
                     .size(),
                 2);

        // Not a WAL file name: a usage error, nothing stored.
        r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("main"),
                 ownedFile(QStringLiteral("notes.txt"), "x")});
        QCOMPARE(r.exitCode, 3);
    }

    void fetchRoundTrip() {
        const QByteArray original = readAll(m_cluster->dataDir() + QStringLiteral("/pg_wal/") + m_segment);
        const QString dest = m_root + QStringLiteral("/restored/RECOVERYXLOG");
        QVERIFY(WalTestCluster::owned(m_root + QStringLiteral("/restored")));
        auto r = ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"),
                      m_segment, dest});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(readAll(dest) == original);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("storage")).toString(), QStringLiteral("disk")); // local first
        QVERIFY(o.value(QStringLiteral("catalog")).toBool());

        // Never archived: exit 1 and not a word (PostgreSQL asks for files that do not exist).
        r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"),
                 QStringLiteral("0000000100000000000000FE"), dest + QStringLiteral(".x")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        QVERIFY(!QFile::exists(dest + QStringLiteral(".x")));
        r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"),
                 QStringLiteral("00000002.history"), dest + QStringLiteral(".x")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
    }

    void damagedCopyIsRefused() {
        const QByteArray original = readAll(m_cluster->dataDir() + QStringLiteral("/pg_wal/") + m_segment);
        const QString path = m_local + QStringLiteral("/wal/main/00000001/%1.zst").arg(m_segment);
        QByteArray stored = readAll(path);
        const QByteArray good = stored;
        stored[stored.size() / 2] = char(stored.at(stored.size() / 2) ^ 0x01);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(stored);
        }
        const QString dest = m_root + QStringLiteral("/restored/DAMAGED");
        auto r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"), m_segment, dest,
                      QStringLiteral("--storage"), QStringLiteral("disk")});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("damaged"), r.err.constData());
        QVERIFY(!QFile::exists(dest));
        r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"), m_segment, dest,
                 QStringLiteral("--storage"), QStringLiteral("disk"), QStringLiteral("--fatal-errors")});
        QCOMPARE(r.exitCode, 255); // restore_command: PostgreSQL aborts recovery instead of ending it here
        // Both storages: the damaged local copy is passed over for the bucket's.
        r = ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"),
                 m_segment, dest});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("storage")).toString(),
                 QStringLiteral("bucket"));
        QVERIFY(readAll(dest) == original);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(good);
    }

    void fetchFromStorageAlone() {
        const QByteArray original = readAll(m_cluster->dataDir() + QStringLiteral("/pg_wal/") + m_segment);
        // The workstation's catalog is gone: only config.json (the storages) is left.
        for (const QString &f : QDir(m_home).entryList({QStringLiteral("catalog.sqlite*")}, QDir::Files))
            QVERIFY(QFile::remove(m_home + QLatin1Char('/') + f));
        const QString dest = m_root + QStringLiteral("/restored/NOCATALOG");
        auto r = ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"),
                      m_segment, dest, QStringLiteral("--storage"), QStringLiteral("bucket")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!QJsonDocument::fromJson(r.out).object().value(QStringLiteral("catalog")).toBool());
        QVERIFY(readAll(dest) == original);
        // A repeated push finds the stored objects, compares them and records them again.
        r = ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("main"),
                 ownedFile(m_segment, original)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("already")).toArray().size(), 2);
        QCOMPARE(rows(QStringLiteral("name = '%1'").arg(m_segment)).size(), 2);
    }

    void partialSegments() {
        const QString segment = QStringLiteral("0000000100000000000000F0");
        QByteArray partial(16 * 1024 * 1024, '\0');
        partial.replace(0, 11, "first bytes");
        auto r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("main"),
                      ownedFile(segment + QStringLiteral(".partial"), partial)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        partial.replace(0, 12, "second bytes");
        r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("main"),
                 ownedFile(segment + QStringLiteral(".partial"), partial)}); // replaced, not refused
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(rows(QStringLiteral("name = '%1' AND kind = 'partial'").arg(segment)).size(), 2);
        const QString dest = m_root + QStringLiteral("/restored/PARTIAL");
        r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"), segment, dest});
        QCOMPARE(r.exitCode, 1); // only on request
        r = ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"),
                 segment, dest, QStringLiteral("--partial")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("partial")).toBool());
        QVERIFY(readAll(dest) == partial);
        // The complete segment replaces its partial everywhere.
        QByteArray full = partial;
        full.replace(20, 5, "fully");
        r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("main"), ownedFile(segment, full)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(rows(QStringLiteral("name = '%1' AND kind = 'partial'").arg(segment)).size(), 0);
        QVERIFY(!QFile::exists(m_local + QStringLiteral("/wal/main/00000001/%1.partial.zst").arg(segment)));
        QVERIFY(!QFile::exists(s3Object(QStringLiteral("wal/main/00000001/%1.partial.zst").arg(segment))));
        r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("main"), segment, dest,
                 QStringLiteral("--partial")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(readAll(dest) == full);
    }

    void encryptedArchive() {
        const QString identity = m_root + QStringLiteral("/id.txt");
        auto r = ctl({QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--out"), identity});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString recipient = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("recipient")).toString();
        QVERIFY(recipient.startsWith(QLatin1String("age1")));
        r = ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("sealed"),
                 QStringLiteral("--conninfo"), m_cluster->conninfo(), QStringLiteral("--storage"),
                 QStringLiteral("disk"), QStringLiteral("--storage"), QStringLiteral("bucket"),
                 QStringLiteral("--recipient"), recipient});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QByteArray history("1\t0/3000000\tno recovery target specified\n");
        r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("sealed"),
                 ownedFile(QStringLiteral("00000002.history"), history)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString stored = m_local + QStringLiteral("/wal/sealed/00000002.history.zst.age");
        QVERIFY(readAll(stored).startsWith("age-encryption.org/v1\n"));
        QVERIFY(QFile::exists(s3Object(QStringLiteral("wal/sealed/00000002.history.zst.age"))));
        const QString dest = m_root + QStringLiteral("/restored/00000002.history");
        r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("sealed"),
                 QStringLiteral("00000002.history"), dest});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--identity"), r.err.constData());
        r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("sealed"),
                 QStringLiteral("00000002.history"), dest, QStringLiteral("--identity"), identity});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(readAll(dest), history);
        // Same bytes again: encrypted anew would differ, the plain checksum says they are the same.
        r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("sealed"),
                 ownedFile(QStringLiteral("00000002.history"), history)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("sealed"),
                 ownedFile(QStringLiteral("00000002.history"), history + "2\t0/4000000\tagain\n")});
        QCOMPARE(r.exitCode, 4);
    }

    void archiverKeepsUp() {
        // Several switches in a row: each segment archived, in order, none failed.
        QStringList switched;
        for (int i = 0; i < 3; ++i) {
            m_cluster->sql(QStringLiteral("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 5000) g"));
            switched << m_cluster->sql(QStringLiteral("SELECT pg_walfile_name(pg_current_wal_lsn())"));
            m_cluster->sql(QStringLiteral("SELECT pg_switch_wal()"));
        }
        QVERIFY2(waitArchived(switched.last()), qPrintable(m_cluster->serverLog().right(3000)));
        QCOMPARE(m_cluster->sql(QStringLiteral("SELECT failed_count FROM pg_stat_archiver")), QStringLiteral("0"));
        for (const QString &segment : std::as_const(switched))
            QCOMPARE(rows(QStringLiteral("name = '%1' AND kind = 'segment' AND profile = 'main'").arg(segment)).size(),
                     2);
    }

    void statusShowsRangeAndGaps() {
        // Segments 1.. were archived by the server, F0 pushed by hand: everything between is a named gap.
        const QString lastArchived = m_cluster->sql(QStringLiteral("SELECT last_archived_wal FROM pg_stat_archiver"));
        auto r =
            ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("status"), QStringLiteral("main")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("segmentSize")).toInteger(), 16 * 1024 * 1024);
        const QJsonArray timelines = o.value(QStringLiteral("timelines")).toArray();
        QCOMPARE(timelines.size(), 1);
        const QJsonObject t = timelines.first().toObject();
        QCOMPARE(t.value(QStringLiteral("first")).toString(), m_segment);
        QCOMPARE(t.value(QStringLiteral("last")).toString(), QStringLiteral("0000000100000000000000F0"));
        QCOMPARE(t.value(QStringLiteral("endLsn")).toString(), QStringLiteral("0/F1000000"));
        const int lastNumber = lastArchived.right(2).toInt(nullptr, 16);
        QCOMPARE(t.value(QStringLiteral("missingCount")).toInt(), 0xF0 - lastNumber - 1);
        const QJsonArray missing = t.value(QStringLiteral("missing")).toArray();
        QCOMPARE(missing.first().toString(),
                 QStringLiteral("0000000100000000000000%1").arg(lastNumber + 1, 2, 16, QLatin1Char('0')).toUpper());
        QCOMPARE(missing.size(), std::min(100, 0xF0 - lastNumber - 1)); // named up to 100, all counted
        const qint64 lag = o.value(QStringLiteral("lagSeconds")).toInteger();
        QVERIFY2(lag >= 0 && lag < 300, qPrintable(QString::number(lag)));
        const QJsonObject server = o.value(QStringLiteral("server")).toObject();
        QVERIFY2(server.value(QStringLiteral("reachable")).toBool(), r.out.constData());
        QCOMPARE(server.value(QStringLiteral("archiveMode")).toString(), QStringLiteral("on"));
        QCOMPARE(server.value(QStringLiteral("archiver")).toObject().value(QStringLiteral("failedCount")).toInteger(),
                 0);
        QCOMPARE(server.value(QStringLiteral("currentSegment")).toString(),
                 m_cluster->sql(QStringLiteral("SELECT pg_walfile_name(pg_current_wal_lsn())")));
        // The human form names the gap.
        r = ctl(
            {QStringLiteral("wal"), QStringLiteral("status"), QStringLiteral("main"), QStringLiteral("--no-server")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("GAP: ") && r.out.contains(missing.first().toString().toLatin1()), r.out.constData());
    }

    void postgresTeamCatalog() {
        // The same rows in a shared PostgreSQL catalog (the throwaway cluster's own database serves as one): the
        // migration, the upsert and the idempotence check work there too.
        m_cluster->sql(QStringLiteral("CREATE DATABASE teamcat"));
        const QString uri = QStringLiteral("postgresql://postgres@127.0.0.1:%1/teamcat").arg(m_cluster->port());
        const QString segment = QStringLiteral("0000000100000000000000E0");
        QByteArray bytes(1024 * 1024, 'w');
        const QString file = ownedFile(segment, bytes);
        for (int i = 0; i < 2; ++i) {
            const auto r = ctl({QStringLiteral("--catalog"), uri, QStringLiteral("--json"), QStringLiteral("wal"),
                                QStringLiteral("push"), QStringLiteral("main"), file});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("already")).toArray().size(),
                     i == 0 ? 0 : 2);
        }
        const auto count = TestEnv::run(
            m_cluster->binDir() + QStringLiteral("/psql"),
            {QStringLiteral("-X"), QStringLiteral("-A"), QStringLiteral("-t"), QStringLiteral("-h"),
             QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_cluster->port()),
             QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-d"), QStringLiteral("teamcat"),
             QStringLiteral("-c"),
             QStringLiteral("SELECT count(*) FROM wal_files WHERE name = '%1' AND kind = 'segment'").arg(segment)});
        QCOMPARE(count.out.trimmed(), QByteArray("2"));
        bytes[0] = 'x';
        auto r = ctl({QStringLiteral("--catalog"), uri, QStringLiteral("wal"), QStringLiteral("push"),
                      QStringLiteral("main"), ownedFile(segment, bytes)});
        QCOMPARE(r.exitCode, 4);
        const QString dest = m_root + QStringLiteral("/restored/TEAM");
        r = ctl({QStringLiteral("--catalog"), uri, QStringLiteral("--json"), QStringLiteral("wal"),
                 QStringLiteral("fetch"), QStringLiteral("main"), segment, dest});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("catalog")).toBool());
    }
};

QTEST_GUILESS_MAIN(TstWalPush)
#include "tst_wal_push.moc"
