// Retention counts periods, not runs (restic `forget` semantics), for any schedule. Each history's kept set is
// checked twice: against an explicit list worked out by hand, and against a brute-force reference written here
// the way restic's forget.go is (one pass, newest first, each bucket remembering the last value it kept) — never
// against the code under test.
#include "retention/Retention.h"

#include <QHash>
#include <QSet>
#include <QTest>

#include <functional>

using namespace lifeboat;

namespace {

QDateTime at(const char *iso) {
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toUTC();
}

QTimeZone zoneNamed(const char *name) {
    return QTimeZone(QByteArray(name));
}

RetentionItem scheduled(const QString &id, const QDateTime &started) {
    RetentionItem it;
    it.id = id;
    it.source = QStringLiteral("db");
    it.started = started;
    it.isDaily = true;
    return it;
}

// The id is the local start time in the schedule's zone: "2026-03-29 19:00" (manual: "manual <utc>").
QString localId(const QDateTime &t, const QTimeZone &zone) {
    return t.toTimeZone(zone).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

// restic's algorithm (internal/restic/snapshot_policy.go, ApplyPolicy) over the successful backups only.
QSet<QString> resticKeep(const QList<RetentionItem> &items, const RetentionPolicy &p, const QDateTime &now) {
    QList<RetentionItem> list;
    for (const RetentionItem &it : items)
        if (it.status == BackupStatus::Completed && it.hasLocation && !it.verificationFailed)
            list << it;
    std::sort(list.begin(), list.end(), [](const RetentionItem &a, const RetentionItem &b) {
        return a.started != b.started ? a.started > b.started : a.id > b.id;
    });
    struct Bucket {
        int count;
        std::function<QString(const QDateTime &)> value;
        QString last = QStringLiteral("-");
    };
    QList<Bucket> buckets{
        {p.hourly, [](const QDateTime &t) { return t.toString(QStringLiteral("yyyyMMddHH")); }},
        {p.daily, [](const QDateTime &t) { return t.toString(QStringLiteral("yyyyMMdd")); }},
        {p.weekly,
         [](const QDateTime &t) {
             int y = 0;
             const int w = t.date().weekNumber(&y);
             return QString::number(y * 100 + w);
         }},
        {p.monthly, [](const QDateTime &t) { return t.toString(QStringLiteral("yyyyMM")); }},
        {p.yearly, [](const QDateTime &t) { return t.toString(QStringLiteral("yyyy")); }},
    };
    QSet<QString> keep;
    for (qsizetype nr = 0; nr < list.size(); ++nr) {
        const RetentionItem &cur = list[nr];
        const QDateTime local = cur.manual ? cur.started.toUTC() : cur.started.toTimeZone(p.zone);
        bool k = nr < p.last;
        for (Bucket &b : buckets) {
            if (b.count > 0) {
                const QString v = b.value(local);
                if (v != b.last) {
                    k = true;
                    b.last = v;
                    --b.count;
                }
            }
        }
        if (p.withinSeconds > 0 && cur.started > now.addSecs(-p.withinSeconds))
            k = true;
        if (k)
            keep << cur.id;
    }
    return keep;
}

// What the rules above the policy add (the "always kept"), written out plainly.
QSet<QString> protectedIds(const QList<RetentionItem> &items, const RetentionPolicy &p, const QDateTime &now) {
    QSet<QString> keep;
    const RetentionItem *newest = nullptr;
    for (const RetentionItem &it : items) {
        const bool ok = it.status == BackupStatus::Completed && it.hasLocation;
        if (ok && !it.verificationFailed && (!newest || it.started > newest->started))
            newest = &it;
        if (it.started.secsTo(now) < 24 * 3600 || it.status == BackupStatus::InProgress)
            keep << it.id;
        if (ok && it.verificationFailed && !p.pruneFailedVerification)
            keep << it.id;
        if (ok && !it.verificationFailed && it.manual && (it.keepDays == 0 || it.started.addDays(it.keepDays) > now))
            keep << it.id;
    }
    if (newest)
        keep << newest->id;
    return keep;
}

QSet<QString> keptIds(const QList<RetentionDecision> &ds) {
    QSet<QString> out;
    for (const auto &d : ds)
        if (d.keep())
            out << d.id;
    return out;
}

QHash<QString, RetentionDecision> byId(const QList<RetentionDecision> &ds) {
    QHash<QString, RetentionDecision> out;
    for (const auto &d : ds)
        out.insert(d.id, d);
    return out;
}

QString show(QSet<QString> s) {
    QStringList l(s.begin(), s.end());
    l.sort();
    return l.join(QStringLiteral(", "));
}

// Decides, checks the kept set against both the explicit list and the reference, and returns the decisions.
QList<RetentionDecision> check(const QList<RetentionItem> &items, const RetentionPolicy &policy, const QDateTime &now,
                               const QSet<QString> &explicitKept) {
    const QList<RetentionDecision> ds = Retention::decide(items, policy, now);
    const QSet<QString> kept = keptIds(ds);
    const QSet<QString> reference = resticKeep(items, policy, now) | protectedIds(items, policy, now);
    if (kept != explicitKept)
        qWarning().noquote() << "kept:    " << show(kept) << "\nexpected:" << show(explicitKept);
    [&] { QCOMPARE(kept, explicitKept); }();
    [&] { QCOMPARE(reference, explicitKept); }(); // the hand-made list agrees with restic's algorithm
    for (const RetentionDecision &d : ds)
        if (d.reasons.isEmpty())
            qWarning() << "no reason for" << d.id;
    return ds;
}

} // namespace

class TstRetentionPeriods : public QObject {
    Q_OBJECT
private slots:
    void hourlyForFortyDays() {
        // Every hour on the hour in Berlin from 2026-10-01 00:00 to 2026-11-09 23:00 (40 days, across the fall-back
        // on 2026-10-25: that day has 25 runs, two of them at local 02:00).
        const QTimeZone berlin = zoneNamed("Europe/Berlin");
        QList<RetentionItem> items;
        const QDateTime first(QDate(2026, 10, 1), QTime(0, 0), berlin);
        const QDateTime last(QDate(2026, 11, 9), QTime(23, 0), berlin);
        for (QDateTime t = first.toUTC(); t <= last.toUTC(); t = t.addSecs(3600))
            items << scheduled(t.toString(Qt::ISODate), t);
        QCOMPARE(items.size(), 40 * 24 + 1);

        RetentionPolicy p;
        p.hourly = 24;
        p.zone = berlin;
        const QDateTime now = last.addSecs(30 * 60);
        auto idAt = [&](int y, int m, int d, int h) {
            return QDateTime(QDate(y, m, d), QTime(h, 0), berlin).toUTC().toString(Qt::ISODate);
        };
        QSet<QString> expected;
        for (int h = 0; h < 24; ++h) // 24 hourly: every run of Nov 9 (also all younger than 24 h)
            expected << idAt(2026, 11, 9, h);
        for (int d = 3; d <= 9; ++d) // 7 daily: the 23:00 run of Nov 3..9
            expected << idAt(2026, 11, d, 23);
        // 4 weekly (ISO weeks end on Sunday): W45 (Nov 9, Monday), Nov 8, Nov 1, Oct 25
        expected << idAt(2026, 11, 8, 23) << idAt(2026, 11, 1, 23) << idAt(2026, 10, 25, 23);
        // 12 monthly: only two months hold backups
        expected << idAt(2026, 10, 31, 23);
        const auto ds = check(items, p, now, expected);
        QCOMPARE(expected.size(), 24 + 6 + 2 + 1);
        const auto d = byId(ds);
        QCOMPARE(
            d.value(idAt(2026, 11, 9, 23)).reason(),
            QStringLiteral("hourly 2026-11-09 23:00 (1 of 24); daily 2026-11-09 (1 of 7); weekly 2026-W46 (1 of "
                           "4); monthly 2026-11 (1 of 12); newest successful backup of source; younger than 24 h"));
        QCOMPARE(d.value(idAt(2026, 11, 3, 23)).reason(), QStringLiteral("daily 2026-11-03 (7 of 7)"));
        QCOMPARE(d.value(idAt(2026, 10, 25, 23)).reason(), QStringLiteral("weekly 2026-W43 (4 of 4)"));
        QCOMPARE(d.value(idAt(2026, 11, 1, 23)).reason(), QStringLiteral("weekly 2026-W44 (3 of 4)"));
        QCOMPARE(d.value(idAt(2026, 10, 31, 23)).reason(), QStringLiteral("monthly 2026-10 (2 of 12)"));
        QCOMPARE(d.value(idAt(2026, 11, 3, 22)).reason(),
                 QStringLiteral("beyond the retention rules (24 hourly, 7 daily, 4 weekly, 12 monthly)"));
    }

