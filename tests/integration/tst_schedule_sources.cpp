// Schedules for file and Redis sources, end to end with lifeboatctl: `schedule add --files/--redis`, `run-due
// --as-of` runs them once through DueRunner (FilesBackupJob over a real directory, RedisBackupJob against a real
// Debian redis-server whose password comes from the file credential store), records of kind files/redis typed
// DAILY, nothing on a second run at the same instant; retention after a scheduled run groups by (kind, source);
// `restore`/`verify` and the restore wizard's inspector refuse file, Redis and mirror backups naming the command
// that handles them.
#include "TestEnv.h"

#include "catalog/SqlCatalog.h"
#include "restore/RestoreInspector.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <memory>

using namespace lifeboat;

namespace {
const QString kRedisPassword = QStringLiteral("sched-Redis-pw-41d9");
const QString kSecretsPassphrase = QStringLiteral("sched-sources-passphrase");

quint16 freePort() {
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

QString at(const QDate &d, int h, int m) {
    return QDateTime(d, QTime(h, m), QTimeZone::utc()).toString(Qt::ISODate);
}

bool plainDay(const QDate &d) {
    return d.dayOfWeek() != 7 && d.day() != 1;
}

void writeFile(const QString &path, const QByteArray &data) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(data);
}
} // namespace

