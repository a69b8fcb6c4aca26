// Which kept backups are kept only by the monthly/yearly rules (RetentionDecision::archivalOnly), the ones
// `--archive-to` moves to archive storage: a year and a half of dailies with 7 daily, 4 weekly, 12 monthly and 2
// yearly rules, a manual backup and a failed verification among them. The expected set is worked out here from the
// calendar, not from the code under test. Then which copies RetentionPruner plans to move where: the policy's
// archive storage, a storage's own archive storage, and a storage with rules of its own deciding its move alone.
#include "jobs/RetentionPruner.h"
#include "retention/Retention.h"

#include <QSet>
#include <QTest>

using namespace lifeboat;

class TstRetentionArchival : public QObject {
    Q_OBJECT

private slots:
    void onlyMonthlyAndYearlyKeptAreArchival() {
        const QDateTime now(QDate(2026, 6, 30), QTime(12, 0), QTimeZone::utc());
        QList<RetentionItem> items;
        // Dailies at 02:00 UTC from 2025-01-01 to 2026-06-30.
        for (QDate d(2025, 1, 1); d <= QDate(2026, 6, 30); d = d.addDays(1)) {
            RetentionItem it;
            it.id = d.toString(Qt::ISODate);
            it.source = QStringLiteral("db");
            it.started = QDateTime(d, QTime(2, 0), QTimeZone::utc());
            items << it;
        }
        // A manual backup kept until deleted, in a month whose newest daily is archival anyway.
        RetentionItem manual;
        manual.id = QStringLiteral("manual");
        manual.source = QStringLiteral("db");
        manual.started = QDateTime(QDate(2025, 9, 10), QTime(9, 0), QTimeZone::utc());
        manual.manual = true;
        items << manual;
        // The last daily of 2026-02 failed verification: kept for inspection, fills no slot, never archival.
        for (RetentionItem &it : items)
            if (it.id == QLatin1String("2026-02-28"))
                it.verificationFailed = true;

        RetentionPolicy p;
        p.daily = 7;
        p.weekly = 4;
        p.monthly = 12;
        p.yearly = 2;
        QSet<QString> archival;
        QSet<QString> kept;
        for (const RetentionDecision &d : Retention::decide(items, p, now)) {
            if (d.keep())
                kept << d.id;
            if (d.archivalOnly)
                archival << d.id;
            QVERIFY2(!d.archivalOnly || d.keep(), qPrintable(d.id));
        }
        // Dailies 06-24..06-30; weeklies (ISO weeks): 06-30, 06-28 (both dailies), 06-21, 06-14.
        // Monthlies: the last day of each of the 12 newest months, 2025-07 .. 2026-06 (2026-02's newest good
        // one is 02-27; 2026-06's is 06-30, a daily). Yearly: 2026-06-30 and 2025-12-31 (also a monthly).
        const QSet<QString> monthlyOnly{
            QStringLiteral("2025-07-31"), QStringLiteral("2025-08-31"), QStringLiteral("2025-09-30"),
            QStringLiteral("2025-10-31"), QStringLiteral("2025-11-30"), QStringLiteral("2025-12-31"),
            QStringLiteral("2026-01-31"), QStringLiteral("2026-02-27"), QStringLiteral("2026-03-31"),
            QStringLiteral("2026-04-30"), QStringLiteral("2026-05-31")};
        QCOMPARE(archival, monthlyOnly);
        // Kept for other reasons too, so never archival: the weeklies, the manual backup, the failed verification.
        for (const char *id : {"2026-06-21", "2026-06-14", "2026-06-30", "manual", "2026-02-28"})
            QVERIFY2(kept.contains(QLatin1String(id)) && !archival.contains(QLatin1String(id)), id);
    }