    void everySixHoursAcrossDst_data() {
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QDate>("spring");
        QTest::addColumn<QDate>("autumn");
        QTest::newRow("Europe/Berlin") << QStringLiteral("Europe/Berlin") << QDate(2026, 3, 29) << QDate(2026, 10, 25);
        QTest::newRow("America/New_York")
            << QStringLiteral("America/New_York") << QDate(2026, 3, 8) << QDate(2026, 11, 1);
    }
    void everySixHoursAcrossDst() {
        // cron "0 1,7,13,19 * * *" in the zone. 19:00 local is another UTC day (or 01:00 another UTC day), so days
        // or weeks counted in UTC would keep other runs than days counted in the schedule's zone.
        QFETCH(QString, zone);
        QFETCH(QDate, spring);
        QFETCH(QDate, autumn);
        const QTimeZone tz(zone.toUtf8());
        QVERIFY(tz.isValid());
        for (const QDate &dstDay : {spring, autumn}) {
            QList<RetentionItem> items;
            for (QDate d = dstDay.addDays(-20); d <= dstDay.addDays(3); d = d.addDays(1))
                for (int h : {1, 7, 13, 19}) {
                    const QDateTime t(d, QTime(h, 0), tz);
                    items << scheduled(localId(t, tz), t.toUTC());
                }
            RetentionPolicy p{7, 2, 0};
            p.zone = tz;
            const QDate lastDay = dstDay.addDays(3);
            const QDateTime now = QDateTime(lastDay, QTime(20, 0), tz).toUTC();
            QSet<QString> expected;
            for (QDate d = lastDay.addDays(-6); d <= lastDay; d = d.addDays(1))
                expected << d.toString(Qt::ISODate) + QStringLiteral(" 19:00");
            // Younger than 24 h: the runs since 20:00 yesterday.
            for (int h : {1, 7, 13})
                expected << lastDay.toString(Qt::ISODate) + QStringLiteral(" %1:00").arg(h, 2, 10, QLatin1Char('0'));
            // 2 weekly: the current ISO week's newest (already daily) and the previous Sunday's 19:00 run.
            QDate sunday = lastDay.addDays(-lastDay.dayOfWeek()); // Sunday before the last day's week
            expected << sunday.toString(Qt::ISODate) + QStringLiteral(" 19:00");
            check(items, p, now, expected);
        }
    }