class TstScheduleSources : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QProcess m_redis;
    quint16 m_redisPort = 0;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"), kSecretsPassphrase);
        e.remove(QStringLiteral("BACKUP_RETENTION_DAILY"));
        e.remove(QStringLiteral("BACKUP_RETENTION_WEEKLY"));
        e.remove(QStringLiteral("BACKUP_RETENTION_MONTHLY"));
        return e;
    }
    TestEnv::Run ctl(const QStringList &args, const QByteArray &in = {}) {
        return TestEnv::ctl(m_home, args, in, env());
    }
    QJsonValue json(const QStringList &args, int expect = 0) {
        const auto r = ctl(QStringList{QStringLiteral("--json")} + args);
        if (r.exitCode != expect)
            qWarning("%s -> %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        [&] { QCOMPARE(r.exitCode, expect); }();
        const auto doc = QJsonDocument::fromJson(r.out);
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    QJsonArray runDue(const QString &asOf) {
        QTest::qWait(1100); // artifact names are unique to the second
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("run-due"), QStringLiteral("--as-of"), asOf});
        if (r.exitCode != 0)
            qWarning("run-due -> %d: %s", r.exitCode, r.err.constData());
        [&] { QCOMPARE(r.exitCode, 0); }();
        [&] { QVERIFY2(!r.err.contains(kRedisPassword.toUtf8()), "the Redis password reached the output"); }();
        return QJsonDocument::fromJson(r.out).array();
    }
    // Records of one source and kind, newest first.
    QList<QJsonObject> records(const QString &source, const QString &kind) {
        QList<QJsonObject> out;
        for (const QJsonValue &v : json({QStringLiteral("list"), QStringLiteral("--profile"), source}).toArray())
            if (v[QStringLiteral("kind")].toString() == kind)
                out << v.toObject();
        return out;
    }
    QJsonObject entryFor(const QJsonArray &report, const QString &schedule) {
        for (const QJsonValue &v : report)
            if (v[QStringLiteral("schedule")].toString() == schedule)
                return v.toObject();
        return {};
    }
    QByteArray redisCli(const QStringList &args) {
        QProcess p;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("REDISCLI_AUTH"), kRedisPassword);
        p.setProcessEnvironment(e);
        p.start(QStringLiteral("redis-cli"), QStringList{QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                                                         QStringLiteral("-p"), QString::number(m_redisPort)} +
                                                 args);
        p.waitForFinished(20000);
        return p.readAllStandardOutput().trimmed();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(QFile::exists(QStringLiteral("/usr/bin/redis-server")), "redis-server is not installed");
        m_home = m_tmp.filePath(QStringLiteral("home"));
        auto r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        // A real directory with a unicode name, a nested file, a symlink and an empty directory.
        const QString dir = m_tmp.filePath(QStringLiteral("uploads"));
        writeFile(dir + QStringLiteral("/avatars/ünï.png"), "avatar bytes");
        writeFile(dir + QStringLiteral("/invoices/2026/1.pdf"), QByteArray(200000, 'x'));
        QDir().mkpath(dir + QStringLiteral("/empty"));
        QVERIFY(QFile::link(QStringLiteral("avatars/ünï.png"), dir + QStringLiteral("/latest.png")));
        r = ctl({QStringLiteral("files"), QStringLiteral("add"), QStringLiteral("web"), QStringLiteral("--path"), dir,
                 QStringLiteral("--storage"), QStringLiteral("disk")});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        // A real redis-server with a password; the password goes to the credential store (redis/cache/password).
        m_redisPort = freePort();
        const QString rdir = m_tmp.filePath(QStringLiteral("redis"));
        QDir().mkpath(rdir);
        m_redis.setProgram(QStringLiteral("/usr/bin/redis-server"));
        m_redis.setArguments({QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                              QString::number(m_redisPort), QStringLiteral("--dir"), rdir, QStringLiteral("--save"),
                              QString(), QStringLiteral("--appendonly"), QStringLiteral("no"),
                              QStringLiteral("--logfile"), rdir + QStringLiteral("/redis.log"),
                              QStringLiteral("--requirepass"), kRedisPassword});
        m_redis.start();
        QVERIFY(m_redis.waitForStarted());
        for (int i = 0; i < 100 && redisCli({QStringLiteral("PING")}) != "PONG"; ++i)
            QThread::msleep(100);
        QCOMPARE(redisCli({QStringLiteral("SET"), QStringLiteral("job:1"), QStringLiteral("queued")}),
                 QByteArray("OK"));
        r = ctl({QStringLiteral("redis"), QStringLiteral("add"), QStringLiteral("cache"), QStringLiteral("--url"),
                 QStringLiteral("redis://127.0.0.1:%1").arg(m_redisPort), QStringLiteral("--password-stdin"),
                 QStringLiteral("--storage"), QStringLiteral("disk")},
                kRedisPassword.toUtf8() + '\n');
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void scheduleAddValidatesTheSource() {
        auto r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--files"),
                      QStringLiteral("nosuch")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("unknown file source \"nosuch\"") && r.err.contains("files add"), r.err.constData());
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--redis"),
                 QStringLiteral("nosuch")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("unknown Redis source \"nosuch\""), r.err.constData());
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--files"),
                 QStringLiteral("web"), QStringLiteral("--redis"), QStringLiteral("cache")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("exactly one source"), r.err.constData());
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(json({QStringLiteral("schedule"), QStringLiteral("list")}).toArray().isEmpty());
    }

    void fileAndRedisSchedulesRunOnce() {
        for (const auto &[name, opt, source] :
             {std::tuple{QStringLiteral("web-nightly"), QStringLiteral("--files"), QStringLiteral("web")},
              std::tuple{QStringLiteral("cache-nightly"), QStringLiteral("--redis"), QStringLiteral("cache")}}) {
            const auto r =
                ctl({QStringLiteral("schedule"), QStringLiteral("add"), name, opt, source, QStringLiteral("--cron"),
                     QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC")});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        QHash<QString, QString> kinds;
        for (const QJsonValue &v : json({QStringLiteral("schedule"), QStringLiteral("list")}).toArray())
            kinds.insert(v[QStringLiteral("name")].toString(), v[QStringLiteral("kind")].toString());
        QCOMPARE(kinds.value(QStringLiteral("web-nightly")), QStringLiteral("files"));
        QCOMPARE(kinds.value(QStringLiteral("cache-nightly")), QStringLiteral("redis"));

        // A plain day (not Sunday, not the 1st) a few days ahead, checked at 01:05: both are due, once each.
        QDate d = QDate::currentDate().addDays(3);
        while (!plainDay(d) || !plainDay(d.addDays(-1)))
            d = d.addDays(1);
        QJsonArray out = runDue(at(d, 1, 5));
        QCOMPARE(out.size(), 2);
        for (const QString &s : {QStringLiteral("web-nightly"), QStringLiteral("cache-nightly")}) {
            const QJsonObject e = entryFor(out, s);
            QVERIFY2(e.value(QStringLiteral("status")).toString() == QLatin1String("COMPLETED"),
                     qPrintable(QStringLiteral("%1: %2").arg(s, e.value(QStringLiteral("message")).toString())));
            QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("DAILY"));
            QVERIFY(e.value(QStringLiteral("recordId")).toInteger() > 0);
        }
        QCOMPARE(entryFor(out, QStringLiteral("web-nightly")).value(QStringLiteral("kind")).toString(),
                 QStringLiteral("files"));
        QList<QJsonObject> files = records(QStringLiteral("web"), QStringLiteral("files"));
        QList<QJsonObject> redis = records(QStringLiteral("cache"), QStringLiteral("redis"));
        QCOMPARE(files.size(), 1);
        QCOMPARE(redis.size(), 1);
        for (const QJsonObject &rec : {files.first(), redis.first()}) {
            QCOMPARE(rec.value(QStringLiteral("type")).toString(), QStringLiteral("DAILY"));
            QCOMPARE(rec.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
            QCOMPARE(rec.value(QStringLiteral("label")).toString().left(9), QStringLiteral("schedule "));
        }
        QCOMPARE(files.first().value(QStringLiteral("id")).toInteger(),
                 entryFor(out, QStringLiteral("web-nightly")).value(QStringLiteral("recordId")).toInteger());
        // The stored archive is the directory (listed with the zstd and tar tools, independent of Lifeboat).
        const QString artifact =
            files.first().value(QStringLiteral("locations")).toArray().first()[QStringLiteral("path")].toString();
        QVERIFY2(artifact.endsWith(QLatin1String(".tar.zst")), qPrintable(artifact));
        const auto listing = TestEnv::run(
            QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("zstd -dc \"$0\" | tar tf -"), artifact});
        QCOMPARE(listing.exitCode, 0);
        for (const char *name : {"avatars/ünï.png", "invoices/2026/1.pdf", "latest.png", "empty/"})
            QVERIFY2(listing.out.contains(name), listing.out.constData());
        // And Lifeboat reads it all back against the manifest (the 200 kB file makes the tar exactly 256 KiB: whole
        // zstd output buffers, once refused as truncated).
        const auto verified = ctl({QStringLiteral("files"), QStringLiteral("verify"),
                                   QString::number(files.first().value(QStringLiteral("id")).toInteger())});
        QVERIFY2(verified.exitCode == 0, verified.err.constData());
        // The RDB came from the server (SYNC) with the password from the credential store: it holds the key.
        const QString rdb =
            redis.first().value(QStringLiteral("locations")).toArray().first()[QStringLiteral("path")].toString();
        const auto rdbBytes =
            TestEnv::run(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("gzip -dc \"$0\""), rdb});
        QCOMPARE(rdbBytes.exitCode, 0);
        QVERIFY(rdbBytes.out.startsWith("REDIS"));
        QVERIFY(rdbBytes.out.contains("job:1") && rdbBytes.out.contains("queued"));

        // The same instant again: nothing is due, nothing new is recorded.
        out = runDue(at(d, 1, 5));
        QCOMPARE(out.size(), 2);
        for (const QJsonValue &e : out)
            QCOMPARE(e[QStringLiteral("status")].toString(), QStringLiteral("not-due"));
        QCOMPARE(records(QStringLiteral("web"), QStringLiteral("files")).size(), 1);
        QCOMPARE(records(QStringLiteral("cache"), QStringLiteral("redis")).size(), 1);

        // Schedules remember their runs.
        for (const QJsonValue &s : json({QStringLiteral("schedule"), QStringLiteral("list")}).toArray())
            QCOMPARE(s[QStringLiteral("lastStatus")].toString(), QStringLiteral("COMPLETED"));
    }

    void restoreRefusesNonDatabaseBackups() {
        const QString filesId = QString::number(
            records(QStringLiteral("web"), QStringLiteral("files")).first().value(QStringLiteral("id")).toInteger());
        const QString redisId = QString::number(
            records(QStringLiteral("cache"), QStringLiteral("redis")).first().value(QStringLiteral("id")).toInteger());
        QVERIFY(filesId != QLatin1String("0") && redisId != QLatin1String("0"));
        // A mirror run (catalogued as the mirror job does) to check its refusal too.
        qint64 mirrorId = 0;
        {
            SqlCatalog cat(QStringLiteral("QSQLITE"), m_home + QStringLiteral("/catalog.sqlite"));
            QString err;
            QVERIFY2(cat.open(&err), qPrintable(err));
            BackupRecord rec;
            rec.kind = QStringLiteral("mirror");
            rec.profile = QStringLiteral("media");
            rec.database = QStringLiteral("media");
            rec.type = QStringLiteral("MANUAL");
            rec.status = BackupRecord::statusCompleted();
            rec.started = QDateTime::currentDateTimeUtc();
            rec.filename = QStringLiteral("media_mirror_run.json");
            QVERIFY2(cat.insert(rec, &err), qPrintable(err));
            mirrorId = rec.id;
        }
        const QStringList target{QStringLiteral("--target"), QStringLiteral("postgresql://127.0.0.1/x"),
                                 QStringLiteral("--target-db"), QStringLiteral("x")};
        // With or without a target, before anything else is checked.
        for (const QStringList &extra : {target, QStringList()}) {
            auto r = ctl(QStringList{QStringLiteral("restore"), filesId} + extra);
            QCOMPARE(r.exitCode, 3);
            QVERIFY2(r.err.contains(QStringLiteral("lifeboatctl files restore %1 --to DIR").arg(filesId).toUtf8()),
                     r.err.constData());
            r = ctl(QStringList{QStringLiteral("restore"), redisId} + extra);
            QCOMPARE(r.exitCode, 3);
            QVERIFY2(r.err.contains("Redis failure") &&
                         r.err.contains(QStringLiteral("lifeboatctl download %1 --to DIR").arg(redisId).toUtf8()),
                     r.err.constData());
            r = ctl(QStringList{QStringLiteral("restore"), QString::number(mirrorId)} + extra);
            QCOMPARE(r.exitCode, 3);
            QVERIFY2(
                r.err.contains(QStringLiteral("lifeboatctl mirror restore %1 --to STORAGE").arg(mirrorId).toUtf8()),
                r.err.constData());
        }
        auto r = ctl({QStringLiteral("verify"), filesId});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(QStringLiteral("lifeboatctl files verify %1").arg(filesId).toUtf8()),
                 r.err.constData());
        // A bare artifact whose manifest says "files" is refused the same way.
        const QJsonObject rec = records(QStringLiteral("web"), QStringLiteral("files")).first();
        const QString path =
            rec.value(QStringLiteral("locations")).toArray().first()[QStringLiteral("path")].toString();
        QVERIFY2(QFile::exists(path), qPrintable(path));
        r = ctl(QStringList{QStringLiteral("restore"), path} + target);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("files restore"), r.err.constData());

        // The restore wizard's engine (RestoreInspector, shared with the CLI's RestoreJob) says the same.
        auto catalog =
            std::make_shared<SqlCatalog>(QStringLiteral("QSQLITE"), m_home + QStringLiteral("/catalog.sqlite"));
        QString err;
        QVERIFY2(catalog->open(&err), qPrintable(err));
        RestoreInspector::Request req;
        req.catalog = catalog;
        req.source = filesId;
        RestoreInspector::Result res = RestoreInspector::inspect(req);
        QCOMPARE(res.error.code, ExitCode::Usage);
        QVERIFY2(res.error.message.contains(QStringLiteral("files restore %1 --to DIR").arg(filesId)),
                 qPrintable(res.error.message));
        req.source = redisId;
        res = RestoreInspector::inspect(req);
        QVERIFY2(res.error.message.contains(QStringLiteral("Redis failure")), qPrintable(res.error.message));
    }

    void retentionGroupsByKindAndSource() {
        // A file source "docs" and a Redis source of the same name (records only): the files schedule's own
        // retention (keep 2 daily, no weekly/monthly) prunes the file backups and leaves the Redis ones alone.
        const QString dir = m_tmp.filePath(QStringLiteral("docs"));
        writeFile(dir + QStringLiteral("/readme.txt"), "docs");
        auto r = ctl({QStringLiteral("files"), QStringLiteral("add"), QStringLiteral("docs"), QStringLiteral("--path"),
                      dir, QStringLiteral("--storage"), QStringLiteral("disk")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("docs-often"),
                 QStringLiteral("--files"), QStringLiteral("docs"), QStringLiteral("--cron"),
                 QStringLiteral("*/5 * * * *"), QStringLiteral("--keep-daily"), QStringLiteral("2"),
                 QStringLiteral("--keep-weekly"), QStringLiteral("0"), QStringLiteral("--keep-monthly"),
                 QStringLiteral("0")});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        const QDateTime now = QDateTime::currentDateTimeUtc().addSecs(20 * 60);
        QHash<QString, QList<qint64>> generated; // kind → ids, index i-1 = i days old
        const QString store = m_tmp.filePath(QStringLiteral("store/gen"));
        QVERIFY(QDir().mkpath(store));
        {
            SqlCatalog cat(QStringLiteral("QSQLITE"), m_home + QStringLiteral("/catalog.sqlite"));
            QString err;
            QVERIFY2(cat.open(&err), qPrintable(err));
            for (const QString &kind : {QStringLiteral("files"), QStringLiteral("redis")}) {
                for (int i = 1; i <= 6; ++i) {
                    BackupRecord rec;
                    rec.kind = kind;
                    rec.profile = QStringLiteral("docs");
                    rec.database = QStringLiteral("docs");
                    rec.type = QStringLiteral("DAILY");
                    rec.status = BackupRecord::statusCompleted();
                    rec.started = now.addDays(-i);
                    rec.finished = rec.started.addSecs(5);
                    rec.filename = QStringLiteral("gen-%1-%2.bin").arg(kind).arg(i);
                    const QString path = store + QLatin1Char('/') + rec.filename;
                    writeFile(path, "x");
                    writeFile(path + QStringLiteral(".manifest.json"), "{}");
                    rec.locations << BackupLocation{QStringLiteral("disk"), QStringLiteral("local"), path,
                                                    path + QStringLiteral(".manifest.json")};
                    QVERIFY2(cat.insert(rec, &err), qPrintable(err));
                    generated[kind] << rec.id;
                }
            }
        }
        const QJsonArray out = runDue(now.toString(Qt::ISODate));
        const QJsonObject e = entryFor(out, QStringLiteral("docs-often"));
        QVERIFY2(e.value(QStringLiteral("status")).toString() == QLatin1String("COMPLETED"),
                 qPrintable(e.value(QStringLiteral("message")).toString()));
        QVERIFY2(e.value(QStringLiteral("pruned")).toInt() >= 4,
                 qPrintable(QString::number(e.value(QStringLiteral("pruned")).toInt())));

        SqlCatalog cat(QStringLiteral("QSQLITE"), m_home + QStringLiteral("/catalog.sqlite"));
        QString err;
        QVERIFY2(cat.open(&err), qPrintable(err));
        // Files: two daily keeps (the new backup and the newest of an earlier day); 3..6 days old are deleted with
        // their files.
        for (int i = 3; i <= 6; ++i) {
            const auto rec = cat.get(generated[QStringLiteral("files")].at(i - 1));
            QCOMPARE(rec->status, BackupRecord::statusDeleted());
            QVERIFY(!QFile::exists(rec->locations.first().path));
        }
        // Redis records of the same name: untouched by the file source's policy.
        for (qint64 id : generated[QStringLiteral("redis")]) {
            const auto rec = cat.get(id);
            QCOMPARE(rec->status, BackupRecord::statusCompleted());
            QVERIFY(QFile::exists(rec->locations.first().path));
        }
        // The new file backup of docs was recorded and kept.
        QCOMPARE(cat.get(e.value(QStringLiteral("recordId")).toInteger())->status, BackupRecord::statusCompleted());

        // `lifeboatctl prune` judges the same way: per kind and name, and never a set member alone. A 10-day-old
        // file backup that belongs to a set is not even listed; the Redis records keep the default policy.
        BackupRecord member;
        member.kind = QStringLiteral("files");
        member.profile = QStringLiteral("docs");
        member.database = QStringLiteral("docs");
        member.type = QStringLiteral("DAILY");
        member.status = BackupRecord::statusCompleted();
        member.setId = QStringLiteral("app-20260101T000000Z");
        member.started = now.addDays(-10);
        member.filename = QStringLiteral("set-member.tar.zst");
        QVERIFY2(cat.insert(member, &err), qPrintable(err));
        const QJsonArray decisions =
            json({QStringLiteral("prune"), QStringLiteral("--dry-run"), QStringLiteral("--profile"),
                  QStringLiteral("docs"), QStringLiteral("--as-of"), now.toString(Qt::ISODate)})
                .toArray();
        int redisSeen = 0;
        for (const QJsonValue &d : decisions) {
            QVERIFY(d[QStringLiteral("id")].toInteger() != member.id);
            if (d[QStringLiteral("kind")].toString() == QLatin1String("redis")) {
                ++redisSeen;
                QCOMPARE(d[QStringLiteral("action")].toString(), QStringLiteral("keep"));
            }
        }
        QCOMPARE(redisSeen, 6);
        QCOMPARE(cat.get(member.id)->status, BackupRecord::statusCompleted());
    }

    void cleanupTestCase() {
        if (m_redis.state() != QProcess::NotRunning) {
            m_redis.terminate();
            if (!m_redis.waitForFinished(5000))
                m_redis.kill();
            m_redis.waitForFinished(2000);
        }
    }
};

QTEST_GUILESS_MAIN(TstScheduleSources)
#include "tst_schedule_sources.moc"
