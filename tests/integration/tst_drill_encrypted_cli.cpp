// Drills of encrypted backups (issue 18, item 1): run-due verifies an age-encrypted backup with a key this
// installation keeps — in the credential store (`keygen --store`) or as an identity file (`keygen --out`), both
// listed in the settings' key list — and a drill of a backup whose identity is kept nowhere fails with a
// verify.failed that names the backup's recipient and where to put the key. Real pg fixture, the encrypted-file
// secret store, a local webhook receiver (tests/support/HttpSink.h), run-due --as-of.
#include "HttpSink.h"
#include "TestEnv.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

class TstDrillEncryptedCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_db;
    HttpSink m_sink;
    QDateTime m_t0;

    // Runs lifeboatctl while this thread's event loop keeps serving the HTTP sink. A binary that cannot be started
    // right now (being relinked in the shared build tree) is tried again for a minute rather than waited on.
    TestEnv::Run ctl(const QStringList &args) {
        for (int attempt = 0;; ++attempt) {
            TestEnv::Run r;
            if (runOnce(args, &r) || attempt >= 30)
                return r;
            QTest::qWait(2000);
        }
    }
    bool runOnce(const QStringList &args, TestEnv::Run *out) {
        QProcess p;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"), QStringLiteral("drill-encrypted-passphrase"));
        p.setProcessEnvironment(e);
        p.setProgram(TestEnv::lifeboatctl());
        p.setArguments(QStringList{QStringLiteral("--home"), m_home} + args);
        QEventLoop loop;
        connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
        connect(&p, &QProcess::errorOccurred, &loop, [&loop](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart)
                loop.quit();
        });
        QTimer::singleShot(240000, &loop, &QEventLoop::quit);
        p.start();
        if (p.state() == QProcess::NotRunning && p.error() == QProcess::FailedToStart)
            return false;
        p.closeWriteChannel();
        loop.exec();
        if (p.error() == QProcess::FailedToStart)
            return false;
        if (p.state() != QProcess::NotRunning) {
            qWarning("lifeboatctl %s did not finish within 240 s", qPrintable(args.join(QLatin1Char(' '))));
            p.kill();
            p.waitForFinished();
        }
        *out = {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
        return true;
    }
    QString recipientOf(const TestEnv::Run &r) {
        return QJsonDocument::fromJson(r.out).object().value(QStringLiteral("recipient")).toString();
    }
    qint64 backup(const QString &profile) {
        QTest::qWait(1100); // artifact names are unique to the second
        const auto r = ctl({QStringLiteral("backup"), profile});
        if (r.exitCode != 0)
            qWarning("%s", r.err.constData());
        const auto list = ctl({QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("--profile"), profile});
        return QJsonDocument::fromJson(list.out).array().first().toObject().value(QStringLiteral("id")).toInteger();
    }
    QJsonObject show(qint64 id) {
        return QJsonDocument::fromJson(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)}).out)
            .object();
    }
    QList<QJsonObject> events(const QString &event) const {
        QList<QJsonObject> out;
        for (const HttpRequest &r : m_sink.requests) {
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
            if (o.value(QStringLiteral("event")).toString() == event)
                out << o;
        }
        return out;
    }
    void addProfile(const QString &name, const QString &recipient) {
        const auto r = ctl({QStringLiteral("profile"), QStringLiteral("add"), name, QStringLiteral("--conninfo"),
                            TestEnv::pgConninfo(m_db), QStringLiteral("--storage"), QStringLiteral("disk"),
                            QStringLiteral("--recipient"), recipient});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    void addDrill(const QString &name, const QString &profile) {
        const auto r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), name, QStringLiteral("--verify"),
                            QStringLiteral("--profile"), profile, QStringLiteral("--tz"), QStringLiteral("UTC")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    TestEnv::Run runDue(const QString &schedule, qint64 secondsAfterStart) {
        return ctl({QStringLiteral("run-due"), QStringLiteral("--schedule"), schedule, QStringLiteral("--as-of"),
                    m_t0.addSecs(secondsAfterStart).toString(Qt::ISODate)});
    }

private slots:
    void initTestCase() {
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture must be running");
        QVERIFY(m_sink.listen());
        m_db = QStringLiteral("lb_drillenc_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE customers (id int PRIMARY KEY, name text);"
                                           "INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 300) g"));
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_t0 = QDateTime::currentDateTimeUtc();
        for (const QStringList &args :
             QList<QStringList>{{QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")},
                                {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                                 QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))},
                                {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("ops"),
                                 QStringLiteral("--webhook"), QStringLiteral("http://127.0.0.1:%1/").arg(m_sink.port()),
                                 QStringLiteral("--on"), QStringLiteral("always")}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0,
                     qPrintable(args.join(QLatin1Char(' ')) + QLatin1String(": ") + QString::fromUtf8(r.err)));
        }
    }
    void cleanupTestCase() {
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_db));
    }

    void keyInTheCredentialStorePasses() {
        const auto key = ctl(
            {QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--store"), QStringLiteral("shopkey")});
        QVERIFY2(key.exitCode == 0, key.err.constData());
        const QString recipient = recipientOf(key);
        QVERIFY(recipient.startsWith(QLatin1String("age1")));
        addProfile(QStringLiteral("shop"), recipient);
        const qint64 id = backup(QStringLiteral("shop"));
        QVERIFY(id > 0);
        QVERIFY(show(id).value(QStringLiteral("encrypted")).toBool());
        addDrill(QStringLiteral("shop-drill"), QStringLiteral("shop"));
        const auto r = runDue(QStringLiteral("shop-drill"), 8 * 86400);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(show(id).value(QStringLiteral("verifyOutcome")).toString() == QLatin1String("PASSED"),
                 r.err.constData());
        QCOMPARE(events(QStringLiteral("verify.passed")).size(), 1);
    }

    void identityFilePasses() {
        const QString file = m_tmp.filePath(QStringLiteral("crm.key"));
        const auto key = ctl({QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--out"), file});
        QVERIFY2(key.exitCode == 0, key.err.constData());
        addProfile(QStringLiteral("crm"), recipientOf(key));
        const qint64 id = backup(QStringLiteral("crm"));
        QVERIFY(id > 0);
        addDrill(QStringLiteral("crm-drill"), QStringLiteral("crm"));
        const auto r = runDue(QStringLiteral("crm-drill"), 8 * 86400);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(show(id).value(QStringLiteral("verifyOutcome")).toString() == QLatin1String("PASSED"),
                 r.err.constData());
    }

    void missingIdentityFailsByName() {
        // A key printed and not kept: this installation cannot open the backup.
        const auto key = ctl({QStringLiteral("--json"), QStringLiteral("keygen")});
        QVERIFY2(key.exitCode == 0, key.err.constData());
        const QString recipient = recipientOf(key);
        addProfile(QStringLiteral("lost"), recipient);
        const qint64 id = backup(QStringLiteral("lost"));
        QVERIFY(id > 0);
        addDrill(QStringLiteral("lost-drill"), QStringLiteral("lost"));
        const auto r = runDue(QStringLiteral("lost-drill"), 8 * 86400);
        QVERIFY2(r.exitCode != 0, r.err.constData());
        const QList<QJsonObject> failed = events(QStringLiteral("verify.failed"));
        QCOMPARE(failed.size(), 1);
        const QString text = failed.first().value(QStringLiteral("text")).toString();
        QVERIFY2(text.contains(recipient), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("no identity for it is available")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("keygen --store")), qPrintable(text));
        QVERIFY2(r.err.contains(recipient.toUtf8()), r.err.constData());
        QVERIFY(show(id).value(QStringLiteral("verifyOutcome")).toString() != QLatin1String("PASSED"));
    }
};

QTEST_GUILESS_MAIN(TstDrillEncryptedCli)
#include "tst_drill_encrypted_cli.moc"