    void gapsOfSeveralDays() {
        // Daily 02:00 UTC runs with a 4-day and a 6-day outage: 7 daily reaches back over both.
        QList<RetentionItem> items;
        for (QDate d(2026, 6, 1); d <= QDate(2026, 6, 30); d = d.addDays(1)) {
            if ((d.day() >= 20 && d.day() <= 23) || (d.day() >= 8 && d.day() <= 13))
                continue;
            items << scheduled(d.toString(Qt::ISODate), QDateTime(d, QTime(2, 0), QTimeZone::utc()));
        }
        RetentionPolicy p{7, 0, 0};
        const QSet<QString> expected{QStringLiteral("2026-06-30"), QStringLiteral("2026-06-29"),
                                     QStringLiteral("2026-06-28"), QStringLiteral("2026-06-27"),
                                     QStringLiteral("2026-06-26"), QStringLiteral("2026-06-25"),
                                     QStringLiteral("2026-06-24")};
        check(items, p, at("2026-07-01T12:00:00Z"), expected);
        // Outage just before "now": the periods without a backup are skipped, not counted.
        QList<RetentionItem> older;
        for (const RetentionItem &it : items)
            if (it.started < at("2026-06-20T00:00:00Z"))
                older << it;
        const QSet<QString> expectedOlder{QStringLiteral("2026-06-19"), QStringLiteral("2026-06-18"),
                                          QStringLiteral("2026-06-17"), QStringLiteral("2026-06-16"),
                                          QStringLiteral("2026-06-15"), QStringLiteral("2026-06-14"),
                                          QStringLiteral("2026-06-07")};
        const auto d = byId(check(older, p, at("2026-06-30T12:00:00Z"), expectedOlder));
        QCOMPARE(d.value(QStringLiteral("2026-06-07")).reason(), QStringLiteral("daily 2026-06-07 (7 of 7)"));
    }

