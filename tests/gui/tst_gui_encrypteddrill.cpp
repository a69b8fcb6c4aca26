// The app's schedule runner drills encrypted backups (issue 18 item 1): TrayScheduleRunner → SourceJobBuilder reads
// the keys this installation keeps (DrillIdentities, the settings' key list) for the backup's recipients and hands
// them to the VerifyJob; without one the drill fails before it starts, naming the recipient. Real backups of a real
// database on the pg fixture made with lifeboatctl; time pinned with the runner's clock.
#include "HttpSink.h"
#include "TestEnv.h"

#include "catalog/Catalog.h"
#include "ui/AppContext.h"
#include "ui/tray/TrayScheduleRunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestGuiEncryptedDrill : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home, m_db;
    HttpSink m_sink; // the webhook channel: a drill's verify.* text, with the reason

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args); }
    QString keygen(const QStringList &extra) {
        const auto r = ctl(QStringList{QStringLiteral("--json"), QStringLiteral("keygen")} + extra);
        return QJsonDocument::fromJson(r.out).object().value(QStringLiteral("recipient")).toString();
    }
    // A profile encrypting to `recipient`, one backup of it and a drill of it; the backup's id.
    qint64 setUp(const QString &profile, const QString &recipient) {
        if (ctl({QStringLiteral("profile"), QStringLiteral("add"), profile, QStringLiteral("--conninfo"),
                 TestEnv::pgConninfo(m_db), QStringLiteral("--storage"), QStringLiteral("disk"),
                 QStringLiteral("--recipient"), recipient})
                .exitCode != 0)
            return 0;
        QTest::qWait(1100); // artifact names are unique to the second
        if (ctl({QStringLiteral("backup"), profile}).exitCode != 0)
            return 0;
        if (ctl({QStringLiteral("schedule"), QStringLiteral("add"), profile + QStringLiteral("-drill"),
                 QStringLiteral("--verify"), QStringLiteral("--profile"), profile, QStringLiteral("--tz"),
                 QStringLiteral("UTC")})
                .exitCode != 0)
            return 0;
        const auto list = ctl({QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("--profile"), profile});
        return QJsonDocument::fromJson(list.out).array().first().toObject().value(QStringLiteral("id")).toInteger();
    }
    // One pass of the app's runner a week later (the drill's weekly fire time is owed); the run's end.
    QList<QVariant> drill(const QString &schedule, QString *told) {
        AppContext ctx(m_home);
        QString err;
        if (!ctx.open(&err))
            return {};
        TrayScheduleRunner runner(&ctx);
        runner.setClock([] { return QDateTime::currentDateTimeUtc().addDays(8); });
        QSignalSpy finished(&runner, &TrayScheduleRunner::runFinished);
        QSignalSpy desktop(&runner, &TrayScheduleRunner::desktopNotification);
        runner.checkNow();
        for (int i = 0; i < 1200 && finished.isEmpty(); ++i)
            QTest::qWait(100);
        QTest::qWait(300);
        for (const QList<QVariant> &d : std::as_const(desktop))
            *told += d.at(1).toString() + QLatin1Char('\n');
        for (const QList<QVariant> &f : std::as_const(finished))
            if (f.at(0).toString() == schedule)
                return f;
        return {};
    }

private slots:
    void initTestCase() {
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture must be running");
        m_db = QStringLiteral("lb_guidrill_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT "
                                           "generate_series(1, 200)"));
        m_home = m_tmp.filePath(QStringLiteral("home"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))})
                     .exitCode,
                 0);
        QVERIFY(m_sink.listen());
        QCOMPARE(ctl({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("ops"),
                      QStringLiteral("--webhook"), QStringLiteral("http://127.0.0.1:%1/").arg(m_sink.port()),
                      QStringLiteral("--on"), QStringLiteral("always")})
                     .exitCode,
                 0);
    }
    void cleanupTestCase() {
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_db));
    }

    void keptIdentityFileOpensTheBackup() {
        const QString recipient = keygen({QStringLiteral("--out"), m_tmp.filePath(QStringLiteral("kept.key"))});
        QVERIFY(recipient.startsWith(QLatin1String("age1")));
        const qint64 id = setUp(QStringLiteral("kept"), recipient);
        QVERIFY(id > 0);
        QString told;
        const QList<QVariant> run = drill(QStringLiteral("kept-drill"), &told);
        QVERIFY2(!run.isEmpty(), qPrintable(told));
        QVERIFY2(run.at(1).toString() == QLatin1String("COMPLETED"), qPrintable(told));
        AppContext ctx(m_home);
        QString err;
        QVERIFY(ctx.open(&err));
        QCOMPARE(ctx.catalog()->get(id)->verifyOutcome, QStringLiteral("PASSED"));
    }

    void noKeptKeyFailsByName() {
        const QString recipient = keygen({}); // printed, kept nowhere
        QVERIFY(recipient.startsWith(QLatin1String("age1")));
        const qint64 id = setUp(QStringLiteral("lost"), recipient);
        QVERIFY(id > 0);
        QString told;
        const QList<QVariant> run = drill(QStringLiteral("lost-drill"), &told);
        QVERIFY2(!run.isEmpty(), qPrintable(told));
        QCOMPARE(run.at(1).toString(), QStringLiteral("FAILED"));
        QString failed;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const HttpRequest &r : std::as_const(m_sink.requests)) {
                    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
                    if (o.value(QStringLiteral("event")).toString() == QLatin1String("verify.failed"))
                        failed = QString::fromUtf8(r.body);
                }
                return !failed.isEmpty();
            }(),
            10000);
        QVERIFY2(failed.contains(recipient), qPrintable(failed));
    }
};

QTEST_MAIN(TestGuiEncryptedDrill)
#include "tst_gui_encrypteddrill.moc"
