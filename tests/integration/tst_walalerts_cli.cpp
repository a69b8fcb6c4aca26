// Alerts for continuous WAL capture (issue 17 item 6, issue 18 item 2), end to end: a throwaway cluster streams
// through `lifeboatctl wal receive --partial-upload 2 --warn-retained 20` into a local storage:
//  - an idle server with its receiver running is no lag, long past the 4 s limit: the receiver confirms that
//    storage holds all it received (nothing told); then the receiver stops;
//  - the server writes on without it: its slot holds more than 20 MiB → wal.slot, told once;
//  - the archive lags with finished segments on the server and no receiver → wal.lag, told once however often
//    run-due looks (at real time, ten minutes later with --as-of), and `check` shows the lag (JSON, text, Prometheus);
//  - a later segment pushed with `wal push` past a missing one → wal.gap naming the missing segment, told once.
// Every alert reaches a real webhook (tests/support/HttpSink.h) and says what to do next.
#include "HttpSink.h"
#include "TestEnv.h"
#include "WalTestCluster.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>

class TstWalAlertsCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    HttpSink m_sink;
    std::unique_ptr<WalTestCluster> m_cluster;
    std::unique_ptr<QProcess> m_receiver;

    // Runs lifeboatctl while this thread's event loop serves the webhook sink.
    TestEnv::Run ctl(const QStringList &args) {
        QProcess p;
        p.setProgram(TestEnv::lifeboatctl());
        p.setArguments(QStringList{QStringLiteral("--home"), m_home} + args);
        QEventLoop loop;
        connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        p.start();
        p.closeWriteChannel();
        loop.exec();
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
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
    int walEvents() const {
        return int(events(QStringLiteral("wal.lag")).size() + events(QStringLiteral("wal.gap")).size() +
                   events(QStringLiteral("wal.slot")).size());
    }
    QJsonObject walStatus() {
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("status"),
                            QStringLiteral("walp"), QStringLiteral("--no-server")});
        return QJsonDocument::fromJson(r.out).object();
    }
    QString lastStored() {
        const QJsonArray t = walStatus().value(QStringLiteral("timelines")).toArray();
        return t.isEmpty() ? QString() : t.last().toObject().value(QStringLiteral("last")).toString();
    }
    static QString plus(const QString &segment, int n) {
        // Small clusters: the low 8 hex digits never wrap here.
        return segment.left(16) +
               QStringLiteral("%1").arg(segment.mid(16).toUInt(nullptr, 16) + n, 8, 16, QLatin1Char('0')).toUpper();
    }
    QString currentSegment() { return m_cluster->sql(QStringLiteral("SELECT pg_walfile_name(pg_current_wal_lsn())")); }
    static QString in(int seconds) { return QDateTime::currentDateTimeUtc().addSecs(seconds).toString(Qt::ISODate); }