    void twoRunsInOneHour() {
        // A catch-up run and the regular one land in the same hour: hourly and daily keep the newer one only.
        QList<RetentionItem> items;
        for (const char *t : {"2026-05-10T09:00:00Z", "2026-05-10T10:05:00Z", "2026-05-10T10:40:00Z",
                              "2026-05-10T11:00:00Z", "2026-05-09T10:10:00Z", "2026-05-09T10:50:00Z"})
            items << scheduled(QString::fromLatin1(t), at(t));
        RetentionPolicy p{2, 0, 0};
        p.hourly = 3;
        const QSet<QString> expected{QStringLiteral("2026-05-10T11:00:00Z"), QStringLiteral("2026-05-10T10:40:00Z"),
                                     QStringLiteral("2026-05-10T09:00:00Z"), QStringLiteral("2026-05-09T10:50:00Z")};
        const auto d = byId(check(items, p, at("2026-05-12T00:00:00Z"), expected));
        QCOMPARE(d.value(QStringLiteral("2026-05-10T10:40:00Z")).reason(),
                 QStringLiteral("hourly 2026-05-10 10:00 (2 of 3)"));
        QCOMPARE(d.value(QStringLiteral("2026-05-09T10:50:00Z")).reason(), QStringLiteral("daily 2026-05-09 (2 of 2)"));
        QVERIFY(!d.value(QStringLiteral("2026-05-10T10:05:00Z")).keep());
    }

    void yearOfDailiesWithYearlyRules() {
        // Daily 01:00 UTC from 2023-03-15 to 2026-11-21; 7 yearly keep the newest of each year that has one.
        QList<RetentionItem> items;
        for (QDate d(2023, 3, 15); d <= QDate(2026, 11, 21); d = d.addDays(1))
            items << scheduled(d.toString(Qt::ISODate), QDateTime(d, QTime(1, 0), QTimeZone::utc()));
        RetentionPolicy p{0, 0, 3};
        p.yearly = 7;
        const QSet<QString> expected{
            // monthly 3 (Nov is also yearly 2026)
            QStringLiteral("2026-11-21"), QStringLiteral("2026-10-31"), QStringLiteral("2026-09-30"),
            // yearly: 2025, 2024, 2023 (only four years hold backups)
            QStringLiteral("2025-12-31"), QStringLiteral("2024-12-31"), QStringLiteral("2023-12-31")};
        const auto d = byId(check(items, p, at("2026-11-21T12:00:00Z"), expected));
        QCOMPARE(d.value(QStringLiteral("2023-12-31")).reason(), QStringLiteral("yearly 2023 (4 of 7)"));
        QCOMPARE(d.value(QStringLiteral("2026-11-21")).reason(),
                 QStringLiteral("monthly 2026-11 (1 of 3); yearly 2026 (1 of 7); newest successful backup of source; "
                                "younger than 24 h"));
    }

