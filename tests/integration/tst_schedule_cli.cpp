// Schedules, run-due and prune end to end: lifeboatctl against the real pg fixture (backups of a real database),
// the s3 fixture (S3 copies deleted by retention) and a PostgreSQL database on the fixture as the shared catalog.
// Time is moved with --as-of, so due/not-due/catch-up/promotion are exact.
#include "TestEnv.h"

#include "catalog/SqlCatalog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

namespace {
QString at(const QDate &d, int h, int m) {
    return QDateTime(d, QTime(h, m), QTimeZone::utc()).toString(Qt::ISODate);
}
QDate pick(QDate d, const std::function<bool(const QDate &)> &ok) {
    while (!ok(d))
        d = d.addDays(1);
    return d;
}
bool plainDay(const QDate &d) {
    return d.dayOfWeek() != 7 && d.day() != 1;
}
} // namespace

class TstScheduleCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QHash<QString, QString> m_pg;
    QHash<QString, QString> m_s3;
    QString m_db;
    QString m_catalogDb;
    int m_homes = 0;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        e.remove(QStringLiteral("BACKUP_RETENTION_DAILY"));
        e.remove(QStringLiteral("BACKUP_RETENTION_WEEKLY"));
        e.remove(QStringLiteral("BACKUP_RETENTION_MONTHLY"));
        return e;
    }
    TestEnv::Run ctl(const QString &home, const QStringList &args) { return TestEnv::ctl(home, args, {}, env()); }
    QJsonValue json(const QString &home, const QStringList &args, int expect = 0) {
        const auto r = ctl(home, QStringList{QStringLiteral("--json")} + args);
        if (r.exitCode != expect)
            qWarning("%s -> %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        [&] { QCOMPARE(r.exitCode, expect); }();
        const auto doc = QJsonDocument::fromJson(r.out);
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    QString conninfo() const {
        return QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
            .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), m_db);
    }
    // A fresh home with a local storage "disk" and the profile "p" on the test database.
    QString newHome(const QStringList &globals = {}) {
        const QString home = m_tmp.filePath(QStringLiteral("home%1").arg(++m_homes));
        const auto s =
            ctl(home, globals + QStringList{QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                                            QStringLiteral("--local"), home + QStringLiteral("/store")});
        if (s.exitCode != 0)
            qWarning("%s", s.err.constData());
        const auto p = ctl(home, globals + QStringList{QStringLiteral("profile"), QStringLiteral("add"),
                                                       QStringLiteral("p"), QStringLiteral("--conninfo"), conninfo(),
                                                       QStringLiteral("--storage"), QStringLiteral("disk")});
        if (p.exitCode != 0)
            qWarning("%s", p.err.constData());
        return home;
    }
    QJsonArray backups(const QString &home, const QStringList &globals = {}) {
        return json(home,
                    globals + QStringList{QStringLiteral("list"), QStringLiteral("--profile"), QStringLiteral("p")})
            .toArray();
    }
    // Artifact names are unique to the second: consecutive backups of one profile in a test wait for the next.
    static void nextSecond() { QTest::qWait(1100); }
    QJsonArray runDue(const QString &home, const QString &asOf, QByteArray *err = nullptr) {
        nextSecond();
        const auto r =
            ctl(home, {QStringLiteral("--json"), QStringLiteral("run-due"), QStringLiteral("--as-of"), asOf});
        if (err)
            *err = r.err;
        if (r.exitCode != 0)
            qWarning("run-due -> %d: %s", r.exitCode, r.err.constData());
        return QJsonDocument::fromJson(r.out).array();
    }
    // Two run-due processes started together; returns their outputs.
    QList<QJsonArray> racingRunDue(const QString &home, const QStringList &globals, const QString &asOf) {
        nextSecond();
        QList<QProcess *> procs;
        for (int i = 0; i < 2; ++i) {
            auto *p = new QProcess(this);
            p->setProcessEnvironment(env());
            p->setProgram(TestEnv::lifeboatctl());
            p->setArguments(QStringList{QStringLiteral("--home"), home, QStringLiteral("--json")} + globals +
                            QStringList{QStringLiteral("run-due"), QStringLiteral("--as-of"), asOf});
            procs << p;
        }
        for (QProcess *p : procs)
            p->start();
        QList<QJsonArray> out;
        for (QProcess *p : procs) {
            p->waitForFinished(120000);
            const QByteArray stdOut = p->readAllStandardOutput();
            if (p->exitCode() != 0)
                qWarning("racing run-due -> %d: %s %s", p->exitCode(), p->readAllStandardError().constData(),
                         stdOut.constData());
            [&] { QCOMPARE(p->exitCode(), 0); }();
            out << QJsonDocument::fromJson(stdOut).array();
            delete p;
        }
        return out;
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_pg.isEmpty() && !m_s3.isEmpty(), "the pg and s3 fixtures must be running");
        const int n = QRandomGenerator::global()->bounded(1000000);
        m_db = QStringLiteral("lb_sched_%1").arg(n);
        m_catalogDb = QStringLiteral("lb_catalog_%1").arg(n);
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM "
                                           "generate_series(1, 2000) g"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_catalogDb));
    }

    void scheduleAddListRemoveAndValidation() {
        const QString home = newHome();
        auto r = ctl(home, {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"),
                            QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                            QStringLiteral("0 1 * * MON-SUNX")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("day-of-week field 'MON-SUNX': unknown name 'SUNX'"), r.err.constData());
        r = ctl(home,
                {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"), QStringLiteral("--profile"),
                 QStringLiteral("p"), QStringLiteral("--cron"), QStringLiteral("61 * * * *")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("minute field"), r.err.constData());
        r = ctl(home,
                {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"), QStringLiteral("--profile"),
                 QStringLiteral("nope"), QStringLiteral("--cron"), QStringLiteral("0 1 * * *")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("unknown profile \"nope\""));
        r = ctl(home, {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"),
                       QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                       QStringLiteral("0 1 * * *"), QStringLiteral("--missed"), QStringLiteral("sometimes")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("--missed takes catch-up or skip"));
        r = ctl(home, {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"),
                       QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                       QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("Mars/Olympus")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("unknown time zone"));

        // A valid one: the next three fire times, in order, at 01:00 in the schedule's zone.
        r = ctl(home, {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("nightly"),
                       QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                       QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("Europe/Berlin")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("at 01:00 every day"));
        int fireLines = 0;
        for (const QByteArray &line : r.out.split('\n'))
            fireLines += line.startsWith("  ") && line.contains(" 01:00 ");
        QCOMPARE(fireLines, 3);
        // Same name again without --replace: refused.
        r = ctl(home, {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("nightly"),
                       QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                       QStringLiteral("0 2 * * *")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("--replace"));

        const QJsonArray list = json(home, {QStringLiteral("schedule"), QStringLiteral("list")}).toArray();
        QCOMPARE(list.size(), 1);
        const QJsonObject s = list.first().toObject();
        QCOMPARE(s.value(QStringLiteral("name")).toString(), QStringLiteral("nightly"));
        QCOMPARE(s.value(QStringLiteral("cron")).toString(), QStringLiteral("0 1 * * *"));
        const QDateTime next = QDateTime::fromString(s.value(QStringLiteral("nextFire")).toString(), Qt::ISODate);
        QVERIFY(next > QDateTime::currentDateTimeUtc());
        QCOMPARE(next.toTimeZone(QTimeZone("Europe/Berlin")).time(), QTime(1, 0));

        QCOMPARE(ctl(home, {QStringLiteral("schedule"), QStringLiteral("remove"), QStringLiteral("nightly")}).exitCode,
                 0);
        QVERIFY(json(home, {QStringLiteral("schedule"), QStringLiteral("list")}).toArray().isEmpty());
        r = ctl(home, {QStringLiteral("schedule"), QStringLiteral("remove"), QStringLiteral("nightly")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("no schedule named \"nightly\""));

        // install --print: the crontab line calls run-due every minute with this home.
        r = ctl(home, {QStringLiteral("schedule"), QStringLiteral("install"), QStringLiteral("--cron"),
                       QStringLiteral("--print")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("* * * * * "));
        QVERIFY(r.out.contains(home.toUtf8()) && r.out.contains(" run-due "));
        // --systemd writes a user timer and service under XDG_CONFIG_HOME.
        QProcessEnvironment e = env();
        const QString xdg = m_tmp.filePath(QStringLiteral("xdg"));
        e.insert(QStringLiteral("XDG_CONFIG_HOME"), xdg);
        r = TestEnv::ctl(home, {QStringLiteral("schedule"), QStringLiteral("install"), QStringLiteral("--systemd")}, {},
                         e);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile timer(xdg + QStringLiteral("/systemd/user/lifeboat-run-due.timer"));
        QVERIFY(timer.open(QIODevice::ReadOnly));
        QVERIFY(timer.readAll().contains("OnCalendar=*-*-* *:*:00"));
        QFile service(xdg + QStringLiteral("/systemd/user/lifeboat-run-due.service"));
        QVERIFY(service.open(QIODevice::ReadOnly));
        QVERIFY(service.readAll().contains(" run-due"));
    }

    void runDueAsOfDueNotDueCatchUpAndPromotion() {
        const QString home = newHome();
        auto r = ctl(home, {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("nightly"),
                            QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                            QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QDate today = QDate::currentDate();
        // D and the day before it are ordinary days (not Sunday, not the 1st): the catch-up run is plain DAILY.
        const QDate d = pick(today.addDays(3), [](const QDate &x) { return plainDay(x) && plainDay(x.addDays(-1)); });

        // Several nightly runs were missed between now and D 00:30: exactly one catch-up run.
        QByteArray err;
        QJsonArray out = runDue(home, at(d, 0, 30), &err);
        QCOMPARE(out.size(), 1);
        QCOMPARE(out.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        QVERIFY2(err.contains("catching up with one run"), err.constData());
        QCOMPARE(out.first().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("DAILY"));
        QCOMPARE(backups(home).size(), 1);

        // Not due (next fire is 01:00): nothing.
        out = runDue(home, at(d, 0, 45));
        QCOMPARE(out.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("not-due"));
        QCOMPARE(backups(home).size(), 1);

        // Due at 01:00, checked at 01:05: one DAILY backup; a second call at 01:06 does nothing.
        out = runDue(home, at(d, 1, 5));
        QCOMPARE(out.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        const qint64 id = out.first().toObject().value(QStringLiteral("recordId")).toInteger();
        out = runDue(home, at(d, 1, 6));
        QCOMPARE(out.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("not-due"));
        QJsonArray list = backups(home);
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.first().toObject().value(QStringLiteral("id")).toInteger(), id);
        QCOMPARE(list.first().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("DAILY"));
        QCOMPARE(list.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));

        // Sunday's run is also WEEKLY.
        const QDate sunday = pick(d.addDays(1), [](const QDate &x) { return x.dayOfWeek() == 7 && x.day() != 1; });
        out = runDue(home, at(sunday, 1, 10));
        QCOMPARE(out.first().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("DAILY,WEEKLY"));
        QCOMPARE(backups(home).first().toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("DAILY,WEEKLY"));

        // The 1st of the month is also MONTHLY (and WEEKLY if it is a Sunday).
        QDate first(sunday.year(), sunday.month(), 1);
        first = first.addMonths(1);
        out = runDue(home, at(first, 1, 10));
        const QString expected =
            first.dayOfWeek() == 7 ? QStringLiteral("DAILY,WEEKLY,MONTHLY") : QStringLiteral("DAILY,MONTHLY");
        QCOMPARE(out.first().toObject().value(QStringLiteral("type")).toString(), expected);
        QCOMPARE(backups(home).size(), 4);

        // The schedule remembers its last run.
        const QJsonObject s =
            json(home, {QStringLiteral("schedule"), QStringLiteral("list")}).toArray().first().toObject();
        QCOMPARE(s.value(QStringLiteral("lastBackupId")).toInteger(),
                 backups(home).first().toObject().value(QStringLiteral("id")).toInteger());
        QCOMPARE(s.value(QStringLiteral("lastStatus")).toString(), QStringLiteral("COMPLETED"));
    }

    void skipPolicyDropsOldMisses() {
        const QString home = newHome();
        QCOMPARE(ctl(home, {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("strict"),
                            QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                            QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC"),
                            QStringLiteral("--missed"), QStringLiteral("skip")})
                     .exitCode,
                 0);
        const QDate d = pick(QDate::currentDate().addDays(3), plainDay);
        // Last fire time (D 01:00) is hours old at D 05:00: skipped, nothing runs, and it is not owed later.
        QJsonArray out = runDue(home, at(d, 5, 0));
        QCOMPARE(out.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
        QCOMPARE(backups(home).size(), 0);
        // Within the grace period (5 minutes) it runs.
        out = runDue(home, at(d.addDays(1), 1, 2));
        QCOMPARE(out.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        QCOMPARE(backups(home).size(), 1);
    }

    void concurrentRunnersOnSqliteMakeOneBackup() {
        const QString home = newHome();
        QCOMPARE(ctl(home, {QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("race"),
                            QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                            QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC")})
                     .exitCode,
                 0);
        QDate d = pick(QDate::currentDate().addDays(3), plainDay);
        for (int round = 1; round <= 3; ++round) {
            const QList<QJsonArray> outs = racingRunDue(home, {}, at(d, 1, 5));
            QStringList statuses;
            for (const QJsonArray &o : outs)
                statuses << o.first().toObject().value(QStringLiteral("status")).toString();
            QCOMPARE(statuses.count(QStringLiteral("COMPLETED")), 1);
            QCOMPARE(backups(home).size(), round);
            d = d.addDays(1);
        }
    }

    void sharedPostgresCatalogRunsOnceAcrossRunners() {
        const QString uri =
            QStringLiteral("postgresql://postgres@%1:%2/%3")
                .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), m_catalogDb);
        const QStringList globals{QStringLiteral("--catalog"), uri};
        // Two workstations: separate homes (settings), one catalog.
        const QString a = newHome(globals);
        const QString b = newHome(globals);
        QCOMPARE(TestEnv::psql(m_catalogDb, QStringLiteral("SELECT max(version) FROM schema_version")).trimmed(),
                 QString::number(SqlCatalog::latestSchemaVersion()));
        auto r =
            ctl(a, globals + QStringList{QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("team"),
                                         QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                                         QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // The other workstation sees it.
        QCOMPARE(json(b, globals + QStringList{QStringLiteral("schedule"), QStringLiteral("list")}).toArray().size(),
                 1);

        QDate d = pick(QDate::currentDate().addDays(3), plainDay);
        for (int round = 1; round <= 2; ++round) {
            nextSecond();
            QList<QProcess *> procs;
            for (const QString &home : {a, b}) {
                auto *p = new QProcess(this);
                p->setProcessEnvironment(env());
                p->setProgram(TestEnv::lifeboatctl());
                p->setArguments(QStringList{QStringLiteral("--home"), home, QStringLiteral("--json")} + globals +
                                QStringList{QStringLiteral("run-due"), QStringLiteral("--as-of"), at(d, 1, 5)});
                procs << p;
            }
            for (QProcess *p : procs)
                p->start();
            int completed = 0;
            for (QProcess *p : procs) {
                QVERIFY(p->waitForFinished(120000));
                const QByteArray err = p->readAllStandardError();
                QVERIFY2(p->exitCode() == 0, err.constData());
                const QJsonArray o = QJsonDocument::fromJson(p->readAllStandardOutput()).array();
                completed +=
                    o.first().toObject().value(QStringLiteral("status")).toString() == QLatin1String("COMPLETED");
                delete p;
            }
            QCOMPARE(completed, 1);
            QCOMPARE(TestEnv::psql(m_catalogDb, QStringLiteral("SELECT count(*) FROM backups WHERE status = "
                                                               "'COMPLETED'"))
                         .trimmed(),
                     QString::number(round));
            d = d.addDays(1);
        }
        // History is shared: workstation B lists what A or B ran.
        QCOMPARE(backups(b, globals).size(), 2);
    }

    void pruneDryRunThenDeleteWithMissingFileAndS3() {
        const QString home = newHome();
        const QString prefix = QStringLiteral("prune%1").arg(QRandomGenerator::global()->bounded(100000));
        auto r =
            ctl(home, {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"),
                       QStringLiteral("--s3"), QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")),
                       QStringLiteral("--bucket"), m_s3.value(QStringLiteral("S3_BUCKET")),
                       QStringLiteral("--path-style"), QStringLiteral("--prefix"), prefix});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // A real backup to disk and S3; made "old" below so retention expires it.
        const QJsonObject b = json(home, {QStringLiteral("backup"), QStringLiteral("p"), QStringLiteral("--storage"),
                                          QStringLiteral("disk"), QStringLiteral("--storage"), QStringLiteral("bucket"),
                                          QStringLiteral("--type"), QStringLiteral("daily")})
                                  .toObject();
        const qint64 realId = b.value(QStringLiteral("id")).toInteger();
        QVERIFY(realId > 0);

        const QDateTime now(QDate::currentDate().addDays(1), QTime(12, 0), QTimeZone::utc());
        QString s3Object;
        QString s3Manifest;
        QString realLocal;
        QList<qint64> generated;
        const QString store = home + QStringLiteral("/store/gen");
        QVERIFY(QDir().mkpath(store));
        {
            SqlCatalog cat(QStringLiteral("QSQLITE"), home + QStringLiteral("/catalog.sqlite"));
            QString err;
            QVERIFY2(cat.open(&err), qPrintable(err));
            auto real = cat.get(realId);
            QVERIFY(real);
            real->started = now.addDays(-40);
            for (const BackupLocation &l : real->locations) {
                if (l.kind == QLatin1String("s3")) {
                    s3Object = m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') +
                               m_s3.value(QStringLiteral("S3_BUCKET")) + QLatin1Char('/') + l.path +
                               QStringLiteral("._S3rver_object");
                    s3Manifest = m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') +
                                 m_s3.value(QStringLiteral("S3_BUCKET")) + QLatin1Char('/') + l.manifestPath +
                                 QStringLiteral("._S3rver_object");
                } else {
                    realLocal = l.path;
                }
            }
            QVERIFY(cat.update(*real, &err));
            // 10 generated daily backups, 1..10 days old, each a real file with its manifest; plus a failed one
            // and a manual one labelled pre-migration.
            for (int i = 1; i <= 10; ++i) {
                BackupRecord rec;
                rec.profile = QStringLiteral("p");
                rec.database = m_db;
                rec.type = QStringLiteral("DAILY");
                rec.status = BackupRecord::statusCompleted();
                rec.started = now.addDays(-i);
                rec.finished = rec.started.addSecs(10);
                rec.filename = QStringLiteral("gen-%1.dump").arg(i);
                const QString path = store + QLatin1Char('/') + rec.filename;
                for (const QString &f : {path, path + QStringLiteral(".manifest.json")}) {
                    QFile out(f);
                    QVERIFY(out.open(QIODevice::WriteOnly));
                    out.write("x");
                }
                rec.locations << BackupLocation{QStringLiteral("disk"), QStringLiteral("local"), path,
                                                path + QStringLiteral(".manifest.json")};
                QVERIFY(cat.insert(rec, &err));
                generated << rec.id;
            }
            BackupRecord failed;
            failed.profile = QStringLiteral("p");
            failed.database = m_db;
            failed.type = QStringLiteral("DAILY");
            failed.status = BackupRecord::statusFailed();
            failed.started = now.addDays(-3).addSecs(600);
            failed.filename = QStringLiteral("failed.dump");
            QVERIFY(cat.insert(failed, &err));
            generated << failed.id;
            BackupRecord manual;
            manual.profile = QStringLiteral("p");
            manual.database = m_db;
            manual.status = BackupRecord::statusCompleted();
            manual.started = now.addDays(-90);
            manual.label = QStringLiteral("pre-migration");
            manual.filename = QStringLiteral("manual.dump");
            const QString mpath = store + QStringLiteral("/manual.dump");
            QFile mf(mpath);
            QVERIFY(mf.open(QIODevice::WriteOnly));
            mf.write("m");
            mf.close();
            manual.locations << BackupLocation{QStringLiteral("disk"), QStringLiteral("local"), mpath, {}};
            QVERIFY(cat.insert(manual, &err));
            generated << manual.id;
        }
        QVERIFY(QFile::exists(s3Object) && QFile::exists(s3Manifest) && QFile::exists(realLocal));

        // Dry run: every record gets a decision with reasons; nothing changes. Only the daily rule, so the outcome
        // does not depend on where today falls in its week and month (weeks and months are counted as periods).
        const QStringList dailyOnly{QStringLiteral("--keep-weekly"), QStringLiteral("0"),
                                    QStringLiteral("--keep-monthly"), QStringLiteral("0")};
        const QJsonArray dry =
            json(home, QStringList{QStringLiteral("prune"), QStringLiteral("--dry-run"), QStringLiteral("--profile"),
                                   QStringLiteral("p"), QStringLiteral("--as-of"), now.toString(Qt::ISODate)} +
                           dailyOnly)
                .toArray();
        QCOMPARE(dry.size(), 13);
        QHash<qint64, QJsonObject> byId;
        for (const auto &v : dry) {
            const QJsonObject o = v.toObject();
            QVERIFY2(!o.value(QStringLiteral("reasons")).toArray().isEmpty(), "every decision has a reason");
            byId.insert(o.value(QStringLiteral("id")).toInteger(), o);
        }
        auto action = [&](qint64 id) { return byId.value(id).value(QStringLiteral("action")).toString(); };
        auto reasons = [&](qint64 id) {
            QStringList l;
            for (const auto &x : byId.value(id).value(QStringLiteral("reasons")).toArray())
                l << x.toString();
            return l.join(QLatin1Char('|'));
        };
        for (int i = 0; i < 7; ++i)
            QCOMPARE(action(generated.at(i)), QStringLiteral("keep")); // 7 newest dailies
        QVERIFY2(reasons(generated.at(0))
                     .contains(QStringLiteral("daily %1 (1 of 7)").arg(now.addDays(-1).date().toString(Qt::ISODate))),
                 qPrintable(reasons(generated.at(0))));
        for (int i = 7; i < 10; ++i)
            QCOMPARE(action(generated.at(i)), QStringLiteral("expire"));
        QCOMPARE(action(realId), QStringLiteral("expire"));
        QCOMPARE(action(generated.at(10)), QStringLiteral("expire")); // failed, older than 24 h
        QCOMPARE(action(generated.at(11)), QStringLiteral("keep"));   // manual: kept until deleted
        QVERIFY2(reasons(generated.at(11)).contains(QStringLiteral("pre-migration")),
                 qPrintable(reasons(generated.at(11))));
        for (int i = 0; i < 10; ++i)
            QVERIFY(QFile::exists(store + QStringLiteral("/gen-%1.dump").arg(i + 1)));
        QVERIFY(QFile::exists(s3Object) && QFile::exists(realLocal));
        for (const auto &v : backups(home))
            QVERIFY(v.toObject().value(QStringLiteral("status")).toString() != QLatin1String("DELETED") &&
                    v.toObject().value(QStringLiteral("status")).toString() != QLatin1String("EXPIRED"));

        // Human dry-run output lists KEEP/EXPIRE lines with reasons.
        r = ctl(home, QStringList{QStringLiteral("prune"), QStringLiteral("--dry-run"), QStringLiteral("--as-of"),
                                  now.toString(Qt::ISODate)} +
                          dailyOnly);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("KEEP") && r.out.contains("EXPIRE") && r.out.contains("(1 of 7)"));

        // One expired copy vanished by hand: logged, and the rest is still cleaned up.
        QVERIFY(QFile::remove(store + QStringLiteral("/gen-9.dump")));
        r = ctl(home, QStringList{QStringLiteral("--json"), QStringLiteral("prune"), QStringLiteral("--as-of"),
                                  now.toString(Qt::ISODate)} +
                          dailyOnly);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("already missing") && r.err.contains("gen-9.dump"), r.err.constData());
        for (int i = 8; i <= 10; ++i) {
            QVERIFY(!QFile::exists(store + QStringLiteral("/gen-%1.dump").arg(i)));
            QVERIFY(!QFile::exists(store + QStringLiteral("/gen-%1.dump.manifest.json").arg(i)));
        }
        for (int i = 1; i <= 7; ++i)
            QVERIFY(QFile::exists(store + QStringLiteral("/gen-%1.dump").arg(i)));
        QVERIFY(QFile::exists(store + QStringLiteral("/manual.dump")));
        QVERIFY2(!QFile::exists(s3Object), qPrintable(s3Object));
        QVERIFY(!QFile::exists(s3Manifest));
        QVERIFY(!QFile::exists(realLocal));
        QHash<qint64, QString> status;
        for (const auto &v : json(home, {QStringLiteral("list")}).toArray())
            status.insert(v.toObject().value(QStringLiteral("id")).toInteger(),
                          v.toObject().value(QStringLiteral("status")).toString());
        QCOMPARE(status.value(realId), QStringLiteral("DELETED"));
        QCOMPARE(status.value(generated.at(8)), QStringLiteral("DELETED")); // the one whose file was missing
        QCOMPARE(status.value(generated.at(10)), QStringLiteral("DELETED"));
        QCOMPARE(status.value(generated.at(0)), QStringLiteral("COMPLETED"));
        QCOMPARE(status.value(generated.at(11)), QStringLiteral("COMPLETED"));

        // --keep-days on a manual backup: retention expires it after that many days, not before.
        nextSecond();
        const QJsonObject kd = json(home, {QStringLiteral("backup"), QStringLiteral("p"), QStringLiteral("--keep-days"),
                                           QStringLiteral("3"), QStringLiteral("--label"), QStringLiteral("short")})
                                   .toObject();
        const qint64 kdId = kd.value(QStringLiteral("id")).toInteger();
        const QJsonObject shown = json(home, {QStringLiteral("show"), QString::number(kdId)}).toObject();
        QVERIFY(!shown.value(QStringLiteral("expires")).toString().isEmpty());
        // A newer backup, so the short-lived one is not the newest (which is never deleted).
        nextSecond();
        QCOMPARE(ctl(home,
                     {QStringLiteral("backup"), QStringLiteral("p"), QStringLiteral("--type"), QStringLiteral("daily")})
                     .exitCode,
                 0);
        auto decisionFor = [&](const QDateTime &asOf) {
            for (const auto &v : json(home, {QStringLiteral("prune"), QStringLiteral("--dry-run"),
                                             QStringLiteral("--as-of"), asOf.toString(Qt::ISODate)})
                                     .toArray())
                if (v.toObject().value(QStringLiteral("id")).toInteger() == kdId)
                    return v.toObject().value(QStringLiteral("action")).toString();
            return QString();
        };
        QCOMPARE(decisionFor(QDateTime::currentDateTimeUtc().addDays(2)), QStringLiteral("keep"));
        QCOMPARE(decisionFor(QDateTime::currentDateTimeUtc().addDays(4)), QStringLiteral("expire"));
        QCOMPARE(ctl(home, {QStringLiteral("backup"), QStringLiteral("p"), QStringLiteral("--keep-days"),
                            QStringLiteral("0")})
                     .exitCode,
                 3);
    }

    void cleanupTestCase() {
        for (const QString &db : {m_db, m_catalogDb})
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(db));
    }
};

QTEST_GUILESS_MAIN(TstScheduleCli)
#include "tst_schedule_cli.moc"
