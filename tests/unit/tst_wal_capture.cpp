// WalCapture::evaluate: when an old archive is a lag (wal.lag) and when it is an idle server, the gap and the slot
// over its limit, and untold's memory of a lag that goes on. The integration tests (tst_walalerts_cli,
// tst_gui_trayalerts) drive the same code with a real cluster and catalog; here the server's answers that are hard to
// make for real on demand (a receiver on another machine, a standby, a refused connection) are given directly.
#include "ops/WalCapture.h"

#include <QTest>
#include <QTimeZone>

#include <utility>

using namespace lifeboat;

namespace {
const QDateTime kNow(QDate(2026, 3, 2), QTime(12, 0), QTimeZone::utc());

WalFileRecord row(const QString &name, int secondsAgo) {
    WalFileRecord w;
    w.profile = QStringLiteral("p");
    w.timeline = 1;
    w.name = name;
    w.kind = QStringLiteral("segment");
    w.storage = QStringLiteral("disk");
    w.stored = kNow.addSecs(-secondsAgo);
    return w;
}
QList<WalFileRecord> archive(int newestSecondsAgo) {
    return {row(QStringLiteral("000000010000000000000001"), newestSecondsAgo + 100),
            row(QStringLiteral("000000010000000000000002"), newestSecondsAgo)};
}
Profile profile() {
    Profile p;
    p.name = QStringLiteral("p");
    return p;
}
WalCapture::Server answering(const QString &current, QList<WalCapture::Slot> list = {}) {
    WalCapture::Server s;
    s.asked = true;
    s.reachable = true;
    s.currentSegment = current;
    s.replicationSlots = std::move(list);
    return s;
}
const QString kSegment3 = QStringLiteral("000000010000000000000003");
const QString kSegment5 = QStringLiteral("000000010000000000000005");
} // namespace

