#include "schedule/CronExpression.h"
#include "schedule/ScheduleDue.h"

#include <QTest>

using namespace lifeboat;

// Expected instants are written by hand in UTC from the published transition dates (2026: Berlin springs forward
// 29 Mar 01:00Z and falls back 25 Oct 01:00Z; New York springs forward 8 Mar 07:00Z and falls back 1 Nov 06:00Z),
// not computed by the code under test.
namespace {
QDateTime utc(const char *iso) {
    QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    Q_ASSERT(t.isValid());
    return t.toUTC();
}
QTimeZone zone(const char *id) {
    const QTimeZone tz{QByteArray(id)};
    Q_ASSERT(tz.isValid());
    return tz;
}
} // namespace

class TstSchedule : public QObject {
    Q_OBJECT
private slots:
    void nextFire_data() {
        QTest::addColumn<QString>("expr");
        QTest::addColumn<QByteArray>("tz");
        QTest::addColumn<QDateTime>("after");
        QTest::addColumn<QDateTime>("expected");
        auto row = [](const char *name, const char *expr, const char *tz, const char *after, const char *expected) {
            QTest::newRow(name) << QString::fromLatin1(expr) << QByteArray(tz) << utc(after) << utc(expected);
        };
        // Europe/Berlin, spring forward: 02:00-02:59 CET does not exist on 2026-03-29.
        row("berlin-gap-0230", "30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z");
        row("berlin-gap-next-day", "30 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z");
        row("berlin-gap-end-0300", "0 3 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z");
        row("berlin-before-gap", "30 1 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T00:30:00Z");
        row("berlin-after-gap", "30 4 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T02:30:00Z");
        row("berlin-15min-into-gap", "*/15 * * * *", "Europe/Berlin", "2026-03-29T00:50:00Z", "2026-03-29T01:00:00Z");
        // 02:15, 02:30, 02:45 (gap) and 03:00 are all the one run at 01:00Z; the next is 03:15 CEST.
        row("berlin-15min-gap-collapses", "*/15 * * * *", "Europe/Berlin", "2026-03-29T01:00:00Z",
            "2026-03-29T01:15:00Z");
        // Europe/Berlin, fall back: 02:00-02:59 happens twice on 2026-10-25 (CEST 00:00Z-00:59Z, CET 01:00Z-01:59Z).
        row("berlin-overlap-first", "30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z");
        row("berlin-overlap-once", "30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z");
        row("berlin-hourly-skips-repeat", "0 * * * *", "Europe/Berlin", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z");
        row("berlin-hourly-from-2nd-pass", "0 * * * *", "Europe/Berlin", "2026-10-25T01:10:00Z",
            "2026-10-25T02:00:00Z");
        row("berlin-outside-overlap", "30 4 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T03:30:00Z");
        row("berlin-before-overlap", "30 1 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-24T23:30:00Z");
        // America/New_York, spring forward: 02:00-02:59 EST does not exist on 2026-03-08.
        row("ny-gap-0230", "30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z");
        row("ny-gap-0200", "0 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z");
        row("ny-gap-then-normal", "0 2 * * *", "America/New_York", "2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z");
        row("ny-before-dst", "0 12 * * *", "America/New_York", "2026-03-01T00:00:00Z", "2026-03-01T17:00:00Z");
        row("ny-after-dst", "0 12 * * *", "America/New_York", "2026-03-09T00:00:00Z", "2026-03-09T16:00:00Z");
        // America/New_York, fall back: 01:00-01:59 happens twice on 2026-11-01 (EDT 05:xxZ, EST 06:xxZ).
        row("ny-overlap-first", "30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T05:30:00Z");
        row("ny-overlap-once", "30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z");
        row("ny-outside-overlap", "0 3 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T08:00:00Z");
        // Names, steps, lists (UTC).
        row("weekdays", "0 9 * * MON-FRI", "UTC", "2026-11-21T10:00:00Z", "2026-11-23T09:00:00Z");
        row("month-names-mixed-case", "0 0 1 jan,Jul *", "UTC", "2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z");
        row("month-names-list", "0 0 1 jan,Jul *", "UTC", "2026-02-01T00:00:00Z", "2026-07-01T00:00:00Z");
        row("range-step", "1-30/5 * * * *", "UTC", "2026-11-21T10:26:00Z", "2026-11-21T11:01:00Z");
        row("range-step-mid", "1-30/5 * * * *", "UTC", "2026-11-21T10:06:00Z", "2026-11-21T10:11:00Z");
        row("start-step", "5/20 * * * *", "UTC", "2026-11-21T10:45:00Z", "2026-11-21T11:05:00Z");
        row("star-step", "*/15 * * * *", "UTC", "2026-11-21T10:44:59Z", "2026-11-21T10:45:00Z");
        row("seconds-truncate", "*/15 * * * *", "UTC", "2026-11-21T10:45:00Z", "2026-11-21T11:00:00Z");
        row("list-and-range", "0 1,13-14 * * *", "UTC", "2026-11-21T13:00:00Z", "2026-11-21T14:00:00Z");
        row("sunday-as-7", "0 0 * * 7", "UTC", "2026-11-21T10:00:00Z", "2026-11-22T00:00:00Z");
        row("sunday-as-0", "0 0 * * 0", "UTC", "2026-11-21T10:00:00Z", "2026-11-22T00:00:00Z");
        row("sun-name", "0 0 * * sun", "UTC", "2026-11-21T10:00:00Z", "2026-11-22T00:00:00Z");
        // Day-of-month and day-of-week both restricted: either matches.
        row("dom-or-dow-friday", "0 0 13 * FRI", "UTC", "2026-11-01T00:00:00Z", "2026-11-06T00:00:00Z");
        row("dom-or-dow-13th", "0 0 13 * FRI", "UTC", "2026-12-11T00:00:00Z", "2026-12-13T00:00:00Z");
        // A '*'-field makes it AND: days 1,11,21,31 that are Mondays.
        row("dom-star-step-and-dow", "0 0 */10 * MON", "UTC", "2026-11-21T00:00:00Z", "2026-12-21T00:00:00Z");
        row("feb29", "0 0 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z");
        row("feb29-again", "0 0 29 2 *", "UTC", "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z");
        // Either day matches, but only in February: the next Monday in February comes first.
        row("feb29-or-monday", "0 0 29 2 MON", "UTC", "2026-03-01T00:00:00Z", "2027-02-01T00:00:00Z");
        row("feb29-or-monday-leap", "0 0 29 2 MON", "UTC", "2028-02-28T00:00:00Z", "2028-02-29T00:00:00Z");
        row("day31-skips-april", "0 0 31 * *", "UTC", "2026-04-01T00:00:00Z", "2026-05-31T00:00:00Z");
        row("year-end", "59 23 31 12 *", "UTC", "2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z");
        row("daily-macro", "@daily", "UTC", "2026-11-21T10:00:00Z", "2026-11-22T00:00:00Z");
        row("weekly-macro", "@weekly", "UTC", "2026-11-21T10:00:00Z", "2026-11-22T00:00:00Z");
        row("default-profile-schedule", "0 1 * * *", "Europe/Berlin", "2026-11-21T10:00:00Z", "2026-11-22T00:00:00Z");
    }

    void nextFire() {
        QFETCH(QString, expr);
        QFETCH(QByteArray, tz);
        QFETCH(QDateTime, after);
        QFETCH(QDateTime, expected);
        const CronExpression cron = CronExpression::parse(expr);
        QVERIFY2(cron.isValid(), qPrintable(cron.error()));
        const QDateTime next = cron.nextFire(after, zone(tz.constData()));
        QVERIFY(next.isValid());
        QCOMPARE(next.toUTC(), expected);
        QCOMPARE(next.timeZone().id(), QTimeZone(tz).id());
        // The same instant given in another zone's representation does not change the answer.
        QCOMPARE(cron.nextFire(after.toTimeZone(zone("Asia/Tokyo")), zone(tz.constData())).toUTC(), expected);
    }

    void nextFiresSequenceAcrossSpringForward() {
        const CronExpression cron = CronExpression::parse(QStringLiteral("*/30 1-3 * * *"));
        QVERIFY(cron.isValid());
        const QList<QDateTime> fires = cron.nextFires(utc("2026-03-28T23:59:00Z"), zone("Europe/Berlin"), 5);
        // 01:00, 01:30 CET; 02:00/02:30 (gap) and 03:00 -> one run at 03:00 CEST; 03:30 CEST; next day 01:00 CEST.
        const QList<QDateTime> expected{utc("2026-03-29T00:00:00Z"), utc("2026-03-29T00:30:00Z"),
                                        utc("2026-03-29T01:00:00Z"), utc("2026-03-29T01:30:00Z"),
                                        utc("2026-03-29T23:00:00Z")};
        QCOMPARE(fires.size(), 5);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(fires[i].toUTC(), expected[i]);
    }

    void nextFiresSequenceAcrossFallBack() {
        const CronExpression cron = CronExpression::parse(QStringLiteral("*/30 0-3 * * *"));
        const QList<QDateTime> fires = cron.nextFires(utc("2026-10-31T23:00:00Z"), zone("America/New_York"), 8);
        // 00:00, 00:30 EDT; 01:00, 01:30 EDT (first pass only); 02:00, 02:30, 03:00, 03:30 EST.
        const QList<QDateTime> expected{utc("2026-11-01T04:00:00Z"), utc("2026-11-01T04:30:00Z"),
                                        utc("2026-11-01T05:00:00Z"), utc("2026-11-01T05:30:00Z"),
                                        utc("2026-11-01T07:00:00Z"), utc("2026-11-01T07:30:00Z"),
                                        utc("2026-11-01T08:00:00Z"), utc("2026-11-01T08:30:00Z")};
        QCOMPARE(fires.size(), expected.size());
        for (int i = 0; i < fires.size(); ++i)
            QCOMPARE(fires[i].toUTC(), expected[i]);
    }

    void hourlyForAYear_data() {
        QTest::addColumn<QByteArray>("tz");
        QTest::addColumn<int>("expected");
        // 365 days x 24 wall hours, minus the spring-forward 02:00 that merges with 03:00; the repeated autumn hour
        // fires once. UTC has no transitions.
        QTest::newRow("Europe/Berlin") << QByteArray("Europe/Berlin") << 365 * 24 - 1;
        QTest::newRow("America/New_York") << QByteArray("America/New_York") << 365 * 24 - 1;
        QTest::newRow("UTC") << QByteArray("UTC") << 365 * 24;
    }

    void hourlyForAYear() {
        QFETCH(QByteArray, tz);
        QFETCH(int, expected);
        const QTimeZone zoneTz = zone(tz.constData());
        const CronExpression cron = CronExpression::parse(QStringLiteral("0 * * * *"));
        const QDateTime start = QDateTime(QDate(2026, 1, 1), QTime(0, 0), zoneTz).addSecs(-1);
        const QDateTime end = QDateTime(QDate(2027, 1, 1), QTime(0, 0), zoneTz).addSecs(-1);
        int count = 0;
        QDateTime prev;
        for (QDateTime t = cron.nextFire(start, zoneTz); t.isValid() && t <= end; t = cron.nextFire(t, zoneTz)) {
            QVERIFY(!prev.isValid() || t > prev);
            QCOMPARE(t.toTimeZone(zoneTz).time().minute(), 0);
            QCOMPARE(cron.previousFire(t, zoneTz), t); // the two directions agree
            prev = t;
            ++count;
        }
        QCOMPARE(count, expected);
    }

    void previousFire() {
        const CronExpression cron = CronExpression::parse(QStringLiteral("30 2 * * *"));
        const QTimeZone berlin = zone("Europe/Berlin");
        QCOMPARE(cron.previousFire(utc("2026-03-29T01:30:00Z"), berlin).toUTC(), utc("2026-03-29T01:00:00Z"));
        QCOMPARE(cron.previousFire(utc("2026-03-29T01:00:00Z"), berlin).toUTC(), utc("2026-03-29T01:00:00Z"));
        QCOMPARE(cron.previousFire(utc("2026-03-29T00:59:00Z"), berlin).toUTC(), utc("2026-03-28T01:30:00Z"));
        // In the repeated hour the second 02:30 is not a fire time: the latest is the first one.
        QCOMPARE(cron.previousFire(utc("2026-10-25T01:45:00Z"), berlin).toUTC(), utc("2026-10-25T00:30:00Z"));
        const CronExpression feb29 = CronExpression::parse(QStringLiteral("0 0 29 2 *"));
        QCOMPARE(feb29.previousFire(utc("2027-06-01T00:00:00Z"), QTimeZone::utc()).toUTC(),
                 utc("2024-02-29T00:00:00Z"));
    }

    void invalid_data() {
        QTest::addColumn<QString>("expr");
        QTest::addColumn<QString>("message");
        auto row = [](const char *expr, const char *msg) {
            QTest::newRow(expr) << QString::fromLatin1(expr) << QString::fromLatin1(msg);
        };
        row("", "expected 5 fields (minute hour day-of-month month day-of-week), got 0");
        row("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4 in '* * * *'");
        row("* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 6");
        row("60 * * * *", "minute field '60': value 60 is out of range (use 0-59)");
        row("* 24 * * *", "hour field '24': value 24 is out of range (use 0-23)");
        row("* * 0 * *", "day-of-month field '0': value 0 is out of range (use 1-31)");
        row("* * * 13 *", "month field '13': value 13 is out of range (use 1-12 or JAN..DEC)");
        row("* * * FOO *", "month field 'FOO': unknown name 'FOO' (use 1-12 or JAN..DEC)");
        row("* * * * MON-SUNX", "day-of-week field 'MON-SUNX': unknown name 'SUNX' (use 0-7 (0 and 7 are Sunday) or "
                                "SUN..SAT)");
        row("* * * * 8", "day-of-week field '8': value 8 is out of range");
        row("*/0 * * * *", "minute field '*/0': step '0' must be a number from 1 to 59");
        row("*/x * * * *", "minute field '*/x': step 'x' must be a number from 1 to 59");
        row("5-1 * * * *", "minute field '5-1': range 5-1 is descending");
        row("* * * * FRI-MON", "day-of-week field 'FRI-MON': range FRI-MON is descending");
        row("1,,2 * * * *", "minute field '1,,2': empty element in list");
        row("1/2/3 * * * *", "minute field '1/2/3': more than one '/'");
        row("a * * * *", "minute field 'a': 'a' is not a number (use 0-59)");
        row("-5 * * * *", "minute field '-5': missing value");
        row("0 0 30 2 *", "day-of-month field '30': never fires in the selected month(s) '2'");
        row("0 0 31 4,6 *", "day-of-month field '31': never fires");
        row("@often", "unknown shortcut '@often'");
    }

    void invalid() {
        QFETCH(QString, expr);
        QFETCH(QString, message);
        const CronExpression cron = CronExpression::parse(expr);
        QVERIFY(!cron.isValid());
        QVERIFY2(cron.error().contains(message), qPrintable(cron.error()));
        QVERIFY(!cron.nextFire(utc("2026-01-01T00:00:00Z"), QTimeZone::utc()).isValid());
    }

    void describe_data() {
        QTest::addColumn<QString>("expr");
        QTest::addColumn<QString>("text");
        auto row = [](const char *expr, const char *text) {
            QTest::newRow(expr) << QString::fromLatin1(expr) << QString::fromLatin1(text);
        };
        row("0 1 * * *", "at 01:00 every day");
        row("*/15 * * * MON-FRI", "every 15 minutes on Monday through Friday");
        row("0 0 13 * FRI", "at 00:00 on day 13 of the month or on Friday");
        row("5 * * * *", "every hour at minute 5 every day");
        row("* * * * *", "every minute every day");
        row("30 2,14 1 JAN,JUL *", "at 02:30 and 14:30 on day 1 of the month in January and July");
        row("0 22 * * 0,6", "at 22:00 on Sunday and Saturday");
    }

    void describe() {
        QFETCH(QString, expr);
        QFETCH(QString, text);
        QCOMPARE(CronExpression::parse(expr).describe(), text);
    }

    void dueOnTime() {
        const CronExpression cron = CronExpression::parse(QStringLiteral("0 1 * * *"));
        const QTimeZone berlin = zone("Europe/Berlin");
        const DueResult r = ScheduleDue::check(cron, utc("2026-11-20T00:30:00Z"), utc("2026-11-21T00:05:00Z"), berlin);
        QVERIFY2(r.due, qPrintable(r.reason));
        QCOMPARE(r.fireTime.toUTC(), utc("2026-11-21T00:00:00Z"));
        QCOMPARE(r.missed, 1);
        QCOMPARE(r.nextFire.toUTC(), utc("2026-11-22T00:00:00Z"));
        QVERIFY2(r.reason.startsWith(QStringLiteral("due: scheduled for 2026-11-21 01:00")), qPrintable(r.reason));
        // Recording `now` and checking again a minute later: nothing owed, no double run.
        const DueResult again =
            ScheduleDue::check(cron, utc("2026-11-21T00:05:00Z"), utc("2026-11-21T00:06:00Z"), berlin);
        QVERIFY(!again.due);
        QCOMPARE(again.missed, 0);
        QVERIFY2(again.reason.startsWith(QStringLiteral("not due: next run 2026-11-22 01:00")),
                 qPrintable(again.reason));
    }

    void notDueBeforeFireTime() {
        const CronExpression cron = CronExpression::parse(QStringLiteral("0 1 * * *"));
        const DueResult r =
            ScheduleDue::check(cron, utc("2026-11-20T00:30:00Z"), utc("2026-11-20T23:59:59Z"), zone("Europe/Berlin"));
        QVERIFY(!r.due);
        QCOMPARE(r.nextFire.toUTC(), utc("2026-11-21T00:00:00Z"));
        // Never checked before: nothing owed yet.
        QVERIFY(!ScheduleDue::check(cron, QDateTime(), utc("2026-11-21T12:00:00Z"), zone("Europe/Berlin")).due);
    }

    void missedRunsCollapseToOne() {
        const CronExpression cron = CronExpression::parse(QStringLiteral("0 1 * * *"));
        const DueResult r =
            ScheduleDue::check(cron, utc("2026-11-15T00:30:00Z"), utc("2026-11-21T08:00:00Z"), zone("Europe/Berlin"));
        QVERIFY(r.due);
        QCOMPARE(r.missed, 6); // 16th..21st
        QCOMPARE(r.firstMissed.toUTC(), utc("2026-11-16T00:00:00Z"));
        QCOMPARE(r.fireTime.toUTC(), utc("2026-11-21T00:00:00Z"));
        QVERIFY2(r.reason.contains(QStringLiteral("6 runs missed")), qPrintable(r.reason));
        QVERIFY(r.reason.contains(QStringLiteral("catching up with one run")));
    }

    void skipPolicy() {
        const CronExpression cron = CronExpression::parse(QStringLiteral("0 1 * * *"));
        const QTimeZone berlin = zone("Europe/Berlin");
        const DueResult late = ScheduleDue::check(cron, utc("2026-11-15T00:30:00Z"), utc("2026-11-21T00:30:00Z"),
                                                  berlin, MissedRunPolicy::Skip, 300);
        QVERIFY(!late.due);
        QCOMPARE(late.missed, 6);
        QVERIFY2(late.reason.contains(QStringLiteral("skipped")), qPrintable(late.reason));
        const DueResult inGrace = ScheduleDue::check(cron, utc("2026-11-15T00:30:00Z"), utc("2026-11-21T00:04:00Z"),
                                                     berlin, MissedRunPolicy::Skip, 300);
        QVERIFY(inGrace.due);
        QCOMPARE(inGrace.fireTime.toUTC(), utc("2026-11-21T00:00:00Z"));
    }

    void missedCountIsCapped() {
        const CronExpression cron = CronExpression::parse(QStringLiteral("* * * * *"));
        const DueResult r =
            ScheduleDue::check(cron, utc("2025-11-21T00:00:00Z"), utc("2026-11-21T00:00:30Z"), QTimeZone::utc());
        QVERIFY(r.due);
        QVERIFY(r.missedCapped);
        QCOMPARE(r.missed, ScheduleDue::kMaxCounted);
        QCOMPARE(r.fireTime.toUTC(), utc("2026-11-21T00:00:00Z"));
        QVERIFY(r.reason.contains(QStringLiteral("more than 1000")));
    }

    void dueAcrossSpringGap() {
        // The 02:30 run on the spring-forward day is owed at 03:00 CEST and not before.
        const CronExpression cron = CronExpression::parse(QStringLiteral("30 2 * * *"));
        const QTimeZone berlin = zone("Europe/Berlin");
        QVERIFY(!ScheduleDue::check(cron, utc("2026-03-28T12:00:00Z"), utc("2026-03-29T00:59:59Z"), berlin).due);
        const DueResult r = ScheduleDue::check(cron, utc("2026-03-28T12:00:00Z"), utc("2026-03-29T01:00:00Z"), berlin);
        QVERIFY(r.due);
        QCOMPARE(r.fireTime.toUTC(), utc("2026-03-29T01:00:00Z"));
    }
};

QTEST_GUILESS_MAIN(TstSchedule)
#include "tst_schedule.moc"