    void failedVerificationsFillNoSlot() {
        // Three runs a day (02, 10, 18 UTC) for 10 days. The newest run of Nov 20 and every run of Nov 18 failed
        // verification; Nov 21's 18:00 run failed as a backup.
        QList<RetentionItem> items;
        for (QDate d(2026, 11, 12); d <= QDate(2026, 11, 21); d = d.addDays(1))
            for (int h : {2, 10, 18}) {
                const QDateTime t(d, QTime(h, 0), QTimeZone::utc());
                RetentionItem it = scheduled(t.toUTC().toString(Qt::ISODate), t);
                it.verificationFailed = (d.day() == 20 && h == 18) || d.day() == 18;
                if (d.day() == 21 && h == 18)
                    it.status = BackupStatus::Failed;
                items << it;
            }
        RetentionPolicy p{5, 0, 0};
        const QDateTime now = at("2026-11-22T12:00:00Z");
        // 5 daily: Nov 21 10:00 (its 18:00 failed), Nov 20 10:00 (18:00 failed verification), 19, 17, 16 (18 has
        // none that passed). Failed verifications are kept for inspection; the failed backup is younger than 24 h.
        QSet<QString> expected{QStringLiteral("2026-11-21T10:00:00Z"), QStringLiteral("2026-11-20T10:00:00Z"),
                               QStringLiteral("2026-11-19T18:00:00Z"), QStringLiteral("2026-11-17T18:00:00Z"),
                               QStringLiteral("2026-11-16T18:00:00Z"), QStringLiteral("2026-11-21T18:00:00Z"),
                               QStringLiteral("2026-11-20T18:00:00Z"), QStringLiteral("2026-11-18T02:00:00Z"),
                               QStringLiteral("2026-11-18T10:00:00Z"), QStringLiteral("2026-11-18T18:00:00Z")};
        auto d = byId(check(items, p, now, expected));
        QCOMPARE(d.value(QStringLiteral("2026-11-20T18:00:00Z")).reasons.first(),
                 QStringLiteral("verification failed"));
        QVERIFY(d.value(QStringLiteral("2026-11-20T18:00:00Z")).keep());
        QCOMPARE(d.value(QStringLiteral("2026-11-21T10:00:00Z")).reason(),
                 QStringLiteral("daily 2026-11-21 (1 of 5); newest successful backup of source"));

        // prune --failed-verification removes them; nothing else changes.
        p.pruneFailedVerification = true;
        for (const char *id :
             {"2026-11-20T18:00:00Z", "2026-11-18T02:00:00Z", "2026-11-18T10:00:00Z", "2026-11-18T18:00:00Z"})
            expected.remove(QString::fromLatin1(id));
        d = byId(check(items, p, now, expected));
        QCOMPARE(d.value(QStringLiteral("2026-11-18T10:00:00Z")).reason(),
                 QStringLiteral("verification failed; removed by prune --failed-verification"));

        // The only backup that passed is protected as the newest successful one, not a newer failed verification.
        QList<RetentionItem> two{scheduled(QStringLiteral("passed"), at("2026-01-01T02:00:00Z")),
                                 scheduled(QStringLiteral("bad"), at("2026-01-02T02:00:00Z"))};
        two[1].verificationFailed = true;
        const auto t = byId(
            check(two, RetentionPolicy{0, 0, 0, 0, 0, 0, 0, QTimeZone::utc(), true}, now, {QStringLiteral("passed")}));
        QCOMPARE(t.value(QStringLiteral("passed")).reason(), QStringLiteral("newest successful backup of source"));
    }

    void manualBackupAmongThem() {
        // Daily 01:00 in New York; a manual backup at 12:00 UTC on Nov 17 is that UTC day's newest and takes the
        // daily slot of Nov 17; the scheduled run of Nov 17 is not kept. The manual one has a 3-day keep-days
        // that ended, so only the rule keeps it.
        const QTimeZone ny = zoneNamed("America/New_York");
        QList<RetentionItem> items;
        for (QDate d(2026, 11, 10); d <= QDate(2026, 11, 21); d = d.addDays(1)) {
            const QDateTime t(d, QTime(1, 0), ny);
            items << scheduled(d.toString(Qt::ISODate), t.toUTC());
        }
        RetentionItem m;
        m.id = QStringLiteral("manual");
        m.source = QStringLiteral("db");
        m.started = at("2026-11-17T12:00:00Z");
        m.manual = true;
        m.label = QStringLiteral("before-upgrade");
        m.keepDays = 3;
        items << m;
        RetentionPolicy p{5, 0, 0};
        p.zone = ny;
        const QSet<QString> expected{QStringLiteral("2026-11-21"), QStringLiteral("2026-11-20"),
                                     QStringLiteral("2026-11-19"), QStringLiteral("2026-11-18"),
                                     QStringLiteral("manual")};
        const auto d = byId(check(items, p, at("2026-11-21T20:00:00Z"), expected));
        QCOMPARE(d.value(QStringLiteral("manual")).reason(), QStringLiteral("daily 2026-11-17 (5 of 5)"));
        QCOMPARE(d.value(QStringLiteral("2026-11-17")).reason(),
                 QStringLiteral("beyond the retention rules (5 daily, 0 weekly, 0 monthly)"));
    }

