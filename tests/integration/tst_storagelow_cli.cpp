// storage.low end to end (issue 18, part 2): a local storage whose file system's free space is under its
// threshold is told to a real webhook (tests/support/HttpSink.h) by run-due once per crossing. The crossing is made
// real by the threshold, not by filling a disk: 100% of the file system is always more than is free, 1K is
// always less. A bad threshold is refused and nothing is saved; an S3 storage takes none.
#include "HttpSink.h"
#include "TestEnv.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

class TstStorageLowCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    HttpSink m_sink;

    TestEnv::Run ctl(const QStringList &args) {
        QProcess p;
        p.setProgram(TestEnv::lifeboatctl());
        p.setArguments(QStringList{QStringLiteral("--home"), m_home} + args);
        QEventLoop loop;
        connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        p.start();
        p.closeWriteChannel();
        loop.exec();
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }
    QList<QJsonObject> lows() const {
        QList<QJsonObject> out;
        for (const HttpRequest &r : m_sink.requests) {
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
            if (o.value(QStringLiteral("event")).toString() == QLatin1String("storage.low"))
                out << o;
        }
        return out;
    }
    void setThreshold(const QString &spec) {
        const auto r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk"),
                            QStringLiteral("--alert-free-below"), spec});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_sink.listen());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        for (const QStringList &args : QList<QStringList>{
                 {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"), QStringLiteral("--local"),
                  m_tmp.filePath(QStringLiteral("store"))},
                 {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("ops"), QStringLiteral("--webhook"),
                  QStringLiteral("http://127.0.0.1:%1/").arg(m_sink.port())}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
    }

    void badThresholdsAreRefused() {
        auto r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk"),
                      QStringLiteral("--alert-free-below"), QStringLiteral("lots")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("500M, 20G, 1T"), r.err.constData());
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk"),
                 QStringLiteral("--alert-free-below"), QStringLiteral("150%")});
        QCOMPARE(r.exitCode, 3);
        r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--bucket"),
                 QStringLiteral("b"), QStringLiteral("--alert-free-below"), QStringLiteral("5%")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(!ctl({QStringLiteral("storage"), QStringLiteral("list")}).out.contains("bucket"));
        // The default (5 %) does not fire on this machine's disk, or the rest of this test means nothing.
        QVERIFY2(ctl({QStringLiteral("run-due")}).exitCode == 0, "run-due");
        QCOMPARE(lows().size(), 0);
    }

    void toldOncePerCrossing() {
        setThreshold(QStringLiteral("100%"));
        auto r = ctl({QStringLiteral("run-due")});
        QVERIFY2(r.err.contains("storage.low"), r.err.constData());
        QCOMPARE(lows().size(), 1);
        const QJsonObject alert = lows().first();
        QVERIFY(alert.value(QStringLiteral("failure")).toBool());
        QCOMPARE(alert.value(QStringLiteral("storage")).toString(), QStringLiteral("disk"));
        QVERIFY(alert.value(QStringLiteral("freeBytes")).toInteger() <
                alert.value(QStringLiteral("thresholdBytes")).toInteger());
        const QString text = alert.value(QStringLiteral("text")).toString();
        QVERIFY2(text.contains(QStringLiteral("Next:")) && text.contains(QStringLiteral("--alert-free-below")),
                 qPrintable(text));
        // Still low a minute later: not told again.
        ctl({QStringLiteral("run-due")});
        ctl({QStringLiteral("run-due")});
        QCOMPARE(lows().size(), 1);
        // Room again (a threshold under the free space): forgotten, nothing told.
        setThreshold(QStringLiteral("1K"));
        r = ctl({QStringLiteral("run-due")});
        QVERIFY2(!r.err.contains("storage.low"), r.err.constData());
        QCOMPARE(lows().size(), 1);
        // The next crossing is told again, once.
        setThreshold(QStringLiteral("100%"));
        ctl({QStringLiteral("run-due")});
        ctl({QStringLiteral("run-due")});
        QCOMPARE(lows().size(), 2);
        // off: never.
        setThreshold(QStringLiteral("off"));
        ctl({QStringLiteral("run-due")});
        setThreshold(QStringLiteral("100%"));
        QCOMPARE(lows().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TstStorageLowCli)
#include "tst_storagelow_cli.moc"