private slots:
    void initTestCase() {
        QVERIFY(m_sink.listen());
        QFile::setPermissions(m_tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                                QFileDevice::ExeGroup | QFileDevice::ExeOther);
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_cluster = std::make_unique<WalTestCluster>(m_tmp.filePath(QStringLiteral("cluster")));
        QString why;
        QVERIFY2(m_cluster->start({}, QProcessEnvironment::systemEnvironment(), &why), qPrintable(why));
        for (const QStringList &args : QList<QStringList>{
                 {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"), QStringLiteral("--local"),
                  m_tmp.filePath(QStringLiteral("store"))},
                 {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("walp"),
                  QStringLiteral("--conninfo"), m_cluster->conninfo(), QStringLiteral("--storage"),
                  QStringLiteral("disk")},
                 {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("ops"), QStringLiteral("--webhook"),
                  QStringLiteral("http://127.0.0.1:%1/").arg(m_sink.port())}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        m_cluster->sql(QStringLiteral("CREATE TABLE t (id serial, v text)"));
    }
    void cleanupTestCase() {
        if (m_receiver && m_receiver->state() != QProcess::NotRunning) {
            m_receiver->kill();
            m_receiver->waitForFinished();
        }
        if (m_cluster)
            m_cluster->stop();
    }

    void idleServerIsNoLag() {
        // No WAL in the catalog yet: no capture to judge.
        QVERIFY2(ctl({QStringLiteral("run-due")}).exitCode == 0, "run-due");
        QCOMPARE(walEvents(), 0);

        m_receiver = std::make_unique<QProcess>();
        m_receiver->setProcessChannelMode(QProcess::MergedChannels);
        m_receiver->start(TestEnv::lifeboatctl(),
                          {QStringLiteral("--home"), m_home, QStringLiteral("wal"), QStringLiteral("receive"),
                           QStringLiteral("walp"), QStringLiteral("--partial-upload"), QStringLiteral("2"),
                           QStringLiteral("--warn-retained"), QStringLiteral("20")});
        QVERIFY(m_receiver->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_cluster->sql(QStringLiteral("SELECT count(*) FROM pg_replication_slots WHERE "
                                                               "slot_name = 'lifeboat_walp' AND active")) ==
                                     QLatin1String("1"),
                                 30000);
        m_cluster->sql(QStringLiteral("INSERT INTO t (v) VALUES ('one')"));
        const QString first = currentSegment();
        m_cluster->sql(QStringLiteral("SELECT pg_switch_wal()"));
        QTRY_VERIFY2_WITH_TIMEOUT(lastStored() == first, m_receiver->readAll().constData(), 60000);
        // The receiver recorded what it runs with (the limits run-due judges by) and confirms it is current.
        const QString recorded = m_home + QStringLiteral("/wal-spool/walp.receiver.json");
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(recorded), 10000);
        // Idle for more than twice the limit, the newest stored WAL ageing: no lag.
        QTest::qWait(10000);
        auto r = ctl({QStringLiteral("run-due")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(!r.err.contains("wal.lag"), r.err.constData());
        QCOMPARE(events(QStringLiteral("wal.lag")).size(), 0);
        QVERIFY2(walStatus().value(QStringLiteral("lagSeconds")).toInteger() >= 8, "the archive did not age");

        ::kill(static_cast<pid_t>(m_receiver->processId()), SIGTERM);
        QVERIFY(m_receiver->waitForFinished(60000));
        QCOMPARE(m_receiver->exitCode(), 0);
    }

    void slotOverLimitToldOnce() {
        // The server writes on without its receiver: three finished segments held by the slot.
        for (int i = 0; i < 3; ++i) {
            m_cluster->sql(QStringLiteral("INSERT INTO t (v) VALUES ('more')"));
            m_cluster->sql(QStringLiteral("SELECT pg_switch_wal()"));
        }
        m_cluster->sql(QStringLiteral("INSERT INTO t (v) VALUES ('after')"));
        auto r = ctl({QStringLiteral("run-due")});
        QVERIFY2(r.err.contains("wal.slot"), r.err.constData());
        QCOMPARE(events(QStringLiteral("wal.slot")).size(), 1);
        const QJsonObject alert = events(QStringLiteral("wal.slot")).first();
        QCOMPARE(alert.value(QStringLiteral("profile")).toString(), QStringLiteral("walp"));
        QCOMPARE(alert.value(QStringLiteral("slot")).toString(), QStringLiteral("lifeboat_walp"));
        QCOMPARE(alert.value(QStringLiteral("limitBytes")).toInteger(), qint64(20) << 20);
        QVERIFY(alert.value(QStringLiteral("retainedBytes")).toInteger() > (qint64(20) << 20));
        QVERIFY(!alert.value(QStringLiteral("active")).toBool());
        QVERIFY2(alert.value(QStringLiteral("text")).toString().contains(QStringLiteral("Next: start or fix")),
                 qPrintable(alert.value(QStringLiteral("text")).toString()));
        ctl({QStringLiteral("run-due")});
        ctl({QStringLiteral("run-due")});
        QCOMPARE(events(QStringLiteral("wal.slot")).size(), 1);
    }

    void lagToldOnceAndChecked() {
        // The receiver stopped while the server wrote: past the limit, a lag (told now or already by the runs above).
        QTest::qWait(4500);
        ctl({QStringLiteral("run-due")});
        auto r = ctl({QStringLiteral("run-due"), QStringLiteral("--as-of"), in(600)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(events(QStringLiteral("wal.lag")).size(), 1);
        const QJsonObject alert = events(QStringLiteral("wal.lag")).first();
        QCOMPARE(alert.value(QStringLiteral("profile")).toString(), QStringLiteral("walp"));
        QCOMPARE(alert.value(QStringLiteral("lagLimitSeconds")).toInteger(), 4); // twice --partial-upload 2
        QVERIFY(alert.value(QStringLiteral("lagSeconds")).toInteger() > 4);
        QVERIFY(alert.value(QStringLiteral("segmentsNotArchived")).toInteger() >= 3);
        QVERIFY2(alert.value(QStringLiteral("text")).toString().contains(QStringLiteral("Next: make sure")),
                 qPrintable(alert.value(QStringLiteral("text")).toString()));
        ctl({QStringLiteral("run-due"), QStringLiteral("--as-of"), in(660)});
        ctl({QStringLiteral("run-due"), QStringLiteral("--as-of"), in(720)});
        QCOMPARE(events(QStringLiteral("wal.lag")).size(), 1);
        QCOMPARE(events(QStringLiteral("wal.slot")).size(), 1);

        // check: the capture lag as a figure and a state (10 min > twice the 2 min limit: CRITICAL).
        const QString prom = m_tmp.filePath(QStringLiteral("lifeboat.prom"));
        r = ctl({QStringLiteral("--json"), QStringLiteral("check"), QStringLiteral("--profile"), QStringLiteral("walp"),
                 QStringLiteral("--as-of"), in(600), QStringLiteral("--prometheus"), prom});
        QCOMPARE(r.exitCode, 2);
        const QJsonObject source =
            QJsonDocument::fromJson(r.out).object().value(QStringLiteral("sources")).toArray().first().toObject();
        const QJsonObject capture = source.value(QStringLiteral("capture")).toObject();
        QVERIFY2(capture.value(QStringLiteral("lagging")).toBool(), r.out.constData());
        QVERIFY(capture.value(QStringLiteral("lagSeconds")).toInteger() >= 590);
        QCOMPARE(capture.value(QStringLiteral("lagLimitSeconds")).toInteger(), 4);
        QVERIFY2(r.out.contains("WAL capture lags") && r.out.contains("slot lifeboat_walp holds"), r.out.constData());
        QFile f(prom);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(text.contains("lifeboat_wal_capture_lagging{profile=\"walp\",kind=\"database\"} 1"), text.constData());
        QVERIFY2(text.contains("lifeboat_wal_capture_lag_seconds{profile=\"walp\""), text.constData());
        r = ctl({QStringLiteral("check"), QStringLiteral("--profile"), QStringLiteral("walp")});
        QVERIFY2(r.out.contains("capture lag"), r.out.constData());
    }

    void gapNamedOnce() {
        const QString last = lastStored();
        QVERIFY(!last.isEmpty());
        const QString skipped = plus(last, 1);
        const QString pushed = plus(last, 2);
        QVERIFY2(currentSegment() > pushed, qPrintable(currentSegment()));
        auto r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("walp"),
                      m_cluster->dataDir() + QStringLiteral("/pg_wal/") + pushed});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("run-due")});
        QVERIFY2(r.err.contains("wal.gap"), r.err.constData());
        QCOMPARE(events(QStringLiteral("wal.gap")).size(), 1);
        const QJsonObject alert = events(QStringLiteral("wal.gap")).first();
        QCOMPARE(alert.value(QStringLiteral("missing")).toArray().first().toString(), skipped);
        QCOMPARE(alert.value(QStringLiteral("missingCount")).toInteger(), 1);
        const QString text = alert.value(QStringLiteral("text")).toString();
        QVERIFY2(text.contains(skipped) && text.contains(QStringLiteral("Next: push the segments")), qPrintable(text));
        ctl({QStringLiteral("run-due")});
        ctl({QStringLiteral("run-due")});
        QCOMPARE(events(QStringLiteral("wal.gap")).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TstWalAlertsCli)
#include "tst_walalerts_cli.moc"
