// Issue #20, point-in-time recovery in the app: the dashboard's first cards are each continuously protected
// profile's recovery point — the age of the newest WAL in storage, green within twice the partial-upload interval,
// red beyond it or when a segment is missing inside the stored range. The rows are the catalog's wal_files, as
// `wal push`/`wal receive` record them.
#include "catalog/WalFileRecord.h"
#include "ui/AppContext.h"
#include "ui/dashboard/DashboardPage.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestRecoveryPoint : public QObject {
    Q_OBJECT

    static WalFileRecord segment(const QString &profile, int n, const QDateTime &stored) {
        WalFileRecord r;
        r.profile = profile;
        r.timeline = 1;
        r.name = QStringLiteral("00000001000000000000%1").arg(n, 4, 16, QLatin1Char('0')).toUpper();
        r.kind = QStringLiteral("segment");
        r.storage = QStringLiteral("disk");
        r.path = QStringLiteral("/nowhere/") + r.name;
        r.size = 1000;
        r.plainSize = 16 * 1024 * 1024;
        r.sha256 = QString(64, QLatin1Char('a'));
        r.plainSha256 = QString(64, QLatin1Char('b'));
        r.stored = stored;
        return r;
    }

private slots:
    void recoveryPointCardsComeFirstAndTurnRed() {
        QTemporaryDir home;
        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        QVERIFY2(ctx.updateConfig(
                     [](ConfigStore &c) {
                         for (const char *name : {"fresh", "behind", "gappy", "dumps"}) {
                             Profile p;
                             p.name = QLatin1String(name);
                             p.conninfo = QStringLiteral("host=127.0.0.1 dbname=x");
                             c.upsertProfile(p);
                         }
                     },
                     &err),
                 qPrintable(err));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const WalFileRecord &r : {segment(QStringLiteral("fresh"), 1, now.addSecs(-200)),
                                       segment(QStringLiteral("fresh"), 2, now.addSecs(-30)),
                                       segment(QStringLiteral("behind"), 1, now.addSecs(-900)),
                                       segment(QStringLiteral("gappy"), 1, now.addSecs(-50)),
                                       segment(QStringLiteral("gappy"), 3, now.addSecs(-20))})
            QVERIFY2(ctx.catalog()->putWalFile(r, &err), qPrintable(err));

        DashboardPage dash(&ctx);
        dash.resize(1200, 800);
        dash.show();
        QSignalSpy refreshed(&dash, &DashboardPage::refreshed);
        dash.refresh();
        QVERIFY(refreshed.wait(20000));

        QCOMPARE(dash.cardText(QStringLiteral("recovery:fresh")), QStringLiteral("just now"));
        QVERIFY(!dash.cardAlarm(QStringLiteral("recovery:fresh")));
        QVERIFY(dash.cardNote(QStringLiteral("recovery:fresh")).contains(QStringLiteral("newest WAL in storage")));

        QCOMPARE(dash.cardText(QStringLiteral("recovery:behind")), QStringLiteral("15 min ago"));
        QVERIFY(dash.cardAlarm(QStringLiteral("recovery:behind")));
        QVERIFY2(dash.cardNote(QStringLiteral("recovery:behind")).contains(QStringLiteral("wal receive behind")),
                 qPrintable(dash.cardNote(QStringLiteral("recovery:behind"))));

        QVERIFY(dash.cardAlarm(QStringLiteral("recovery:gappy")));
        QVERIFY2(dash.cardNote(QStringLiteral("recovery:gappy")).contains(QStringLiteral("1 segment(s) missing")),
                 qPrintable(dash.cardNote(QStringLiteral("recovery:gappy"))));

        // A profile without WAL capture has no recovery-point card.
        QVERIFY(dash.cardText(QStringLiteral("recovery:dumps")).isEmpty());
    }
};

QTEST_MAIN(TestRecoveryPoint)
#include "tst_gui_recoverypoint.moc"
