// Deciding retention over many records: bench_retention [records, default 100000]. One source backed up every hour
// (about 11 years for 100,000 records) in Europe/Berlin, with a few failed runs and failed verifications, decided
// with "48 hourly, 14 daily, 8 weekly, 12 monthly, 7 yearly, within 7d". Prints the median of 5 runs in ms and the
// kept count; exits non-zero when the kept set is not what the rules give (checked by counting periods) — a
// measurement, not a pass/fail timing test.
#include "retention/Retention.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimeZone>

#include <algorithm>
#include <cstdio>

using namespace lifeboat;

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 100000;
    const QTimeZone berlin(QByteArrayLiteral("Europe/Berlin"));
    const QDateTime now = QDateTime(QDate(2026, 11, 21), QTime(12, 30), berlin);
    QList<RetentionItem> items;
    items.reserve(n);
    for (int i = 0; i < n; ++i) {
        RetentionItem it;
        it.id = QString::number(i);
        it.source = QStringLiteral("prod");
        it.started = now.addSecs(-qint64(i) * 3600 - 1800).toUTC();
        it.isDaily = true;
        if (i % 997 == 5)
            it.status = BackupStatus::Failed;
        if (i % 1009 == 7)
            it.verificationFailed = true;
        items.append(it);
    }
    RetentionPolicy p;
    p.hourly = 48;
    p.daily = 14;
    p.weekly = 8;
    p.monthly = 12;
    p.yearly = 7;
    p.withinSeconds = 7 * 86400;
    p.zone = berlin;

    QList<qint64> ms;
    int kept = 0;
    for (int round = 0; round < 5; ++round) {
        QElapsedTimer t;
        t.start();
        const QList<RetentionDecision> ds = Retention::decide(items, p, now.toUTC());
        ms << t.elapsed();
        kept = int(std::count_if(ds.begin(), ds.end(), [](const RetentionDecision &d) { return d.keep(); }));
    }
    std::sort(ms.begin(), ms.end());
    std::printf("bench_retention: %d records, median %lld ms (min %lld, max %lld), %d kept\n", n, ms.at(2), ms.first(),
                ms.last(), kept);
    // Sanity, not a reimplementation: hourly backups fill every hourly/daily/weekly/monthly slot with distinct
    // backups except where periods nest (the newest of a day is also the newest of its hour...), so the kept set is
    // at least the within-7d backups and at most that plus one per daily/weekly/monthly/yearly slot and the
    // verification-failed ones.
    const int within = 7 * 24;
    const int failedVerification = int(std::count_if(items.begin(), items.end(), [](const RetentionItem &i) {
        return i.verificationFailed && i.status == BackupStatus::Completed;
    }));
    if (n >= 100000 && (kept < within || kept > within + 14 + 8 + 12 + 7 + failedVerification + 2)) {
        std::fprintf(stderr, "bench_retention: unexpected kept count %d\n", kept);
        return 1;
    }
    return 0;
}
