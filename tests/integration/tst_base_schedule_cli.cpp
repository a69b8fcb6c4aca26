// Issues 17/20, "continuous protection = base backup schedule + WAL capture": a schedule of kind "base"
// (`schedule add NAME --base --profile P`) run by `run-due --as-of` at its fire time takes a base backup of the
// profile's cluster (a throwaway cluster with a replication line, WalTestCluster) through DueRunner: a COMPLETED
// record of kind base with its WAL range in the catalog and the manifest, the schedule's last run recorded,
// backup.completed told to a webhook (tests/support/HttpSink.h). Retention after the run counts base backups only:
// a database backup of the same profile stays. A profile whose server is down gets a FAILED record of kind base and
// backup.failed. The option checks refuse a base schedule without a profile, with --verify or --compress.
#include "HttpSink.h"
#include "TestEnv.h"
#include "WalTestCluster.h"

#include "catalog/SqlCatalog.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>

using namespace lifeboat;

class TstBaseScheduleCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_home;
    HttpSink m_sink;
    std::unique_ptr<WalTestCluster> m_cluster;
    QDateTime m_fire; // the next 02:00 UTC, the fire time of the schedules below

    // Runs lifeboatctl while this thread's event loop keeps serving the HTTP sink.
    TestEnv::Run ctl(const QStringList &args) {
        QProcess p;
        p.setProgram(TestEnv::lifeboatctl());
        p.setArguments(QStringList{QStringLiteral("--home"), m_home} + args);
        QEventLoop loop;
        connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(240000, &loop, &QEventLoop::quit);
        p.start();
        p.closeWriteChannel();
        loop.exec();
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        const TestEnv::Run r{p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
        if (r.exitCode != 0)
            qInfo("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return r;
    }
    QList<QJsonObject> events(const QString &event, const QString &schedule) const {
        QList<QJsonObject> out;
        for (const HttpRequest &r : m_sink.requests) {
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
            if (o.value(QStringLiteral("event")).toString() == event &&
                o.value(QStringLiteral("schedule")).toString() == schedule)
                out << o;
        }
        return out;
    }
    QJsonObject scheduleJson(const QString &name) {
        const QJsonArray all =
            QJsonDocument::fromJson(
                ctl({QStringLiteral("--json"), QStringLiteral("schedule"), QStringLiteral("list")}).out)
                .array();
        for (const QJsonValue &v : all)
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                return v.toObject();
        return {};
    }
    // run-due --as-of AT --schedule NAME: the one entry it reports.
    QJsonObject runDue(const QString &name, const QDateTime &at, int *exitCode) {
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("run-due"), QStringLiteral("--as-of"),
                                    at.toString(Qt::ISODate), QStringLiteral("--schedule"), name});
        *exitCode = r.exitCode;
        const QJsonArray entries = QJsonDocument::fromJson(r.out).array();
        return entries.size() == 1 ? entries.first().toObject()
                                   : QJsonObject{{QStringLiteral("raw"), QString::fromUtf8(r.out + r.err)}};
    }
    QJsonObject record(qint64 id) {
        return QJsonDocument::fromJson(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)}).out)
            .object();
    }
    QList<WalFileRecord> walRows(const QString &name) {
        SqlCatalog cat(QStringLiteral("QSQLITE"), m_home + QStringLiteral("/catalog.sqlite"));
        QString err;
        if (!cat.open(&err)) {
            qWarning("catalog: %s", qPrintable(err));
            return {};
        }
        WalFileFilter f;
        f.profile = QStringLiteral("src");
        f.name = name;
        return cat.walFiles(f);
    }
    std::optional<BaseBackupInfo> catalogRange(qint64 id) {
        SqlCatalog cat(QStringLiteral("QSQLITE"), m_home + QStringLiteral("/catalog.sqlite"));
        QString err;
        if (!cat.open(&err)) {
            qWarning("catalog: %s", qPrintable(err));
            return std::nullopt;
        }
        return cat.baseBackup(id);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY(m_sink.listen());
        // The cluster's directory must be reachable by postgres when the test runs as root.
        QVERIFY(QFile::setPermissions(m_tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                        QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                                        QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                        QFileDevice::ExeOther));
        m_cluster = std::make_unique<WalTestCluster>(m_tmp.filePath(QStringLiteral("cluster")));
        QString why;
        QVERIFY2(m_cluster->start({}, QProcessEnvironment::systemEnvironment(), &why), qPrintable(why));
        QCOMPARE(m_cluster->sql(QStringLiteral("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT "
                                               "generate_series(1, 100)")),
                 QString());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        // Nothing listens on this port: the "down" profile's server is unreachable.
        const QString downConninfo =
            QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=postgres connect_timeout=5")
                .arg(WalTestCluster::freePort());
        for (const QStringList &args : QList<QStringList>{
                 {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"), QStringLiteral("--local"),
                  m_tmp.filePath(QStringLiteral("store"))},
                 {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("src"), QStringLiteral("--conninfo"),
                  m_cluster->conninfo(), QStringLiteral("--storage"), QStringLiteral("disk")},
                 {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("down"),
                  QStringLiteral("--conninfo"), downConninfo, QStringLiteral("--storage"), QStringLiteral("disk")},
                 {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("ops"), QStringLiteral("--webhook"),
                  QStringLiteral("http://127.0.0.1:%1/").arg(m_sink.port()), QStringLiteral("--on"),
                  QStringLiteral("always")}}) {
            const TestEnv::Run r = ctl(args);
            QVERIFY2(r.exitCode == 0,
                     qPrintable(args.join(QLatin1Char(' ')) + QLatin1String(": ") + QString::fromUtf8(r.err)));
        }
        const QDateTime now = QDateTime::currentDateTimeUtc();
        m_fire = QDateTime(now.date(), QTime(2, 0), QTimeZone::utc());
        if (m_fire <= now)
            m_fire = m_fire.addDays(1);
    }

    void cleanupTestCase() { m_cluster.reset(); }

    void baseOptionsAreChecked() {
        TestEnv::Run r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"),
                              QStringLiteral("--base"), QStringLiteral("--files"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--profile P"), r.err.constData());
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"), QStringLiteral("--base"),
                 QStringLiteral("--verify"), QStringLiteral("--profile"), QStringLiteral("src")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--base and --verify"), r.err.constData());
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"), QStringLiteral("--base"),
                 QStringLiteral("--profile"), QStringLiteral("src"), QStringLiteral("--compress"),
                 QStringLiteral("none")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("zstd"), r.err.constData());
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("bad"), QStringLiteral("--base"),
                 QStringLiteral("--profile"), QStringLiteral("nosuch")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("unknown profile \"nosuch\""), r.err.constData());
        QVERIFY(scheduleJson(QStringLiteral("bad")).isEmpty()); // nothing stored by the refusals
    }

    void scheduledBaseBackupCompletes() {
        // A database backup of the same profile first: the base schedule's retention must leave it alone.
        TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("src")});
        QCOMPARE(r.exitCode, 0);
        const qint64 dump = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("id")).toInteger();
        QVERIFY(dump > 0);
        // A WAL segment archived before any base backup: once a later base backup is the oldest kept, it goes.
        const QString segment =
            m_cluster->sql(QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())")).section(QLatin1Char('\n'), 0, 0);
        QCOMPARE(segment.size(), 24);
        r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("src"),
                 m_cluster->dataDir() + QStringLiteral("/pg_wal/") + segment});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(walRows(segment).size(), 1);

        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("src-base"),
                 QStringLiteral("--base"), QStringLiteral("--profile"), QStringLiteral("src"), QStringLiteral("--cron"),
                 QStringLiteral("0 2 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC"),
                 QStringLiteral("--keep-last"), QStringLiteral("1"), QStringLiteral("--keep-daily"),
                 QStringLiteral("0"), QStringLiteral("--keep-weekly"), QStringLiteral("0"),
                 QStringLiteral("--keep-monthly"), QStringLiteral("0")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("base backup of src"), r.out.constData());
        QJsonObject s = scheduleJson(QStringLiteral("src-base"));
        QCOMPARE(s.value(QStringLiteral("kind")).toString(), QStringLiteral("base"));
        QCOMPARE(s.value(QStringLiteral("profile")).toString(), QStringLiteral("src"));
        const TestEnv::Run listed = ctl({QStringLiteral("schedule"), QStringLiteral("list")});
        QVERIFY2(listed.out.contains("base:src"), listed.out.constData());

        // Before the fire time nothing runs.
        int rc = -1;
        QJsonObject e = runDue(QStringLiteral("src-base"), m_fire.addSecs(-60), &rc);
        QCOMPARE(rc, 0);
        QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("not-due"));

        e = runDue(QStringLiteral("src-base"), m_fire.addSecs(20), &rc);
        QVERIFY2(rc == 0, QJsonDocument(e).toJson().constData());
        QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        QCOMPARE(e.value(QStringLiteral("kind")).toString(), QStringLiteral("base"));
        const qint64 id = e.value(QStringLiteral("recordId")).toInteger();
        QVERIFY(id > 0);

        const QJsonObject rec = record(id);
        QCOMPARE(rec.value(QStringLiteral("kind")).toString(), QStringLiteral("base"));
        QCOMPARE(rec.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        QCOMPARE(rec.value(QStringLiteral("label")).toString(), QStringLiteral("schedule src-base"));
        QVERIFY2(rec.value(QStringLiteral("type")).toString().startsWith(QLatin1String("DAILY")),
                 qPrintable(rec.value(QStringLiteral("type")).toString()));
        QVERIFY(rec.value(QStringLiteral("filename")).toString().endsWith(QLatin1String(".tar.zst")));
        // The WAL range, in the catalog and in the manifest beside the artifact.
        const auto range = catalogRange(id);
        QVERIFY(range.has_value());
        QVERIFY(range->isValid());
        QVERIFY(!range->startLsn.isEmpty());
        QVERIFY(!range->stopLsn.isEmpty());
        QCOMPARE(range->timeline, 1);
        QString local;
        for (const QJsonValue &l : rec.value(QStringLiteral("locations")).toArray())
            if (l.toObject().value(QStringLiteral("storage")).toString() == QLatin1String("disk"))
                local = l.toObject().value(QStringLiteral("path")).toString();
        QVERIFY(!local.isEmpty());
        QFile m(local + QStringLiteral(".manifest.json"));
        QVERIFY2(m.open(QIODevice::ReadOnly), qPrintable(m.fileName()));
        const QJsonObject manifest = QJsonDocument::fromJson(m.readAll()).object();
        QCOMPARE(manifest.value(QStringLiteral("kind")).toString(), QStringLiteral("base"));
        const QJsonObject b = manifest.value(QStringLiteral("baseBackup")).toObject();
        QCOMPARE(b.value(QStringLiteral("startLsn")).toString(), range->startLsn);
        QCOMPARE(b.value(QStringLiteral("stopLsn")).toString(), range->stopLsn);

        // The schedule's last run is this one.
        s = scheduleJson(QStringLiteral("src-base"));
        QCOMPARE(s.value(QStringLiteral("lastStatus")).toString(), QStringLiteral("COMPLETED"));
        QCOMPARE(s.value(QStringLiteral("lastBackupId")).toInteger(), id);
        QVERIFY(!s.value(QStringLiteral("lastRun")).toString().isEmpty());
        const QList<QJsonObject> told = events(QStringLiteral("backup.completed"), QStringLiteral("src-base"));
        QCOMPARE(told.size(), 1);
        QCOMPARE(told.first().value(QStringLiteral("recordId")).toInteger(), id);

        // A daily base backup taken by hand: `prune` (as of the next fire time) counts base backups by the same rules
        // as the schedule's runs (the schedule's --keep-last 1 on top of the profile's), so it would go, the scheduled
        // one (newer by its fire time) stays; the database backup follows its own rules.
        r = ctl({QStringLiteral("--json"), QStringLiteral("basebackup"), QStringLiteral("src"),
                 QStringLiteral("--type"), QStringLiteral("daily")});
        QCOMPARE(r.exitCode, 0);
        const qint64 manual = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("id")).toInteger();
        QVERIFY(manual > id);
        r = ctl({QStringLiteral("--json"), QStringLiteral("prune"), QStringLiteral("--dry-run"),
                 QStringLiteral("--profile"), QStringLiteral("src"), QStringLiteral("--as-of"),
                 m_fire.addDays(1).addSecs(10).toString(Qt::ISODate)});
        QCOMPARE(r.exitCode, 0);
        QHash<qint64, QString> actions;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array())
            if (v.toObject().contains(QStringLiteral("id")))
                actions.insert(v.toObject().value(QStringLiteral("id")).toInteger(),
                               v.toObject().value(QStringLiteral("action")).toString());
        QCOMPARE(actions.value(manual), QStringLiteral("expire"));
        QCOMPARE(actions.value(id), QStringLiteral("keep"));
        QCOMPARE(actions.value(dump), QStringLiteral("keep"));
        QCOMPARE(record(manual).value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED")); // dry run

        // The next day's run: retention (keep the last 1) expires both older base backups, not the database backup,
        // and the WAL archived before them.
        e = runDue(QStringLiteral("src-base"), m_fire.addDays(1).addSecs(20), &rc);
        QVERIFY2(rc == 0, QJsonDocument(e).toJson().constData());
        QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        const qint64 second = e.value(QStringLiteral("recordId")).toInteger();
        QVERIFY(second > manual);
        QCOMPARE(e.value(QStringLiteral("pruned")).toInt(), 2);
        QCOMPARE(record(manual).value(QStringLiteral("status")).toString(), QStringLiteral("DELETED"));
        QCOMPARE(walRows(segment).size(), 0);
        QCOMPARE(record(second).value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
        const QString first = record(id).value(QStringLiteral("status")).toString();
        QVERIFY2(first == QLatin1String("DELETED") || first == QLatin1String("EXPIRED"), qPrintable(first));
        QVERIFY(!QFile::exists(local));
        QCOMPARE(record(dump).value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
    }

    void unreachableServerRecordsFailed() {
        TestEnv::Run r =
            ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("down-base"),
                 QStringLiteral("--base"), QStringLiteral("--profile"), QStringLiteral("down"),
                 QStringLiteral("--cron"), QStringLiteral("0 2 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC")});
        QCOMPARE(r.exitCode, 0);
        int rc = -1;
        const QJsonObject e = runDue(QStringLiteral("down-base"), m_fire.addSecs(20), &rc);
        QVERIFY(rc != 0);
        QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        const qint64 id = e.value(QStringLiteral("recordId")).toInteger();
        QVERIFY2(id > 0, QJsonDocument(e).toJson().constData());
        const QJsonObject rec = record(id);
        QCOMPARE(rec.value(QStringLiteral("kind")).toString(), QStringLiteral("base"));
        QCOMPARE(rec.value(QStringLiteral("profile")).toString(), QStringLiteral("down"));
        QCOMPARE(rec.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        const QJsonObject s = scheduleJson(QStringLiteral("down-base"));
        QCOMPARE(s.value(QStringLiteral("lastStatus")).toString(), QStringLiteral("FAILED"));
        QCOMPARE(s.value(QStringLiteral("lastBackupId")).toInteger(), id);
        const QList<QJsonObject> told = events(QStringLiteral("backup.failed"), QStringLiteral("down-base"));
        QCOMPARE(told.size(), 1);
        QVERIFY(!told.first().value(QStringLiteral("error")).toString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstBaseScheduleCli)
#include "tst_base_schedule_cli.moc"
