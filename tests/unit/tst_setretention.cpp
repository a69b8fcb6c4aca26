// Application backup sets are kept or expired as a whole (SetRetention over Retention::decide).
#include "retention/SetRetention.h"

#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TstSetRetention : public QObject {
    Q_OBJECT

    const QDateTime m_now{QDate(2026, 6, 30), QTime(12, 0), QTimeZone::utc()};

    // One capture of set "shop" `daysAgo` days before now: a database record and a mirror record.
    static QList<SetRetentionItem> capture(const QDateTime &now, int daysAgo,
                                           BackupStatus mirrorStatus = BackupStatus::Completed,
                                           bool incomplete = false) {
        const QDateTime t = now.addDays(-daysAgo).addSecs(-3600);
        const QString setId = QStringLiteral("set-shop-%1").arg(t.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")));
        SetRetentionItem db;
        db.setId = setId;
        db.setName = QStringLiteral("shop");
        db.setIncomplete = incomplete;
        db.item.id = setId + QStringLiteral("/db");
        db.item.source = QStringLiteral("prod"); // ignored: the set is the source
        db.item.started = t;
        db.item.isDaily = true;
        SetRetentionItem mirror = db;
        mirror.item.id = setId + QStringLiteral("/mirror");
        mirror.item.source = QStringLiteral("uploads");
        mirror.item.started = t.addSecs(90);
        mirror.item.status = mirrorStatus;
        return {db, mirror};
    }

    static int kept(const QList<RetentionDecision> &ds) {
        return static_cast<int>(
            std::count_if(ds.begin(), ds.end(), [](const RetentionDecision &d) { return d.keep(); }));
    }

private slots:
    void keepsNewestCapturesWhole() {
        QList<SetRetentionItem> items;
        for (int day = 0; day < 5; ++day)
            items += capture(m_now, day);
        RetentionPolicy policy;
        policy.daily = 3;
        policy.weekly = 0;
        policy.monthly = 0;
        const auto ds = SetRetention::decide(items, policy, m_now);
        QCOMPARE(ds.size(), items.size());
        // 3 captures × 2 members kept, 2 captures × 2 members expired; members of one capture always agree.
        QCOMPARE(kept(ds), 6);
        for (int i = 0; i < ds.size(); i += 2) {
            QCOMPARE(ds.at(i).id, items.at(i).item.id);
            QCOMPARE(ds.at(i).action, ds.at(i + 1).action);
            QCOMPARE(ds.at(i).keep(), i / 2 < 3);
        }
        QVERIFY2(ds.first().reason().contains(QStringLiteral("daily 2026-06-30 (1 of 3)")),
                 qPrintable(ds.first().reason()));
        QVERIFY(ds.first().reason().startsWith(QStringLiteral("set set-shop-")));
        // Per-member retention would have counted the mirror and the database as separate sources: the windows
        // count captures, so the same policy never keeps a database dump without its uploads.
        QCOMPARE(ds.at(6).reasons.size(), ds.at(7).reasons.size());
    }

    void brokenCaptureExpiresWholeAndDoesNotCount() {
        QList<SetRetentionItem> items;
        items += capture(m_now, 1);
        items += capture(m_now, 2, BackupStatus::Failed); // mirror failed: the capture is broken
        items += capture(m_now, 3, BackupStatus::Completed, /*incomplete=*/true);
        items += capture(m_now, 4);
        RetentionPolicy policy;
        policy.daily = 2;
        policy.weekly = 0;
        policy.monthly = 0;
        const auto ds = SetRetention::decide(items, policy, m_now);
        QVERIFY(ds.at(0).keep() && ds.at(1).keep()); // daily #1
        // The failed capture is expired as a whole, the database record too although it completed.
        QVERIFY(!ds.at(2).keep() && !ds.at(3).keep());
        QVERIFY2(ds.at(2).reason().contains(QStringLiteral("failed")), qPrintable(ds.at(2).reason()));
        QVERIFY(!ds.at(4).keep() && !ds.at(5).keep());
        // Broken captures did not use up a daily slot: 4 days ago is the second day kept.
        QVERIFY(ds.at(6).keep() && ds.at(7).keep());
        QVERIFY2(ds.at(6).reason().contains(QStringLiteral("daily 2026-06-26 (2 of 2)")),
                 qPrintable(ds.at(6).reason()));
    }

    void failedVerificationOfOneMemberMarksTheCapture() {
        QList<SetRetentionItem> items;
        items += capture(m_now, 2);
        items += capture(m_now, 3);
        items[1].item.verificationFailed = true; // the newest capture's mirror failed its check
        RetentionPolicy policy{1, 0, 0};
        const auto ds = SetRetention::decide(items, policy, m_now);
        // It fills no slot (so 3 days ago is daily 1 of 1) and is kept whole for inspection.
        QVERIFY(ds.at(0).keep() && ds.at(1).keep());
        QVERIFY2(ds.at(0).reason().contains(QStringLiteral("verification failed")), qPrintable(ds.at(0).reason()));
        QVERIFY2(ds.at(2).reason().contains(QStringLiteral("daily 2026-06-27 (1 of 1)")),
                 qPrintable(ds.at(2).reason()));
        policy.pruneFailedVerification = true;
        const auto pruned = SetRetention::decide(items, policy, m_now);
        QVERIFY(!pruned.at(0).keep() && !pruned.at(1).keep());
        QVERIFY(pruned.at(2).keep() && pruned.at(3).keep());
    }

    void inProgressMemberKeepsCaptureAndDeletedCapturesVanish() {
        QList<SetRetentionItem> items = capture(m_now, 10, BackupStatus::InProgress);
        QList<SetRetentionItem> gone = capture(m_now, 11);
        for (auto &g : gone)
            g.item.status = BackupStatus::Deleted;
        items += gone;
        QList<SetRetentionItem> halfGone = capture(m_now, 12);
        halfGone[0].item.status = BackupStatus::Deleted; // its database was deleted by hand
        items += halfGone;
        RetentionPolicy none;
        none.daily = 0;
        none.weekly = 0;
        none.monthly = 0;
        const auto ds = SetRetention::decide(items, none, m_now);
        QCOMPARE(ds.size(), 4); // the fully deleted capture is finished
        QVERIFY(ds.at(0).keep() && ds.at(1).keep());
        QVERIFY(ds.at(0).reason().contains(QStringLiteral("in progress")));
        QVERIFY(!ds.at(2).keep() && !ds.at(3).keep()); // a capture missing a member cannot be restored whole
    }

    void separateSetsRankSeparately() {
        QList<SetRetentionItem> items;
        for (int day = 0; day < 3; ++day)
            items += capture(m_now, day);
        QList<SetRetentionItem> blog = capture(m_now, 5);
        for (auto &b : blog) {
            b.setName = QStringLiteral("blog");
            b.setId.replace(QStringLiteral("shop"), QStringLiteral("blog"));
        }
        items += blog;
        RetentionPolicy policy;
        policy.daily = 1;
        policy.weekly = 0;
        policy.monthly = 0;
        const auto ds = SetRetention::decide(items, policy, m_now);
        QCOMPARE(kept(ds), 4); // newest shop capture + the only blog capture
        QVERIFY(ds.at(6).keep() && ds.at(7).keep());
        QVERIFY(ds.at(6).reason().contains(QStringLiteral("newest successful backup")));
    }
};

QTEST_GUILESS_MAIN(TstSetRetention)
#include "tst_setretention.moc"