class TstWalCapture : public QObject {
    Q_OBJECT
private slots:
    void idlePushArchiveIsNoLag() {
        // Storage ends at 2, the server writes 3: nothing finished is missing, no slot (archive_command).
        const auto h = WalCapture::evaluate(profile(), archive(3600), {}, answering(kSegment3), kNow);
        QCOMPARE(h.lagSeconds, 3600);
        QCOMPARE(h.lagLimitSeconds, 120);
        QVERIFY(!h.lagging);
        QCOMPARE(h.segmentsNotArchived, 0);
        QVERIFY(WalCapture::alerts(h).isEmpty());
    }
    void finishedSegmentsMissingIsALag() {
        const auto h = WalCapture::evaluate(profile(), archive(3600), {}, answering(kSegment5), kNow);
        QVERIFY(h.lagging);
        QCOMPARE(h.segmentsNotArchived, 2);
        const auto alerts = WalCapture::alerts(h);
        QCOMPARE(alerts.size(), 1);
        QCOMPARE(alerts.first().notification.event, QStringLiteral("wal.lag"));
        QVERIFY(alerts.first().notification.text.contains(QStringLiteral("Next:")));
    }
    void underTheLimitIsNoLag() {
        const auto h = WalCapture::evaluate(profile(), archive(100), {}, answering(kSegment5), kNow);
        QVERIFY(!h.lagging);
    }
    void unansweredServerIsALag() {
        WalCapture::Server s;
        s.asked = true;
        s.error = QStringLiteral("connection refused");
        auto h = WalCapture::evaluate(profile(), archive(600), {}, s, kNow);
        QVERIFY(h.lagging);
        QVERIFY(h.pending.contains(QStringLiteral("connection refused")));
        h = WalCapture::evaluate(profile(), archive(600), {}, WalCapture::Server{}, kNow); // not asked
        QVERIFY(h.lagging);
    }
    void receiverConfirmationKeepsAnIdleArchiveCurrent() {
        WalCapture::ReceiverSettings s;
        s.recorded = true;
        s.partialUploadSeconds = 10;
        s.currentAt = kNow.addSecs(-5);
        const WalCapture::Server server = answering(kSegment3, {{QStringLiteral("lifeboat_p"), true, 0}});
        auto h = WalCapture::evaluate(profile(), archive(3600), s, server, kNow);
        QCOMPARE(h.lagSeconds, 5);
        QVERIFY(!h.lagging);
        // The receiver stopped confirming (it cannot store) while still connected: a lag.
        s.currentAt = kNow.addSecs(-60);
        h = WalCapture::evaluate(profile(), archive(3600), s, server, kNow);
        QVERIFY(h.lagging);
        QVERIFY(h.pending.contains(QStringLiteral("has not stored or confirmed")));
        // No receiver connected to the slot.
        h = WalCapture::evaluate(profile(), archive(3600), s,
                                 answering(kSegment3, {{QStringLiteral("lifeboat_p"), false, 4096}}), kNow);
        QVERIFY(h.lagging);
        QVERIFY(h.pending.contains(QStringLiteral("no receiver is connected")));
    }
    void receiverOnAnotherMachineKeepingUpIsNoLag() {
        // No status file here: connected and within a segment is current; further behind is a lag.
        auto h = WalCapture::evaluate(profile(), archive(3600), {},
                                      answering(kSegment3, {{QStringLiteral("lifeboat_p"), true, 8192}}), kNow);
        QVERIFY(!h.lagging);
        h = WalCapture::evaluate(profile(), archive(3600), {},
                                 answering(kSegment3, {{QStringLiteral("lifeboat_p"), true, 40LL << 20}}), kNow);
        QVERIFY(h.lagging);
    }
    void gapAndSlotAreNamed() {
        QList<WalFileRecord> rows = archive(10);
        rows << row(QStringLiteral("000000010000000000000004"), 5);
        WalCapture::ReceiverSettings s;
        s.warnRetainedBytes = 1 << 20;
        const auto h = WalCapture::evaluate(
            profile(), rows, s, answering(kSegment5, {{QStringLiteral("lifeboat_p"), false, 2 << 20}}), kNow);
        QCOMPARE(h.missing, QStringList{kSegment3});
        QVERIFY(h.slotOverLimit.has_value());
        QStringList events;
        for (const auto &a : WalCapture::alerts(h))
            events << a.notification.event;
        QCOMPARE(events, (QStringList{QStringLiteral("wal.gap"), QStringLiteral("wal.slot")}));
    }
    void aLagIsOneOccurrenceUntilNewWal() {
        const auto lagging = WalCapture::evaluate(profile(), archive(600), {}, WalCapture::Server{}, kNow);
        QStringList alerted;
        QCOMPARE(WalCapture::untold(WalCapture::alerts(lagging), &alerted, WalCapture::ongoing(lagging)).size(), 1);
        // Judged a moment when it was under the limit (run-due --as-of earlier): remembered, not new again after.
        const auto earlier =
            WalCapture::evaluate(profile(), archive(600), {}, WalCapture::Server{}, kNow.addSecs(-500));
        QVERIFY(!earlier.lagging);
        QCOMPARE(WalCapture::untold(WalCapture::alerts(earlier), &alerted, WalCapture::ongoing(earlier)).size(), 0);
        QCOMPARE(WalCapture::untold(WalCapture::alerts(lagging), &alerted, WalCapture::ongoing(lagging)).size(), 0);
        // New WAL stored, then a new lag: told again.
        const auto later = WalCapture::evaluate(profile(), archive(300), {}, WalCapture::Server{}, kNow.addSecs(0));
        QCOMPARE(WalCapture::untold(WalCapture::alerts(later), &alerted, WalCapture::ongoing(later)).size(), 1);
    }
    void aSlotOverItsLimitIsOneOccurrenceWhileTheServerIsNotAnswering() {
        // The slot is judged only when the server answers: a flapping connection must not make the same slot
        // alert new again each time it comes back.
        WalCapture::ReceiverSettings s;
        s.warnRetainedBytes = 1 << 20;
        const auto over = WalCapture::evaluate(
            profile(), archive(10), s, answering(kSegment3, {{QStringLiteral("lifeboat_p"), true, 2 << 20}}), kNow);
        QVERIFY(over.slotOverLimit.has_value());
        const auto slotAlerts = [](const QList<WalCapture::Alert> &alerts) {
            int n = 0;
            for (const auto &a : alerts)
                n += a.notification.event == QLatin1String("wal.slot");
            return n;
        };
        QStringList alerted;
        QCOMPARE(slotAlerts(WalCapture::untold(WalCapture::alerts(over), &alerted, WalCapture::ongoing(over))), 1);
        WalCapture::Server down;
        down.asked = true;
        down.error = QStringLiteral("connection refused");
        const auto unanswered = WalCapture::evaluate(profile(), archive(10), s, down, kNow.addSecs(30));
        WalCapture::untold(WalCapture::alerts(unanswered), &alerted, WalCapture::ongoing(unanswered));
        QCOMPARE(slotAlerts(WalCapture::untold(WalCapture::alerts(over), &alerted, WalCapture::ongoing(over))), 0);
        // Under the limit while answering: the occurrence ends, and a new crossing is told again.
        const auto under = WalCapture::evaluate(
            profile(), archive(10), s, answering(kSegment3, {{QStringLiteral("lifeboat_p"), true, 1000}}), kNow);
        WalCapture::untold(WalCapture::alerts(under), &alerted, WalCapture::ongoing(under));
        QCOMPARE(slotAlerts(WalCapture::untold(WalCapture::alerts(over), &alerted, WalCapture::ongoing(over))), 1);
    }
};

QTEST_GUILESS_MAIN(TstWalCapture)
#include "tst_wal_capture.moc"
