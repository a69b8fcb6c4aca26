// A catch-up run (run-due after downtime) fires for a time that can be days old but runs now. Its fire time
// (backups.scheduled_for) picks the periods it fills; everything else retention does — the 24 h protection,
// keep-within, a manual backup's keep days, which backup is newest — goes by when it really started.
#include "jobs/RetentionPruner.h"
#include "retention/Retention.h"
#include "retention/SetRetention.h"

#include <QHash>
#include <QTest>

using namespace lifeboat;

namespace {

const QDateTime kNow = QDateTime::fromString(QStringLiteral("2026-04-10T12:00:00Z"), Qt::ISODate);

BackupRecord completed(qint64 id, const QDateTime &started, const QDateTime &scheduledFor = {}) {
    BackupRecord r;
    r.id = id;
    r.profile = QStringLiteral("db");
    r.type = scheduledFor.isValid() ? QStringLiteral("DAILY") : QStringLiteral("MANUAL");
    r.status = BackupRecord::statusCompleted();
    r.started = started;
    r.scheduledFor = scheduledFor;
    // An object copy: its presence is not checked on disk, so the record counts as holding a backup.
    r.locations << BackupLocation{QStringLiteral("s3"), QStringLiteral("s3"), QStringLiteral("db/%1").arg(id), {}};
    return r;
}

QHash<QString, RetentionDecision> decide(const QList<BackupRecord> &records, const RetentionPolicy &p) {
    QList<RetentionItem> items;
    for (const BackupRecord &r : records)
        items << RetentionPruner::itemFor(r);
    QHash<QString, RetentionDecision> out;
    for (const RetentionDecision &d : Retention::decide(items, p, kNow))
        out.insert(d.id, d);
    return out;
}

} // namespace

class TestRetentionCatchUp : public QObject {
    Q_OBJECT
private slots:
    void freshCatchUpIsYoungerThanADay() {
        // Daily 1: only today's newest fills a slot. The catch-up backup fired for 3 days ago but ran an hour ago.
        RetentionPolicy p{1, 0, 0};
        const QList<BackupRecord> records{
            completed(1, kNow.addSecs(-3600), kNow.addDays(-3)),   // catch-up
            completed(2, kNow.addSecs(-1800), kNow.addSecs(-1800)) // on time, newer
        };
        const auto d = decide(records, p);
        QVERIFY2(d.value(QStringLiteral("1")).keep(), qPrintable(d.value(QStringLiteral("1")).reason()));
        QCOMPARE(d.value(QStringLiteral("1")).reason(), QStringLiteral("younger than 24 h"));
        QCOMPARE(d.value(QStringLiteral("2")).reason(),
                 QStringLiteral("daily 2026-04-10 (1 of 1); newest successful backup of source; younger than 24 h"));
    }

    void catchUpFillsTheDayItFiredFor() {
        // Daily 2: the catch-up backup fills the day it was scheduled for (04-07), not today.
        RetentionPolicy p{2, 0, 0};
        const QList<BackupRecord> records{completed(1, kNow.addSecs(-3600), kNow.addDays(-3)),
                                          completed(2, kNow.addSecs(-1800), kNow.addSecs(-1800))};
        const auto d = decide(records, p);
        QCOMPARE(d.value(QStringLiteral("1")).reason(), QStringLiteral("daily 2026-04-07 (2 of 2); younger than 24 h"));
    }

    void withinAndNewestGoByTheRealStart() {
        // A manual backup taken two hours ago is older than the catch-up backup that started an hour ago.
        RetentionPolicy p{0, 0, 0};
        p.withinSeconds = 2 * 86400;
        const QList<BackupRecord> records{completed(1, kNow.addSecs(-3600), kNow.addDays(-6)),
                                          completed(2, kNow.addSecs(-7200))};
        const auto d = decide(records, p);
        QCOMPARE(d.value(QStringLiteral("1")).reason(),
                 QStringLiteral("within 2d; newest successful backup of source; younger than 24 h"));
        QVERIFY(!d.value(QStringLiteral("2")).reason().contains(QStringLiteral("newest")));
    }

    void setCaptureKeepsItsRealStart() {
        // Application sets: the capture's 24 h protection also goes by its members' real start.
        RetentionPolicy p{1, 0, 0};
        QList<SetRetentionItem> items;
        const auto member = [&items](const QString &setId, qint64 id, const QDateTime &started,
                                     const QDateTime &firedFor) {
            SetRetentionItem m;
            m.setId = setId;
            m.setName = QStringLiteral("app");
            m.item = RetentionPruner::itemFor(completed(id, started, firedFor));
            items << m;
        };
        member(QStringLiteral("app-1"), 1, kNow.addSecs(-3600), kNow.addDays(-3)); // catch-up capture
        member(QStringLiteral("app-1"), 2, kNow.addSecs(-3500), kNow.addDays(-3));
        member(QStringLiteral("app-2"), 3, kNow.addSecs(-1800), kNow.addSecs(-1800));
        member(QStringLiteral("app-2"), 4, kNow.addSecs(-1700), kNow.addSecs(-1800));
        for (const RetentionDecision &d : SetRetention::decide(items, p, kNow))
            QVERIFY2(d.keep(), qPrintable(d.id + QStringLiteral(": ") + d.reason()));
    }
};

QTEST_GUILESS_MAIN(TestRetentionCatchUp)
#include "tst_retention_catchup.moc"
