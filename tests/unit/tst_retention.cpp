#include "retention/Promotion.h"
#include "retention/Retention.h"

#include <QHash>
#include <QSet>
#include <QTest>

using namespace lifeboat;

namespace {

QDateTime at(const char *iso) {
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toUTC();
}

// The "now" of the year scenario: Saturday 2026-11-21 12:00 UTC.
const char *const kNow = "2026-11-21T12:00:00Z";

// A year of daily 01:00 UTC backups of "prod" (2025-11-21 .. 2026-11-21), labelled like the scheduler does:
// Sundays weekly, the 1st monthly (labels for display only: retention counts calendar periods). Some failed, one lost
// its artifact, three manual backups, one failed retry today.
QList<RetentionItem> yearOfProd() {
    const QSet<QString> failed{QStringLiteral("2026-11-19"), QStringLiteral("2026-11-15"), QStringLiteral("2026-11-01"),
                               QStringLiteral("2026-06-10")};
    QList<RetentionItem> items;
    for (QDate d(2025, 11, 21); d <= QDate(2026, 11, 21); d = d.addDays(1)) {
        RetentionItem it;
        it.id = QStringLiteral("d-") + d.toString(Qt::ISODate);
        it.source = QStringLiteral("prod");
        it.started = QDateTime(d, QTime(1, 0), QTimeZone::utc());
        it.isDaily = true;
        it.isWeekly = d.dayOfWeek() == 7;
        it.isMonthly = d.day() == 1;
        if (failed.contains(d.toString(Qt::ISODate)))
            it.status = BackupStatus::Failed;
        if (d == QDate(2026, 11, 18))
            it.hasLocation = false; // artifact vanished
        items.append(it);
    }
    auto manual = [&](const char *id, const char *when, const char *label, int keepDays) {
        RetentionItem it;
        it.id = QString::fromLatin1(id);
        it.source = QStringLiteral("prod");
        it.started = at(when);
        it.manual = true;
        it.label = QString::fromLatin1(label);
        it.keepDays = keepDays;
        items.append(it);
    };
    manual("m-pre-migration", "2026-03-15T10:00:00Z", "pre-migration", 0);
    manual("m-test", "2026-10-01T10:00:00Z", "test", 30);
    manual("m-recent", "2026-11-10T10:00:00Z", "before-upgrade", 30);
    RetentionItem retry;
    retry.id = QStringLiteral("retry-2026-11-21");
    retry.source = QStringLiteral("prod");
    retry.started = at("2026-11-21T05:00:00Z");
    retry.isDaily = true;
    retry.status = BackupStatus::Failed;
    items.append(retry);
    return items;
}

QHash<QString, RetentionDecision> byId(const QList<RetentionDecision> &ds) {
    QHash<QString, RetentionDecision> out;
    for (const auto &d : ds)
        out.insert(d.id, d);
    return out;
}

QStringList keptIds(const QList<RetentionDecision> &ds) {
    QStringList out;
    for (const auto &d : ds) {
        if (d.keep())
            out.append(d.id);
    }
    out.sort();
    return out;
}

QStringList sorted(QStringList l) {
    l.sort();
    return l;
}

} // namespace

