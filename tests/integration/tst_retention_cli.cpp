// Retention of a sub-daily schedule end to end: a real "every 6 hours" schedule in Europe/Berlin is run with
// `run-due --as-of` over four simulated days (real pg_dump backups of the pg fixture to a local storage and to the
// s3 fixture, which verifies SigV4); run-due prunes after each run. Then `prune --dry-run --json` explains every
// decision and `prune --failed-verification` removes a backup whose check failed. Files, S3 objects and catalog
// rows must agree with the kept set worked out here from the calendar.
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

class TstRetentionCli : public QObject {
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
    QJsonArray jsonArray(const QStringList &args) {
        const auto r = ctl(QStringList{QStringLiteral("--json")} + args);
        if (r.exitCode != 0)
            qWarning("%s -> %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return QJsonDocument::fromJson(r.out).array();
    }
    // Every artifact object (not manifests) under the test's prefix in the s3 fixture's data directory.
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

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_pg.isEmpty() && !m_s3.isEmpty(), "the pg and s3 fixtures must be running");
        const int n = QRandomGenerator::global()->bounded(1000000);
        m_db = QStringLiteral("lb_ret_%1").arg(n);
        m_prefix = QStringLiteral("ret%1").arg(n);
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 500) g"));
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

    void scheduleOptionsAreValidated() {
        auto r =
            ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"), QStringLiteral("--profile"),
                 QStringLiteral("p"), QStringLiteral("--keep-within"), QStringLiteral("a week")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--keep-within takes a duration such as 7d"), r.err.constData());
        r = ctl({QStringLiteral("prune"), QStringLiteral("--dry-run"), QStringLiteral("--keep-hourly"),
                 QStringLiteral("-2")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--keep-hourly takes a count"), r.err.constData());
    }

    void everySixHoursForFourDays() {
        const QTimeZone berlin(QByteArrayLiteral("Europe/Berlin"));
        auto r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("often"),
                      QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                      QStringLiteral("0 */6 * * *"), QStringLiteral("--tz"), QStringLiteral("Europe/Berlin"),
                      QStringLiteral("--keep-daily"), QStringLiteral("3"), QStringLiteral("--keep-weekly"),
                      QStringLiteral("1"), QStringLiteral("--keep-monthly"), QStringLiteral("0"),
                      QStringLiteral("--keep-within"), QStringLiteral("1d")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject listed = jsonArray({QStringLiteral("schedule"), QStringLiteral("list")}).first().toObject();
        QCOMPARE(listed.value(QStringLiteral("keepDaily")).toInt(), 3);
        QCOMPARE(listed.value(QStringLiteral("keepWithin")).toString(), QStringLiteral("1d"));
        QCOMPARE(listed.value(QStringLiteral("keepHourly")).toInt(), -1);

        // Runs at local 00:00, 06:00, 12:00, 18:00 of four days; run-due is called 2 minutes after each.
        const QDate d0 = QDate::currentDate().addDays(3);
        QHash<qint64, QDateTime> fireOf; // record id -> local fire time
        QDateTime lastAsOf;
        for (int day = 0; day < 4; ++day) {
            for (int h : {0, 6, 12, 18}) {
                const QDateTime fire(d0.addDays(day), QTime(h, 0), berlin);
                lastAsOf = fire.addSecs(120);
                QTest::qWait(1100); // artifact names are unique to the second
                const QJsonArray out =
                    jsonArray({QStringLiteral("run-due"), QStringLiteral("--as-of"), lastAsOf.toString(Qt::ISODate)});
                const QJsonObject e = out.first().toObject();
                QVERIFY2(e.value(QStringLiteral("status")).toString() == QLatin1String("COMPLETED"),
                         QJsonDocument(e).toJson().constData());
                fireOf.insert(e.value(QStringLiteral("recordId")).toInteger(), fire);
            }
        }
        QCOMPARE(fireOf.size(), 16);

        // Worked out from the calendar at the last run (day 3, 18:02 Berlin): within 1d (and younger than 24 h):
        // all four runs of day 3; 3 daily: the 18:00 run of days 3, 2 and 1 (in Berlin days: the 00:00 run is
        // 23:00 UTC of the day before, so UTC days would have kept other runs); 1 weekly: the newest.
        QSet<QDateTime> expectedFires;
        for (int h : {0, 6, 12, 18})
            expectedFires << QDateTime(d0.addDays(3), QTime(h, 0), berlin);
        expectedFires << QDateTime(d0.addDays(2), QTime(18, 0), berlin)
                      << QDateTime(d0.addDays(1), QTime(18, 0), berlin);

        SqlCatalog cat(QStringLiteral("QSQLITE"), m_home + QStringLiteral("/catalog.sqlite"));
        QString err;
        QVERIFY2(cat.open(&err), qPrintable(err));
        auto checkAgreement = [&](const QSet<QDateTime> &kept) {
            QSet<QString> keptS3;
            for (auto it = fireOf.cbegin(); it != fireOf.cend(); ++it) {
                const auto rec = cat.get(it.key());
                QVERIFY(rec);
                const bool shouldKeep = kept.contains(it.value());
                QVERIFY2(rec->status == (shouldKeep ? BackupRecord::statusCompleted() : BackupRecord::statusDeleted()),
                         qPrintable(QStringLiteral("%1: %2").arg(it.value().toString(Qt::ISODate), rec->status)));
                QCOMPARE(rec->locations.size(), 2);
                for (const BackupLocation &l : rec->locations) {
                    if (l.kind == QLatin1String("local")) {
                        QCOMPARE(QFile::exists(l.path), shouldKeep);
                        QCOMPARE(QFile::exists(l.manifestPath), shouldKeep);
                    } else if (shouldKeep) {
                        keptS3 << l.path;
                    }
                }
            }
            QCOMPARE(s3Artifacts(), keptS3); // nothing else left in the bucket, nothing kept missing
        };
        checkAgreement(expectedFires);

        // The dry run explains every remaining decision, with the storages it applies to.
        const QString asOf = lastAsOf.toString(Qt::ISODate);
        QJsonArray dry =
            jsonArray({QStringLiteral("prune"), QStringLiteral("--dry-run"), QStringLiteral("--as-of"), asOf});
        QCOMPARE(dry.size(), expectedFires.size());
        qint64 day2Id = 0, day1Id = 0;
        for (const QJsonValue &v : dry) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o.value(QStringLiteral("action")).toString(), QStringLiteral("keep"));
            QCOMPARE(o.value(QStringLiteral("storages")).toArray(),
                     (QJsonArray{QStringLiteral("disk"), QStringLiteral("bucket")}));
            const QDateTime fire = fireOf.value(o.value(QStringLiteral("id")).toInteger());
            if (fire == QDateTime(d0.addDays(2), QTime(18, 0), berlin))
                day2Id = o.value(QStringLiteral("id")).toInteger();
            if (fire == QDateTime(d0.addDays(1), QTime(18, 0), berlin)) {
                day1Id = o.value(QStringLiteral("id")).toInteger();
                QCOMPARE(o.value(QStringLiteral("reasons")).toArray(),
                         (QJsonArray{QStringLiteral("daily %1 (3 of 3)").arg(d0.addDays(1).toString(Qt::ISODate))}));
            }
        }
        QVERIFY(day1Id > 0 && day2Id > 0);

        // The check of day 1's run failed: it fills no slot and stays for inspection...
        auto rec = cat.get(day1Id);
        rec->verifyOutcome = QStringLiteral("FAILED");
        rec->verifiedAt = lastAsOf;
        QVERIFY(cat.update(*rec, &err));
        dry = jsonArray({QStringLiteral("prune"), QStringLiteral("--dry-run"), QStringLiteral("--as-of"), asOf});
        for (const QJsonValue &v : dry) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("id")).toInteger() == day1Id) {
                QCOMPARE(o.value(QStringLiteral("action")).toString(), QStringLiteral("keep"));
                QCOMPARE(o.value(QStringLiteral("reasons")).toArray().first().toString(),
                         QStringLiteral("verification failed"));
            }
        }
        r = ctl({QStringLiteral("prune"), QStringLiteral("--as-of"), asOf});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        checkAgreement(expectedFires);
        // ... until prune --failed-verification removes it from the disk and the bucket.
        r = ctl({QStringLiteral("prune"), QStringLiteral("--failed-verification"), QStringLiteral("--as-of"), asOf});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("(periods in Europe/Berlin)"), r.out.constData());
        expectedFires.remove(QDateTime(d0.addDays(1), QTime(18, 0), berlin));
        checkAgreement(expectedFires);
    }
};

QTEST_GUILESS_MAIN(TstRetentionCli)
#include "tst_retention_cli.moc"
