// storage.low for an S3 storage's growth (issue 18, part 2): a real files backup of ~2 MiB to the S3 test server,
// then `storage set --alert-growth-above`: under the bytes stored in the last 24 hours, run-due tells a real webhook
// (tests/support/HttpSink.h) once per crossing, with the figure and a next step; over them, nothing. A run-due --as-of
// a day later no longer counts the backup (the crossing ends and is forgotten), so the next crossing is told again.
// Thresholds that are not sizes are refused and nothing is saved.
#include "HttpSink.h"
#include "TestEnv.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

class TstStorageGrowthCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QHash<QString, QString> m_s3;
    HttpSink m_sink;
    qint64 m_backupSize = 0;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        return e;
    }
    // Runs lifeboatctl while this thread's event loop serves the webhook sink.
    TestEnv::Run ctl(const QStringList &args) {
        QProcess p;
        p.setProcessEnvironment(env());
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
    QList<QJsonObject> growthAlerts() const {
        QList<QJsonObject> out;
        for (const HttpRequest &r : m_sink.requests) {
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
            if (o.value(QStringLiteral("event")).toString() == QLatin1String("storage.low") &&
                o.value(QStringLiteral("measure")).toString() == QLatin1String("growth"))
                out << o;
        }
        return out;
    }
    void setThreshold(const QString &spec) {
        const auto r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("bucket"),
                            QStringLiteral("--alert-growth-above"), spec});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

private slots:
    void initTestCase() {
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_s3.isEmpty(), "the s3 fixture must be running");
        QVERIFY(m_sink.listen());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        const QString prefix = QStringLiteral("growth%1").arg(QRandomGenerator::global()->bounded(1000000));
        for (const QStringList &args : QList<QStringList>{
                 {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"), QStringLiteral("--s3"),
                  QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                  m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
                  prefix},
                 {QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("ops"), QStringLiteral("--webhook"),
                  QStringLiteral("http://127.0.0.1:%1/").arg(m_sink.port())}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        // ~2 MiB of random bytes (zstd cannot shrink them) stored on the bucket.
        const QString src = m_tmp.filePath(QStringLiteral("src"));
        QDir().mkpath(src);
        QFile f(src + QStringLiteral("/data.bin"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray bytes(2 << 20, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
        QCOMPARE(f.write(bytes), bytes.size());
        f.close();
        const auto r =
            ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("backup"), QStringLiteral("assets"),
                 QStringLiteral("--path"), src, QStringLiteral("--storage"), QStringLiteral("bucket")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_backupSize = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("size")).toInteger();
        QVERIFY2(m_backupSize > (2 << 20), r.out.constData());
    }

    void badThresholdsAreRefused() {
        for (const QString &bad : {QStringLiteral("5%"), QStringLiteral("lots"), QStringLiteral("0")}) {
            const auto r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("bucket"),
                                QStringLiteral("--alert-growth-above"), bad});
            QCOMPARE(r.exitCode, 3);
            QVERIFY2(r.err.contains("--alert-growth-above") && r.err.contains("500M, 20G, 1T"), r.err.constData());
        }
        QVERIFY(!ctl({QStringLiteral("storage"), QStringLiteral("list")}).out.contains("alert growth"));
        // No threshold set: nothing told.
        QVERIFY2(ctl({QStringLiteral("run-due")}).exitCode == 0, "run-due");
        QCOMPARE(growthAlerts().size(), 0);
    }

    void toldOncePerCrossing() {
        // Over what was stored: nothing.
        setThreshold(QStringLiteral("100M"));
        QVERIFY(ctl({QStringLiteral("storage"), QStringLiteral("list")}).out.contains("alert growth above 100M/24h"));
        auto r = ctl({QStringLiteral("run-due")});
        QVERIFY2(!r.err.contains("storage.low"), r.err.constData());
        QCOMPARE(growthAlerts().size(), 0);

        // Under it: told once, with the figure and the next step.
        setThreshold(QStringLiteral("1M"));
        r = ctl({QStringLiteral("run-due")});
        QVERIFY2(r.err.contains("storage.low") && r.err.contains("grew by"), r.err.constData());
        QCOMPARE(growthAlerts().size(), 1);
        const QJsonObject alert = growthAlerts().first();
        QVERIFY(alert.value(QStringLiteral("failure")).toBool());
        QCOMPARE(alert.value(QStringLiteral("storage")).toString(), QStringLiteral("bucket"));
        QCOMPARE(alert.value(QStringLiteral("kind")).toString(), QStringLiteral("s3"));
        QCOMPARE(alert.value(QStringLiteral("grownBytes")).toInteger(), m_backupSize);
        QCOMPARE(alert.value(QStringLiteral("thresholdBytes")).toInteger(), qint64(1) << 20);
        const QString text = alert.value(QStringLiteral("text")).toString();
        QVERIFY2(text.contains(QStringLiteral("Next:")) && text.contains(QStringLiteral("--alert-growth-above")),
                 qPrintable(text));

        // Still over a minute later: not told again.
        ctl({QStringLiteral("run-due")});
        ctl({QStringLiteral("run-due")});
        QCOMPARE(growthAlerts().size(), 1);

        // A day later the backup left the window: the crossing ended and is forgotten, nothing told.
        const QString later = QDateTime::currentDateTimeUtc().addSecs(25 * 3600).toString(Qt::ISODate);
        r = ctl({QStringLiteral("run-due"), QStringLiteral("--as-of"), later});
        QVERIFY2(!r.err.contains("grew by"), r.err.constData());
        QCOMPARE(growthAlerts().size(), 1);

        // The next crossing (the window at the present again) is told again, once.
        ctl({QStringLiteral("run-due")});
        ctl({QStringLiteral("run-due")});
        QCOMPARE(growthAlerts().size(), 2);

        // off: never; the setting is gone from the list.
        setThreshold(QStringLiteral("off"));
        QVERIFY(!ctl({QStringLiteral("storage"), QStringLiteral("list")}).out.contains("alert growth"));
        ctl({QStringLiteral("run-due"), QStringLiteral("--as-of"), later});
        ctl({QStringLiteral("run-due")});
        QCOMPARE(growthAlerts().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TstStorageGrowthCli)
#include "tst_storagegrowth_cli.moc"