class TstRetention : public QObject {
    Q_OBJECT
private slots:
    void yearWithDefaultPolicy() {
        const QList<RetentionItem> items = yearOfProd();
        const auto decisions = Retention::decide(items, RetentionPolicy{}, at(kNow));
        QCOMPARE(decisions.size(), items.size());

        // Worked out by hand from the calendar (periods, not runs: the newest successful backup of each of the 7
        // most recent days, 4 ISO weeks and 12 months that hold one): the 7 days skip the failed 19th and 15th and
        // the 18th without artifact; weeks W47 (Nov 21), W46 (Nov 14, its Sunday failed), W45 (Sunday Nov 8),
        // W44 (Nov 1 failed, so Oct 31); months: the last day of each month back to December 2025.
        const QStringList expected =
            sorted({// daily (Nov 21 and 14 also weekly, Nov 21 also monthly)
                    QStringLiteral("d-2026-11-21"), QStringLiteral("d-2026-11-20"), QStringLiteral("d-2026-11-17"),
                    QStringLiteral("d-2026-11-16"), QStringLiteral("d-2026-11-14"), QStringLiteral("d-2026-11-13"),
                    QStringLiteral("d-2026-11-12"),
                    // weekly
                    QStringLiteral("d-2026-11-08"), QStringLiteral("d-2026-10-31"),
                    // monthly
                    QStringLiteral("d-2026-09-30"), QStringLiteral("d-2026-08-31"), QStringLiteral("d-2026-07-31"),
                    QStringLiteral("d-2026-06-30"), QStringLiteral("d-2026-05-31"), QStringLiteral("d-2026-04-30"),
                    QStringLiteral("d-2026-03-31"), QStringLiteral("d-2026-02-28"), QStringLiteral("d-2026-01-31"),
                    QStringLiteral("d-2025-12-31"),
                    // manual kept, failed but young
                    QStringLiteral("m-pre-migration"), QStringLiteral("m-recent"), QStringLiteral("retry-2026-11-21")});
        QCOMPARE(keptIds(decisions), expected);

        const auto d = byId(decisions);
        auto reason = [&](const char *id) { return d.value(QString::fromLatin1(id)).reason(); };
        QCOMPARE(reason("d-2026-11-21"),
                 QStringLiteral("daily 2026-11-21 (1 of 7); weekly 2026-W47 (1 of 4); monthly 2026-11 (1 of 12); "
                                "newest successful backup of source; younger than 24 h"));
        QCOMPARE(reason("d-2026-11-20"), QStringLiteral("daily 2026-11-20 (2 of 7)"));
        QCOMPARE(reason("d-2026-11-14"), QStringLiteral("daily 2026-11-14 (5 of 7); weekly 2026-W46 (2 of 4)"));
        QCOMPARE(reason("d-2026-11-12"), QStringLiteral("daily 2026-11-12 (7 of 7)"));
        QCOMPARE(reason("d-2026-11-08"), QStringLiteral("weekly 2026-W45 (3 of 4)"));
        QCOMPARE(reason("d-2026-10-31"), QStringLiteral("weekly 2026-W44 (4 of 4); monthly 2026-10 (2 of 12)"));
        QCOMPARE(reason("d-2025-12-31"), QStringLiteral("monthly 2025-12 (12 of 12)"));
        QCOMPARE(reason("m-pre-migration"), QStringLiteral("manual backup 'pre-migration', kept until deleted"));
        QCOMPARE(reason("m-recent"),
                 QStringLiteral("manual backup 'before-upgrade', kept for 30 days (until 2026-12-10)"));
        QCOMPARE(reason("m-test"), QStringLiteral("manual backup 'test', its 30-day retention ended on 2026-10-31"));
        QCOMPARE(reason("retry-2026-11-21"), QStringLiteral("younger than 24 h"));
        QCOMPARE(reason("d-2026-11-19"), QStringLiteral("failed backup (status FAILED) holds no usable backup"));
        QCOMPARE(reason("d-2026-11-18"), QStringLiteral("completed but its artifact is missing (no stored location)"));
        const QString beyond = QStringLiteral("beyond the retention rules (7 daily, 4 weekly, 12 monthly)");
        QCOMPARE(reason("d-2026-11-11"), beyond);
        QCOMPARE(reason("d-2026-10-01"), beyond); // a 1st-of-month run is no longer monthly by its date
        QCOMPARE(reason("d-2025-11-21"), beyond);
        for (const auto &dec : decisions) {
            QVERIFY2(!dec.reasons.isEmpty(), qPrintable(dec.id));
            QCOMPARE(dec.source, QStringLiteral("prod"));
        }
    }

    void inputOrderDoesNotMatter() {
        QList<RetentionItem> items = yearOfProd();
        const QStringList kept = keptIds(Retention::decide(items, RetentionPolicy{}, at(kNow)));
        std::reverse(items.begin(), items.end());
        QCOMPARE(keptIds(Retention::decide(items, RetentionPolicy{}, at(kNow))), kept);
    }

    void smallerPolicyFromEnvironment() {
        QProcessEnvironment env;
        env.insert(QStringLiteral("BACKUP_RETENTION_DAILY"), QStringLiteral("3"));
        env.insert(QStringLiteral("BACKUP_RETENTION_WEEKLY"), QStringLiteral("2"));
        env.insert(QStringLiteral("BACKUP_RETENTION_MONTHLY"), QStringLiteral(" 1 "));
        RetentionPolicy policy;
        const Error err = policy.applyEnvironment(env);
        QVERIFY2(!err, qPrintable(err.message));
        QCOMPARE(policy.describe(), QStringLiteral("3 daily, 2 weekly, 1 monthly"));

        const auto decisions = Retention::decide(yearOfProd(), policy, at(kNow));
        const QStringList expected =
            sorted({QStringLiteral("d-2026-11-21"), QStringLiteral("d-2026-11-20"), QStringLiteral("d-2026-11-17"),
                    QStringLiteral("d-2026-11-14"), QStringLiteral("m-pre-migration"), QStringLiteral("m-recent"),
                    QStringLiteral("retry-2026-11-21")});
        QCOMPARE(keptIds(decisions), expected);
        QCOMPARE(byId(decisions).value(QStringLiteral("d-2026-11-14")).reason(),
                 QStringLiteral("weekly 2026-W46 (2 of 2)"));
        QCOMPARE(byId(decisions).value(QStringLiteral("d-2026-09-30")).reason(),
                 QStringLiteral("beyond the retention rules (3 daily, 2 weekly, 1 monthly)"));
    }