    void youngOrNewestIsNeverArchival() {
        // Monthly-only rules: the newest backup is also "newest successful" and under 24 h old; the one before is
        // kept only by monthly.
        const QDateTime now(QDate(2026, 3, 1), QTime(4, 0), QTimeZone::utc());
        QList<RetentionItem> items;
        for (const QDate d : {QDate(2026, 1, 1), QDate(2026, 2, 1), QDate(2026, 3, 1)}) {
            RetentionItem it;
            it.id = d.toString(Qt::ISODate);
            it.source = QStringLiteral("db");
            it.started = QDateTime(d, QTime(3, 0), QTimeZone::utc());
            items << it;
        }
        RetentionPolicy p;
        p.daily = 0;
        p.weekly = 0;
        p.monthly = 12;
        QSet<QString> archival;
        for (const RetentionDecision &d : Retention::decide(items, p, now))
            if (d.archivalOnly)
                archival << d.id;
        QCOMPARE(archival, (QSet<QString>{QStringLiteral("2026-01-01"), QStringLiteral("2026-02-01")}));
    }

    void copiesMoveToTheirArchiveStorage() {
        // Monthly runs on the 1st, copies on S3 storages a and b (no file to look for).
        QList<BackupRecord> records;
        for (int m : {1, 2, 3}) {
            BackupRecord r;
            r.id = m;
            r.profile = QStringLiteral("shop");
            r.type = QStringLiteral("DAILY,MONTHLY");
            r.status = BackupRecord::statusCompleted();
            r.started = QDateTime(QDate(2026, m, 1), QTime(3, 0), QTimeZone::utc());
            r.scheduledFor = r.started;
            for (const char *s : {"a", "b"})
                r.locations << BackupLocation{QLatin1String(s), QStringLiteral("s3"),
                                              QStringLiteral("k/%1/%2").arg(QLatin1String(s)).arg(m), QString()};
            records << r;
        }
        const QDateTime now(QDate(2026, 3, 10), QTime(12, 0), QTimeZone::utc());
        RetentionPolicy p{0, 0, 12};
        StorageConfig a, b, cold;
        a.name = QStringLiteral("a");
        b.name = QStringLiteral("b");
        cold.name = QStringLiteral("cold");
        for (StorageConfig *s : {&a, &b, &cold})
            s->kind = QStringLiteral("s3");
        auto moves = [&](const QList<StorageConfig> &storages) {
            QStringList out; // "id:storage->archive"
            for (const RetentionPruner::Entry &e : RetentionPruner::planRecords(records, p, now, storages))
                for (const RetentionPruner::CopyDecision &c : e.copies)
                    if (!c.moveTo.isEmpty())
                        out << QStringLiteral("%1:%2->%3").arg(e.record.id).arg(c.storage, c.moveTo);
            return out;
        };
        // No archive storage anywhere: nothing moves.
        QCOMPARE(moves({a, b, cold}), QStringList());
        // The storage's own archive storage: only its copies of the monthly-only backups (January, February).
        a.archiveTo = QStringLiteral("cold");
        QCOMPARE(moves({a, b, cold}), (QStringList{QStringLiteral("1:a->cold"), QStringLiteral("2:a->cold")}));
        // The policy's: every copy of them, a storage's own one winning for its copies.
        p.archiveTo = QStringLiteral("b");
        QCOMPARE(moves({a, b, cold}), (QStringList{QStringLiteral("1:a->cold"), QStringLiteral("2:a->cold")}));
        a.archiveTo.clear();
        QCOMPARE(moves({a, b, cold}), (QStringList{QStringLiteral("1:a->b"), QStringLiteral("2:a->b")}));
        // A storage with rules of its own decides its move by them: b keeps its last 2 and 12 monthly, so only
        // January is kept there by "monthly" alone; the source's archive storage does not apply to its copies.
        p.archiveTo = QStringLiteral("cold");
        b.keepLast = 2;
        b.keepMonthly = 12;
        b.archiveTo = QStringLiteral("cold");
        QCOMPARE(moves({a, b, cold}),
                 (QStringList{QStringLiteral("1:a->cold"), QStringLiteral("1:b->cold"), QStringLiteral("2:a->cold")}));
        b.archiveTo.clear();
        QCOMPARE(moves({a, b, cold}), (QStringList{QStringLiteral("1:a->cold"), QStringLiteral("2:a->cold")}));
    }
};

QTEST_GUILESS_MAIN(TstRetentionArchival)
#include "tst_retention_archival.moc"
