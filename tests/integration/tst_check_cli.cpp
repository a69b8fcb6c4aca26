// lifeboatctl check end to end: real backups of a database on the pg fixture, a real failed attempt (a closed
// port), a real failed verification (a damaged artifact), time moved with --as-of. Asserts the Nagios exit status,
// the one-line text, the JSON figures and the Prometheus textfile parsed back.
#include "TestEnv.h"

#include "ops/HealthCheck.h"
#include "ops/PrometheusTextfile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TstCheckCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QHash<QString, QString> m_pg;
    QString m_db;
    QString m_home;

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args); }
    QString conninfo(const QString &port) const {
        return QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
            .arg(m_pg.value(QStringLiteral("PG_HOST")), port, m_db);
    }
    static QString in(qint64 seconds) { return QDateTime::currentDateTimeUtc().addSecs(seconds).toString(Qt::ISODate); }
    // check --json for one source at a moment; returns that source's object and the exit status.
    QJsonObject check(const QString &source, const QString &asOf, int *status) {
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("check"), QStringLiteral("--profile"), source,
                            QStringLiteral("--as-of"), asOf});
        *status = r.exitCode;
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        for (const QJsonValue &v : doc.value(QStringLiteral("sources")).toArray()) {
            if (v.toObject().value(QStringLiteral("source")).toString() == source)
                return v.toObject();
        }
        return {};
    }
    qint64 lastBackupId(const QString &profile) {
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("--profile"), profile,
                            QStringLiteral("--limit"), QStringLiteral("1")});
        return QJsonDocument::fromJson(r.out).array().first().toObject().value(QStringLiteral("id")).toInteger();
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        QVERIFY2(!m_pg.isEmpty(), "the pg fixture must be running");
        m_db = QStringLiteral("lb_check_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE t AS SELECT g FROM generate_series(1, 500) g"));
        m_home = m_tmp.filePath(QStringLiteral("home"));
    }
    void cleanupTestCase() {
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_db));
    }

    void periodsComeFromTheCron() {
        const QDateTime now(QDate(2026, 12, 2), QTime(12, 0), QTimeZone::utc()); // a Wednesday
        ScheduleRecord s;
        s.timeZone = QStringLiteral("UTC");
        s.cron = QStringLiteral("0 * * * *");
        QCOMPARE(HealthCheck::periodSeconds(s, now), 3600);
        s.cron = QStringLiteral("30 2 * * *");
        QCOMPARE(HealthCheck::periodSeconds(s, now), 86400);
        s.cron = QStringLiteral("0 1 * * 1-5"); // the weekend gap is the period: no alarm on Sunday
        QCOMPARE(HealthCheck::periodSeconds(s, now), 3 * 86400);
        s.cron = QStringLiteral("0 3 1 * *");
        QCOMPARE(HealthCheck::periodSeconds(s, now), 31 * 86400);
        s.cron = QStringLiteral("not a cron");
        QCOMPARE(HealthCheck::periodSeconds(s, now), -1);
    }

    void labelsAreEscaped() {
        QCOMPARE(PrometheusTextfile::escapeLabel(QStringLiteral("a\"b\\c\nd")), QStringLiteral("a\\\"b\\\\c\\nd"));
    }

    void nothingToCheckIsUnknown() {
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--conninfo"),
                 conninfo(m_pg.value(QStringLiteral("PG_PORT"))), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        // A profile with neither schedule nor backup (a restore target, say) is listed but never alarms.
        const auto r = ctl({QStringLiteral("check")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.startsWith("UNKNOWN nothing to check"), r.out.constData());
        QVERIFY2(r.out.contains("not monitored"), r.out.constData());
        // Named, it is checked: no backup at all is critical.
        int status = -1;
        const QJsonObject o = check(QStringLiteral("shop"), in(0), &status);
        QCOMPARE(status, 2);
        QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("CRITICAL"));
    }

    void ageAgainstTheSchedule() {
        QCOMPARE(ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("nightly"),
                      QStringLiteral("--profile"), QStringLiteral("shop"), QStringLiteral("--cron"),
                      QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC")})
                     .exitCode,
                 0);
        int status = -1;
        // A schedule just added has its first period before a missing backup alarms.
        QJsonObject o = check(QStringLiteral("shop"), in(60), &status);
        QCOMPARE(status, 0);
        QVERIFY(
            o.value(QStringLiteral("reasons")).toArray().first().toString().contains(QStringLiteral("no backup yet")));
        const auto b = ctl({QStringLiteral("backup"), QStringLiteral("shop")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const qint64 id = lastBackupId(QStringLiteral("shop"));

        o = check(QStringLiteral("shop"), in(30 * 3600), &status);
        QCOMPARE(status, 0);
        QCOMPARE(o.value(QStringLiteral("periodSeconds")).toInteger(), 86400);
        QCOMPARE(o.value(QStringLiteral("warningSeconds")).toInteger(), 2 * 86400);
        QCOMPARE(o.value(QStringLiteral("criticalSeconds")).toInteger(), 4 * 86400);
        QCOMPARE(o.value(QStringLiteral("newestGood")).toObject().value(QStringLiteral("id")).toInteger(), id);
        QVERIFY(qAbs(o.value(QStringLiteral("ageSeconds")).toInteger() - 30 * 3600) < 120);

        o = check(QStringLiteral("shop"), in(3 * 86400), &status);
        QCOMPARE(status, 1);
        QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("WARNING"));
        o = check(QStringLiteral("shop"), in(5 * 86400), &status);
        QCOMPARE(status, 2);

        // The text form: one line, state first, the next step in it.
        const auto text = ctl({QStringLiteral("check"), QStringLiteral("--as-of"), in(3 * 86400)});
        QCOMPARE(text.exitCode, 1);
        QVERIFY2(text.out.startsWith("WARNING database shop: newest good backup #"), text.out.constData());
        QVERIFY2(text.out.contains("schedule install"), text.out.constData());

        // Explicit thresholds win over the schedule's.
        const auto strict =
            ctl({QStringLiteral("check"), QStringLiteral("--warning"), QStringLiteral("1h"),
                 QStringLiteral("--critical"), QStringLiteral("2h"), QStringLiteral("--as-of"), in(90 * 60)});
        QCOMPARE(strict.exitCode, 1);
        QCOMPARE(ctl({QStringLiteral("check"), QStringLiteral("--warning"), QStringLiteral("soon")}).exitCode, 3);
    }

    void failedAttemptWarns() {
        // A second profile on a closed port: its backup fails for real and leaves a FAILED record.
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("gone"), QStringLiteral("--conninfo"),
                 conninfo(QStringLiteral("1")), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        QVERIFY(ctl({QStringLiteral("backup"), QStringLiteral("gone")}).exitCode != 0);
        int status = -1;
        const QJsonObject o = check(QStringLiteral("gone"), in(0), &status);
        QCOMPARE(status, 2); // never a good backup
        QCOMPARE(o.value(QStringLiteral("failuresSinceGood")).toInt(), 1);
        QVERIFY(
            o.value(QStringLiteral("reasons")).toArray().at(1).toString().startsWith(QStringLiteral("last attempt #")));
    }

    void failedVerificationIsCritical() {
        const auto b = ctl({QStringLiteral("backup"), QStringLiteral("shop")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const qint64 id = lastBackupId(QStringLiteral("shop"));
        const auto show = ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)});
        const QString path = QJsonDocument::fromJson(show.out)
                                 .object()
                                 .value(QStringLiteral("locations"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QStringLiteral("path"))
                                 .toString();
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() / 2);
        f.write(QByteArray(16, '\0'));
        f.close();
        QCOMPARE(ctl({QStringLiteral("verify"), QString::number(id)}).exitCode, 4);
        int status = -1;
        const QJsonObject o = check(QStringLiteral("shop"), in(0), &status);
        QCOMPARE(status, 2);
        QCOMPARE(o.value(QStringLiteral("lastVerifyOutcome")).toString(), QStringLiteral("FAILED"));
        QCOMPARE(o.value(QStringLiteral("lastVerifiedBackupId")).toInteger(), id);
        // The damaged backup is not the newest good one any more: the earlier backup is.
        QVERIFY(o.value(QStringLiteral("newestGood")).toObject().value(QStringLiteral("id")).toInteger() < id);
    }

    void pausedScheduleWarns() {
        QCOMPARE(ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("nightly"),
                      QStringLiteral("--profile"), QStringLiteral("shop"), QStringLiteral("--cron"),
                      QStringLiteral("0 1 * * *"), QStringLiteral("--tz"), QStringLiteral("UTC"),
                      QStringLiteral("--disabled"), QStringLiteral("--replace")})
                     .exitCode,
                 0);
        const auto r = ctl({QStringLiteral("check"), QStringLiteral("--profile"), QStringLiteral("shop")});
        QVERIFY2(r.out.contains("schedule nightly is paused"), r.out.constData());
    }

    void prometheusTextfile() {
        const QString dir = m_tmp.filePath(QStringLiteral("textfile"));
        QVERIFY(QDir().mkpath(dir));
        const QString prom = dir + QStringLiteral("/lifeboat.prom");
        QFile old(prom);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("stale\n");
        old.close();
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("check"), QStringLiteral("--prometheus"), prom});
        const QJsonArray sources = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("sources")).toArray();
        QVERIFY(!sources.isEmpty());
        QCOMPARE(QDir(dir).entryList(QDir::Files), QStringList{QStringLiteral("lifeboat.prom")}); // no temp left
        QFile f(prom);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY(!text.contains(QStringLiteral("stale")));
        // Every line is a comment or a well-formed sample; every family has HELP and TYPE.
        const QRegularExpression sample(
            QStringLiteral("^([a-z_]+)(\\{profile=\"([^\"\\\\]*)\",kind=\"([a-z]+)\"\\})? (-?[0-9.]+)$"));
        QHash<QString, double> values; // "family/source" -> value
        QSet<QString> typed;
        for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            if (line.startsWith(QLatin1String("# TYPE "))) {
                typed << line.section(QLatin1Char(' '), 2, 2);
                QVERIFY(line.endsWith(QLatin1String(" gauge")));
                continue;
            }
            if (line.startsWith(QLatin1String("# HELP ")))
                continue;
            const auto m = sample.match(line);
            QVERIFY2(m.hasMatch(), qPrintable(line));
            QVERIFY2(typed.contains(m.captured(1)), qPrintable(line));
            values.insert(m.captured(1) + QLatin1Char('/') + m.captured(3), m.captured(5).toDouble());
        }
        for (const QJsonValue &v : sources) {
            const QJsonObject o = v.toObject();
            if (!o.value(QStringLiteral("monitored")).toBool())
                continue;
            const QString src = o.value(QStringLiteral("source")).toString();
            QCOMPARE(values.value(QStringLiteral("lifeboat_check_status/") + src, -1),
                     double(o.value(QStringLiteral("status")).toInt()));
            if (o.contains(QStringLiteral("newestGood"))) {
                const QJsonObject good = o.value(QStringLiteral("newestGood")).toObject();
                QCOMPARE(values.value(QStringLiteral("lifeboat_last_success_size_bytes/") + src, -1),
                         double(good.value(QStringLiteral("size")).toInteger()));
                const double finished =
                    QDateTime::fromString(good.value(QStringLiteral("finished")).toString(), Qt::ISODate)
                        .toSecsSinceEpoch();
                QVERIFY(qAbs(values.value(QStringLiteral("lifeboat_last_success_timestamp_seconds/") + src) -
                             finished) < 1.0);
            }
        }
        QCOMPARE(values.value(QStringLiteral("lifeboat_last_verify_passed/shop"), -1), 0.0);
        QVERIFY(values.contains(QStringLiteral("lifeboat_check_timestamp_seconds/")));
    }
};

QTEST_GUILESS_MAIN(TstCheckCli)
#include "tst_check_cli.moc"
