// Issue 18: `schedule add` of a profile's first backup schedule prints a one-line hint with the exact command of a
// weekly drill (an hour after a daily backup, on Sunday; Sundays 04:00 when the backup has no single time of day),
// the command works as printed, and no hint follows once the profile has a backup schedule or a drill. No server.
#include "TestEnv.h"

#include "schedule/DrillSuggestion.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TstDrillHintCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_home;

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args); }
    static QString hintOf(const QByteArray &err) {
        for (const QByteArray &line : err.split('\n'))
            if (line.startsWith("Hint: "))
                return QString::fromUtf8(line);
        return {};
    }

private slots:
    void initTestCase() {
        m_home = m_tmp.filePath(QStringLiteral("home"));
        for (const QStringList &args :
             QList<QStringList>{{QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                                 QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))},
                                {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"),
                                 QStringLiteral("--conninfo"), QStringLiteral("host=127.0.0.1 port=1 dbname=shop"),
                                 QStringLiteral("--storage"), QStringLiteral("disk")},
                                {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("crm"),
                                 QStringLiteral("--conninfo"), QStringLiteral("host=127.0.0.1 port=1 dbname=crm"),
                                 QStringLiteral("--storage"), QStringLiteral("disk")}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
    }

    void drillTimes() {
        QCOMPARE(DrillSuggestion::cronAfter(QStringLiteral("30 1 * * *")), QStringLiteral("30 2 * * 0"));
        QCOMPARE(DrillSuggestion::cronAfter(QStringLiteral("@daily")), QStringLiteral("0 1 * * 0"));
        QCOMPARE(DrillSuggestion::cronAfter(QStringLiteral("15 23 * * *")), QStringLiteral("15 0 * * 1"));
        QCOMPARE(DrillSuggestion::cronAfter(QStringLiteral("0 1 * * 3")), QStringLiteral("0 2 * * 3"));
        QCOMPARE(DrillSuggestion::cronAfter(QStringLiteral("0 * * * *")), QStringLiteral("0 4 * * 0"));
        QCOMPARE(DrillSuggestion::cronAfter(QStringLiteral("0 1,13 * * *")), QStringLiteral("0 4 * * 0"));
        QCOMPARE(DrillSuggestion::cronAfter(QStringLiteral("0 1 1 * *")), QStringLiteral("0 4 * * 0"));
    }

    void firstBackupScheduleHintsAtADrill() {
        auto r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("nightly"),
                      QStringLiteral("--profile"), QStringLiteral("shop"), QStringLiteral("--cron"),
                      QStringLiteral("30 1 * * *"), QStringLiteral("--tz"), QStringLiteral("Europe/Berlin")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString hint = hintOf(r.err);
        const QString command = QStringLiteral("lifeboatctl schedule add shop-drill --verify --profile shop --cron "
                                               "\"30 2 * * 0\" --tz Europe/Berlin");
        QVERIFY2(hint.endsWith(command), qPrintable(QString::fromUtf8(r.err)));

        // The command works as printed.
        QStringList args = QProcess::splitCommand(command).mid(1);
        r = ctl(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(hintOf(r.err).isEmpty(), r.err.constData());
        r = ctl({QStringLiteral("--json"), QStringLiteral("schedule"), QStringLiteral("list")});
        QVERIFY(r.exitCode == 0);
        bool found = false;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("name")).toString() == QLatin1String("shop-drill")) {
                found = true;
                QCOMPARE(o.value(QStringLiteral("cron")).toString(), QStringLiteral("30 2 * * 0"));
            }
        }
        QVERIFY2(found, r.out.constData());

        // A second backup schedule of shop: no hint.
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("hourly"),
                 QStringLiteral("--profile"), QStringLiteral("shop"), QStringLiteral("--cron"),
                 QStringLiteral("0 * * * *")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(hintOf(r.err).isEmpty(), r.err.constData());

        // --json carries it as suggestedDrill; an hourly backup gets Sundays 04:00.
        r = ctl({QStringLiteral("--json"), QStringLiteral("schedule"), QStringLiteral("add"),
                 QStringLiteral("crm-hourly"), QStringLiteral("--profile"), QStringLiteral("crm"),
                 QStringLiteral("--cron"), QStringLiteral("0 * * * *")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("suggestedDrill")).toString(),
                 QStringLiteral("lifeboatctl schedule add crm-drill --verify --profile crm --cron \"0 4 * * 0\""));
    }
};

QTEST_GUILESS_MAIN(TstDrillHintCli)
#include "tst_drill_hint_cli.moc"
