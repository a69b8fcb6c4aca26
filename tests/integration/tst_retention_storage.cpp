// Per-storage retention end to end (issue 15): a local storage keeps its copies by its own rules (`storage set disk
// --keep-last 2`), the S3 fixture's bucket by the source's rules; a real "every 6 hours" schedule runs with `run-due
// --as-of` over three simulated days (real pg_dump backups, the s3 fixture verifying SigV4) and prunes after each
// run. Then the bucket gets rules of its own and a later prune removes copies from both. Files, S3 objects and
// catalog rows (live locations and removed-copy rows) must agree with the kept sets worked out here.
#include "TestEnv.h"

#include "catalog/SqlCatalog.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TstRetentionStorage : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QHash<QString, QString> m_pg;
    QHash<QString, QString> m_s3;
    QString m_db;
    QString m_home;
    QString m_prefix;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        for (const QString &k : e.keys())
            if (k.startsWith(QLatin1String("BACKUP_RETENTION_")))
                e.remove(k);
        return e;
    }
    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args, {}, env()); }
    QJsonDocument json(const QStringList &args) {
        const auto r = ctl(QStringList{QStringLiteral("--json")} + args);
        if (r.exitCode != 0)
            qWarning("%s -> %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return QJsonDocument::fromJson(r.out);
    }
    QSet<QString> s3Artifacts() const {
        QSet<QString> out;
        const QString root = m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') +
                             m_s3.value(QStringLiteral("S3_BUCKET")) + QLatin1Char('/');
        QDirIterator it(root + m_prefix, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            if (f.endsWith(QLatin1String("._S3rver_object")) && !f.contains(QLatin1String(".manifest.json")))
                out << f.mid(root.size()).chopped(int(qstrlen("._S3rver_object")));
        }
        return out;
    }
    QSet<QString> s3Manifests() const {
        QSet<QString> out;
        const QString root = m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') +
                             m_s3.value(QStringLiteral("S3_BUCKET")) + QLatin1Char('/');
        QDirIterator it(root + m_prefix, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            if (f.endsWith(QLatin1String(".manifest.json._S3rver_object")))
                out << f.mid(root.size()).chopped(int(qstrlen("._S3rver_object")));
        }
        return out;
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_pg.isEmpty() && !m_s3.isEmpty(), "the pg and s3 fixtures must be running");
        const int n = QRandomGenerator::global()->bounded(1000000);
        m_db = QStringLiteral("lb_rst_%1").arg(n);
        m_prefix = QStringLiteral("rst%1").arg(n);
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 300) g"));
        m_home = m_tmp.filePath(QStringLiteral("home"));
        const QString conninfo =
            QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
                .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), m_db);
        for (const QStringList &args :
             {QStringList{QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                          QStringLiteral("--local"), m_home + QStringLiteral("/store")},
              QStringList{QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"),
                          QStringLiteral("--s3"), QStringLiteral("--endpoint"),
                          m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                          m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"),
                          QStringLiteral("--prefix"), m_prefix},
              QStringList{QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"),
                          QStringLiteral("--conninfo"), conninfo, QStringLiteral("--storage"), QStringLiteral("disk"),
                          QStringLiteral("--storage"), QStringLiteral("bucket")}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
    }

    void storageSetValidatesAndClears() {
        auto r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("nosuch"),
                      QStringLiteral("--keep-daily"), QStringLiteral("7")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("unknown storage \"nosuch\""), r.err.constData());
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--clear-retention"), r.err.constData());
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk"),
                 QStringLiteral("--keep-daily"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--keep-daily takes a count"), r.err.constData());
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk"),
                 QStringLiteral("--storage-class"), QStringLiteral("STANDARD_IA")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--storage-class is for S3 storages"), r.err.constData());

        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk"),
                 QStringLiteral("--keep-daily"), QStringLiteral("7"), QStringLiteral("--keep-within"),
                 QStringLiteral("2d")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonObject disk = json({QStringLiteral("storage"), QStringLiteral("list")}).array().first().toObject();
        QCOMPARE(disk.value(QStringLiteral("name")).toString(), QStringLiteral("disk"));
        // The storage's rules replace the whole policy: what it does not set is 0.
        QCOMPARE(disk.value(QStringLiteral("retention")).toString(),
                 QStringLiteral("7 daily, 0 weekly, 0 monthly, within 2d"));
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk"),
                 QStringLiteral("--clear-retention")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        disk = json({QStringLiteral("storage"), QStringLiteral("list")}).array().first().toObject();
        QCOMPARE(disk.value(QStringLiteral("retention")).toString(), QString());
    }

    void setRulesShareTheFlags() {
        // `set add` and `set set` take the same keep-* rules; the policy in effect is what SetPruner applies.
        auto r = ctl({QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("app"), QStringLiteral("--profile"),
                      QStringLiteral("p"), QStringLiteral("--keep-hourly"), QStringLiteral("24"),
                      QStringLiteral("--keep-within"), QStringLiteral("3d")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonObject o = json({QStringLiteral("set"), QStringLiteral("set"), QStringLiteral("app"),
                              QStringLiteral("--keep-yearly"), QStringLiteral("7")})
                            .object();
        QCOMPARE(o.value(QStringLiteral("policy")).toString(),
                 QStringLiteral("24 hourly, 7 daily, 4 weekly, 12 monthly, 7 yearly, within 3d"));
        o = json({QStringLiteral("set"), QStringLiteral("set"), QStringLiteral("app"),
                  QStringLiteral("--clear-retention"), QStringLiteral("--keep-last"), QStringLiteral("2")})
                .object();
        QCOMPARE(o.value(QStringLiteral("policy")).toString(), QStringLiteral("last 2, 7 daily, 4 weekly, 12 monthly"));
        r = ctl({QStringLiteral("set"), QStringLiteral("set"), QStringLiteral("app"), QStringLiteral("--keep-within"),
                 QStringLiteral("soon")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--keep-within takes a duration"), r.err.constData());
        r = ctl({QStringLiteral("set"), QStringLiteral("remove"), QStringLiteral("app")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void eachStorageKeepsItsOwnCopies() {
        auto r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk"),
                      QStringLiteral("--keep-last"), QStringLiteral("2")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // The source keeps everything of the last 30 days: only the disk's own rules remove anything at first.
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("often"),
                 QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                 QStringLiteral("0 */6 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC"),
                 QStringLiteral("--keep-daily"), QStringLiteral("0"), QStringLiteral("--keep-weekly"),
                 QStringLiteral("0"), QStringLiteral("--keep-monthly"), QStringLiteral("0"),
                 QStringLiteral("--keep-within"), QStringLiteral("30d")});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        const QDate d0 = QDate::currentDate().addDays(3);
        QList<qint64> ids; // in fire order
        QDateTime lastAsOf;
        for (int day = 0; day < 3; ++day) {
            for (int h : {0, 6, 12, 18}) {
                const QDateTime fire(d0.addDays(day), QTime(h, 0), QTimeZone::utc());
                lastAsOf = fire.addSecs(120);
                QTest::qWait(1100); // artifact names are unique to the second
                const QJsonObject e =
                    json({QStringLiteral("run-due"), QStringLiteral("--as-of"), lastAsOf.toString(Qt::ISODate)})
                        .array()
                        .first()
                        .toObject();
                QVERIFY2(e.value(QStringLiteral("status")).toString() == QLatin1String("COMPLETED"),
                         QJsonDocument(e).toJson().constData());
                ids << e.value(QStringLiteral("recordId")).toInteger();
            }
        }
        QCOMPARE(ids.size(), 12);

        SqlCatalog cat(QStringLiteral("QSQLITE"), m_home + QStringLiteral("/catalog.sqlite"));
        QString err;
        QVERIFY2(cat.open(&err), qPrintable(err));
        QHash<qint64, BackupLocation> diskCopy, bucketCopy;
        for (qint64 id : ids) {
            const auto rec = cat.get(id);
            QVERIFY(rec);
            for (const BackupLocation &l : rec->locations)
                (l.storage == QLatin1String("disk") ? diskCopy : bucketCopy).insert(id, l);
            for (const RemovedCopy &c : rec->removedCopies)
                (c.location.storage == QLatin1String("disk") ? diskCopy : bucketCopy).insert(id, c.location);
        }
        QCOMPARE(diskCopy.size(), 12);
        QCOMPARE(bucketCopy.size(), 12);

        // Which copies each record should still have, and which records are gone.
        auto check = [&](const QSet<qint64> &onDisk, const QSet<qint64> &inBucket) {
            QSet<QString> expectedObjects;
            for (qint64 id : ids) {
                const auto rec = cat.get(id);
                QVERIFY(rec);
                const bool disk = onDisk.contains(id);
                const bool bucket = inBucket.contains(id);
                QVERIFY2(rec->status ==
                             (disk || bucket ? BackupRecord::statusCompleted() : BackupRecord::statusDeleted()),
                         qPrintable(QStringLiteral("#%1: %2").arg(id).arg(rec->status)));
                QCOMPARE(QFile::exists(diskCopy.value(id).path), disk);
                QCOMPARE(QFile::exists(diskCopy.value(id).manifestPath), disk);
                if (bucket)
                    expectedObjects << bucketCopy.value(id).path;
                if (rec->status == BackupRecord::statusDeleted())
                    continue;
                // A live record lists exactly its copies, and says which were removed and why.
                QStringList live, removed;
                for (const BackupLocation &l : rec->locations)
                    live << l.storage;
                for (const RemovedCopy &c : rec->removedCopies) {
                    removed << c.location.storage;
                    QVERIFY2(c.reason.contains(QStringLiteral("retention of storage %1").arg(c.location.storage)),
                             qPrintable(c.reason));
                    QVERIFY(c.removed.isValid());
                }
                QStringList wantLive, wantRemoved;
                (disk ? wantLive : wantRemoved) << QStringLiteral("disk");
                (bucket ? wantLive : wantRemoved) << QStringLiteral("bucket");
                live.sort();
                removed.sort();
                wantLive.sort();
                wantRemoved.sort();
                QCOMPARE(live, wantLive);
                QCOMPARE(removed, wantRemoved);
            }
            QCOMPARE(s3Artifacts(), expectedObjects);
            QCOMPARE(s3Manifests().size(), expectedObjects.size()); // each object's manifest, nothing more
        };

        // At the last run (day 2, 18:02 UTC) the disk keeps its last 2 and, as always, what is under 24 h old: the
        // four runs of day 2. The bucket follows the source: all twelve.
        const QSet<qint64> all(ids.cbegin(), ids.cend());
        check(QSet<qint64>{ids[8], ids[9], ids[10], ids[11]}, all);

        // Three days later the bucket keeps only its newest copy; the disk still its last two.
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("bucket"),
                 QStringLiteral("--keep-last"), QStringLiteral("1")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString later = lastAsOf.addDays(3).toString(Qt::ISODate);
        const QJsonArray dry =
            json({QStringLiteral("prune"), QStringLiteral("--dry-run"), QStringLiteral("--as-of"), later}).array();
        QCOMPARE(dry.size(), 12);
        for (const QJsonValue &v : dry) {
            const QJsonObject o = v.toObject();
            const qint64 id = o.value(QStringLiteral("id")).toInteger();
            QHash<QString, QJsonObject> copies;
            for (const QJsonValue &c : o.value(QStringLiteral("copies")).toArray())
                copies.insert(c.toObject().value(QStringLiteral("storage")).toString(), c.toObject());
            if (id == ids[11]) {
                QCOMPARE(o.value(QStringLiteral("outcome")).toString(), QStringLiteral("keep"));
                QCOMPARE(copies.value(QStringLiteral("bucket")).value(QStringLiteral("rules")).toString(),
                         QStringLiteral("storage"));
                QCOMPARE(copies.value(QStringLiteral("bucket")).value(QStringLiteral("policy")).toString(),
                         QStringLiteral("last 1, 0 daily, 0 weekly, 0 monthly"));
            } else if (id == ids[10]) {
                QCOMPARE(o.value(QStringLiteral("action")).toString(), QStringLiteral("keep"));
                QCOMPARE(o.value(QStringLiteral("outcome")).toString(), QStringLiteral("keep, remove copy on bucket"));
                QCOMPARE(copies.value(QStringLiteral("disk")).value(QStringLiteral("action")).toString(),
                         QStringLiteral("keep"));
                QVERIFY(copies.value(QStringLiteral("disk"))
                            .value(QStringLiteral("reasons"))
                            .toArray()
                            .contains(QStringLiteral("last (2 of 2)")));
                QCOMPARE(copies.value(QStringLiteral("bucket")).value(QStringLiteral("action")).toString(),
                         QStringLiteral("remove"));
            } else {
                QCOMPARE(o.value(QStringLiteral("action")).toString(), QStringLiteral("expire"));
                for (const QJsonObject &c : copies)
                    QCOMPARE(c.value(QStringLiteral("action")).toString(), QStringLiteral("remove"));
                if (id == ids[0]) {
                    // Its disk copy went earlier; the record says so.
                    QCOMPARE(copies.keys(), QStringList{QStringLiteral("bucket")});
                    const QJsonArray removed = o.value(QStringLiteral("removedCopies")).toArray();
                    QCOMPARE(removed.size(), 1);
                    QCOMPARE(removed.first().toObject().value(QStringLiteral("storage")).toString(),
                             QStringLiteral("disk"));
                }
            }
        }
        check(QSet<qint64>{ids[8], ids[9], ids[10], ids[11]}, all); // the dry run changed nothing

        r = ctl({QStringLiteral("prune"), QStringLiteral("--as-of"), later});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("storage bucket keeps its copies by its own rules: last 1"), r.out.constData());
        check(QSet<qint64>{ids[10], ids[11]}, QSet<qint64>{ids[11]});
    }
};

QTEST_GUILESS_MAIN(TstRetentionStorage)
#include "tst_retention_storage.moc"