    void environmentErrors() {
        RetentionPolicy policy;
        QProcessEnvironment env;
        env.insert(QStringLiteral("BACKUP_RETENTION_DAILY"), QStringLiteral("10"));
        env.insert(QStringLiteral("BACKUP_RETENTION_WEEKLY"), QStringLiteral("four"));
        Error err = policy.applyEnvironment(env);
        QCOMPARE(err.code, ExitCode::Usage);
        QCOMPARE(err.message, QStringLiteral("BACKUP_RETENTION_WEEKLY='four' is not a valid count: use a whole number "
                                             "from 0 to 100000"));
        QCOMPARE(policy, RetentionPolicy{}); // nothing applied on error
        env.insert(QStringLiteral("BACKUP_RETENTION_WEEKLY"), QStringLiteral("-1"));
        QVERIFY(policy.applyEnvironment(env).message.contains(QStringLiteral("BACKUP_RETENTION_WEEKLY='-1'")));
        env.insert(QStringLiteral("BACKUP_RETENTION_WEEKLY"), QString());
        QVERIFY(!policy.applyEnvironment(env));
        QCOMPARE(policy.daily, 10);
        QCOMPARE(policy.weekly, 4);
        QCOMPARE(policy.monthly, 12);
    }

    void neverDeletesNewestSuccessfulOrYoung() {
        // Keep nothing by policy: only the protections remain.
        const RetentionPolicy none{0, 0, 0};
        const auto d = byId(Retention::decide(yearOfProd(), none, at(kNow)));
        QCOMPARE(d.value(QStringLiteral("d-2026-11-21")).reason(),
                 QStringLiteral("newest successful backup of source; younger than 24 h"));
        QVERIFY(!d.value(QStringLiteral("d-2026-11-20")).keep());

        // A source whose only successful backup is years old keeps it, and nothing else.
        QList<RetentionItem> legacy;
        for (int i = 0; i < 3; ++i) {
            RetentionItem it;
            it.id = QStringLiteral("legacy-%1").arg(i);
            it.source = QStringLiteral("legacy");
            it.started = at("2024-01-01T01:00:00Z").addDays(i);
            it.isDaily = true;
            it.status = i == 2 ? BackupStatus::Failed : BackupStatus::Completed;
            legacy.append(it);
        }
        // Manual backups of another source do not protect this one.
        RetentionItem other;
        other.id = QStringLiteral("other-manual");
        other.source = QStringLiteral("other");
        other.started = at("2026-11-01T00:00:00Z");
        other.manual = true;
        legacy.append(other);
        const auto l = byId(Retention::decide(legacy, none, at(kNow)));
        QCOMPARE(l.value(QStringLiteral("legacy-1")).reason(), QStringLiteral("newest successful backup of source"));
        QVERIFY(!l.value(QStringLiteral("legacy-0")).keep());
        QVERIFY(!l.value(QStringLiteral("legacy-2")).keep());
        QVERIFY(l.value(QStringLiteral("other-manual")).keep());

        // Two completed backups today: the older one is not newest but still younger than 24 h.
        QList<RetentionItem> today;
        for (const char *when : {"2026-11-21T01:00:00Z", "2026-11-21T05:00:00Z", "2026-11-20T11:59:59Z"}) {
            RetentionItem it;
            it.id = QString::fromLatin1(when);
            it.source = QStringLiteral("prod");
            it.started = at(when);
            it.isDaily = true;
            today.append(it);
        }
        const auto t = byId(Retention::decide(today, none, at(kNow)));
        QCOMPARE(t.value(QStringLiteral("2026-11-21T05:00:00Z")).reason(),
                 QStringLiteral("newest successful backup of source; younger than 24 h"));
        QCOMPARE(t.value(QStringLiteral("2026-11-21T01:00:00Z")).reason(), QStringLiteral("younger than 24 h"));
        QVERIFY(!t.value(QStringLiteral("2026-11-20T11:59:59Z")).keep()); // 24 h and 1 s old
    }