    void lastAndWithin() {
        QList<RetentionItem> items;
        for (int i = 0; i < 30; ++i) {
            const QDateTime t = at("2026-04-01T00:00:00Z").addSecs(i * 8 * 3600); // every 8 hours
            items << scheduled(t.toString(Qt::ISODate), t);
        }
        RetentionPolicy p{0, 0, 0};
        p.last = 4;
        QVERIFY(RetentionPolicy::parseDuration(QStringLiteral("3d"), &p.withinSeconds));
        const QDateTime now = at("2026-04-11T00:00:00Z"); // newest: 04-10T16:00
        QSet<QString> expected;
        for (const RetentionItem &it : items)
            if (it.started > now.addDays(-3))
                expected << it.id;
        QCOMPARE(expected.size(), 8);
        const auto d = byId(check(items, p, now, expected));
        QCOMPARE(d.value(QStringLiteral("2026-04-10T16:00:00Z")).reason(),
                 QStringLiteral("last (1 of 4); within 3d; newest successful backup of source; younger than 24 h"));
        QCOMPARE(d.value(QStringLiteral("2026-04-08T08:00:00Z")).reason(), QStringLiteral("within 3d"));
        QCOMPARE(p.describe(), QStringLiteral("last 4, 0 daily, 0 weekly, 0 monthly, within 3d"));
    }

    void durations() {
        qint64 s = -1;
        QVERIFY(RetentionPolicy::parseDuration(QStringLiteral("36h"), &s));
        QCOMPARE(s, 36 * 3600);
        QVERIFY(RetentionPolicy::parseDuration(QStringLiteral("1w3d12h"), &s));
        QCOMPARE(s, (10 * 24 + 12) * 3600);
        QCOMPARE(RetentionPolicy::formatDuration(s), QStringLiteral("10d12h"));
        for (const char *bad : {"", "7", "d", "7x", "-1d", "7 d", "1.5d", "99999999999d"})
            QVERIFY2(!RetentionPolicy::parseDuration(QString::fromLatin1(bad), &s), bad);

        QProcessEnvironment env;
        env.insert(QStringLiteral("BACKUP_RETENTION_HOURLY"), QStringLiteral("48"));
        env.insert(QStringLiteral("BACKUP_RETENTION_YEARLY"), QStringLiteral("7"));
        env.insert(QStringLiteral("BACKUP_RETENTION_LAST"), QStringLiteral("2"));
        env.insert(QStringLiteral("BACKUP_RETENTION_WITHIN"), QStringLiteral("7d"));
        RetentionPolicy p;
        QVERIFY(!p.applyEnvironment(env));
        QCOMPARE(p.describe(), QStringLiteral("last 2, 48 hourly, 7 daily, 4 weekly, 12 monthly, 7 yearly, within 7d"));
        env.insert(QStringLiteral("BACKUP_RETENTION_WITHIN"), QStringLiteral("a week"));
        RetentionPolicy q;
        const Error e = q.applyEnvironment(env);
        QCOMPARE(e.code, ExitCode::Usage);
        QVERIFY2(e.message.contains(QStringLiteral("BACKUP_RETENTION_WITHIN='a week'")), qPrintable(e.message));
        QCOMPARE(q, RetentionPolicy{}); // nothing applied on error
    }
};

QTEST_GUILESS_MAIN(TstRetentionPeriods)
#include "tst_retention_periods.moc"