    void newestSuccessfulMayBeManualWithEndedRetention() {
        RetentionItem m;
        m.id = QStringLiteral("m");
        m.source = QStringLiteral("s");
        m.started = at("2026-01-01T00:00:00Z");
        m.manual = true;
        m.label = QStringLiteral("x");
        m.keepDays = 7;
        // No rules (manual backups fill period slots like any successful backup): only the protection is left.
        const auto d = Retention::decide({m}, RetentionPolicy{0, 0, 0}, at(kNow));
        QCOMPARE(d.size(), 1);
        QVERIFY(d[0].keep());
        QCOMPARE(d[0].reason(), QStringLiteral("newest successful backup of source"));
    }

    void statusesAndSeveralReasons() {
        QList<RetentionItem> items;
        auto add = [&](const char *id, const char *when, BackupStatus st, bool weekly, bool monthly) {
            RetentionItem it;
            it.id = QString::fromLatin1(id);
            it.source = QStringLiteral("s");
            it.started = at(when);
            it.status = st;
            it.isDaily = true;
            it.isWeekly = weekly;
            it.isMonthly = monthly;
            items.append(it);
        };
        add("running", "2026-11-01T01:00:00Z", BackupStatus::InProgress, false, false);
        add("first", "2026-11-01T00:00:00Z", BackupStatus::Completed, true, true);
        add("expired", "2026-10-01T00:00:00Z", BackupStatus::Expired, false, true);
        add("deleted", "2026-09-01T00:00:00Z", BackupStatus::Deleted, false, true);
        add("cancelled", "2026-08-01T00:00:00Z", BackupStatus::Cancelled, false, false);
        const auto ds = Retention::decide(items, RetentionPolicy{}, at(kNow));
        QCOMPARE(ds.size(), 4); // DELETED is finished and not returned
        const auto d = byId(ds);
        QCOMPARE(d.value(QStringLiteral("running")).reason(), QStringLiteral("in progress"));
        QCOMPARE(d.value(QStringLiteral("first")).reason(),
                 QStringLiteral("daily 2026-11-01 (1 of 7); weekly 2026-W44 (1 of 4); monthly 2026-11 (1 of 12); "
                                "newest successful backup of source"));
        QCOMPARE(d.value(QStringLiteral("expired")).reason(), QStringLiteral("already expired, deletion pending"));
        QVERIFY(!d.value(QStringLiteral("expired")).keep());
        QCOMPARE(d.value(QStringLiteral("cancelled")).reason(),
                 QStringLiteral("cancelled backup (status CANCELLED) holds no usable backup"));
        QVERIFY(!d.contains(QStringLiteral("deleted")));
    }

    void promotion() {
        QCOMPARE(Promotion::forDate(QDate(2026, 11, 21)), (PromotionFlags{true, false, false})); // Saturday
        QCOMPARE(Promotion::forDate(QDate(2026, 11, 22)), (PromotionFlags{true, true, false}));  // Sunday
        QCOMPARE(Promotion::forDate(QDate(2026, 11, 1)), (PromotionFlags{true, true, true}));    // Sunday the 1st
        QCOMPARE(Promotion::forDate(QDate(2026, 12, 1)), (PromotionFlags{true, false, true}));   // Tuesday the 1st
        const PromotionRule monday31{Qt::Monday, 31};
        QCOMPARE(Promotion::forDate(QDate(2026, 11, 23), monday31), (PromotionFlags{true, true, false}));
        QCOMPARE(Promotion::forDate(QDate(2026, 11, 30), monday31), (PromotionFlags{true, true, true})); // last day
        QCOMPARE(Promotion::forDate(QDate(2026, 2, 28), monday31), (PromotionFlags{true, false, true}));
        QCOMPARE(Promotion::forDate(QDate(2028, 2, 28), monday31), (PromotionFlags{true, true, false}));
        QCOMPARE(Promotion::forDate(QDate(2028, 2, 29), monday31), (PromotionFlags{true, false, true}));
        QCOMPARE(Promotion::forDate(QDate(2026, 1, 31), monday31), (PromotionFlags{true, false, true}));
        // Local date decides: 23:30 UTC Saturday is 00:30 Sunday in Berlin.
        const QTimeZone berlin(QByteArrayLiteral("Europe/Berlin"));
        QVERIFY(Promotion::forTime(at("2026-11-21T23:30:00Z"), berlin).weekly);
        QVERIFY(!Promotion::forTime(at("2026-11-21T23:30:00Z"), QTimeZone::utc()).weekly);
        QCOMPARE(Promotion::typeName({true, true, true}), QStringLiteral("MONTHLY"));
        QCOMPARE(Promotion::typeName({true, true, false}), QStringLiteral("WEEKLY"));
        QCOMPARE(Promotion::typeName({}), QStringLiteral("DAILY"));
    }
};

QTEST_GUILESS_MAIN(TstRetention)
#include "tst_retention.moc"
