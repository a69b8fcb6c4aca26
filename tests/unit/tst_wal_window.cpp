// WalName (what PostgreSQL passes, where it is stored, segment arithmetic for any segment size) and WalWindow (the
// stored range per timeline, named gaps, partials, continuity for recovery).
#include "wal/WalName.h"
#include "wal/WalWindow.h"

#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TstWalWindow : public QObject {
    Q_OBJECT

    static WalFileRecord row(const QString &name, const QString &kind, const QString &storage = QStringLiteral("d"),
                             qint64 plainSize = 16 * 1024 * 1024) {
        WalFileRecord r;
        r.profile = QStringLiteral("p");
        r.name = name;
        r.kind = kind;
        r.timeline = name.left(8).toUInt(nullptr, 16);
        r.storage = storage;
        r.plainSize = plainSize;
        r.stored = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).addSecs(name.right(2).toInt(nullptr, 16));
        return r;
    }

private slots:
    void names() {
        auto w = WalName::parse(QStringLiteral("0000000200000001000000FE"));
        QVERIFY(w);
        QCOMPARE(w->kind, QStringLiteral("segment"));
        QCOMPARE(w->timeline, 2u);
        QCOMPARE(w->relativePath(QStringLiteral("db"), false),
                 QStringLiteral("wal/db/00000002/0000000200000001000000FE.zst"));
        w = WalName::parse(QStringLiteral("0000000200000001000000FE.partial"));
        QCOMPARE(w->kind, QStringLiteral("partial"));
        QCOMPARE(w->name, QStringLiteral("0000000200000001000000FE"));
        QCOMPARE(w->relativePath(QStringLiteral("db"), true),
                 QStringLiteral("wal/db/00000002/0000000200000001000000FE.partial.zst.age"));
        w = WalName::parse(QStringLiteral("0000000A.history"));
        QCOMPARE(w->kind, QStringLiteral("history"));
        QCOMPARE(w->timeline, 10u);
        QCOMPARE(w->relativePath(QStringLiteral("db"), false), QStringLiteral("wal/db/0000000A.history.zst"));
        w = WalName::parse(QStringLiteral("000000010000000000000002.00000028.backup"));
        QCOMPARE(w->kind, QStringLiteral("backup"));
        bool encrypted = false;
        w = WalName::parseStored(QStringLiteral("0000000A.history.zst.age"), &encrypted);
        QVERIFY(w && encrypted);
        QCOMPARE(w->fileName(), QStringLiteral("0000000A.history"));
        for (const char *bad : {"00000000000000000000001", "000000000000000000000001", "0000000100000000000000fe",
                                "RECOVERYXLOG", "00000001.history.partial", "../000000010000000000000001"})
            QVERIFY2(!WalName::parse(QString::fromLatin1(bad)), bad);
    }

    void segmentArithmetic() {
        const qint64 mb16 = 16 * 1024 * 1024;
        QCOMPARE(
            WalName::segmentName(1, WalName::segmentNumber(QStringLiteral("0000000100000000000000FF"), mb16) + 1, mb16),
            QStringLiteral("000000010000000100000000"));
        const qint64 gb1 = 1024 * 1024 * 1024; // initdb --wal-segsize=1024: four segments per 4 GiB
        QCOMPARE(
            WalName::segmentName(3, WalName::segmentNumber(QStringLiteral("000000030000000000000003"), gb1) + 1, gb1),
            QStringLiteral("000000030000000100000000"));
        QCOMPARE(WalName::startLsn(QStringLiteral("000000010000000100000002"), mb16), QStringLiteral("1/2000000"));
        QCOMPARE(WalWindow::segmentEndLsn(QStringLiteral("0000000100000000000000FF"), mb16), QStringLiteral("1/0"));
    }

    void windowAndGaps() {
        QList<WalFileRecord> rows{
            row(QStringLiteral("000000010000000000000003"), QStringLiteral("segment")),
            row(QStringLiteral("000000010000000000000003"), QStringLiteral("segment"), QStringLiteral("s3")),
            row(QStringLiteral("000000010000000000000004"), QStringLiteral("segment"), QStringLiteral("s3")),
            row(QStringLiteral("000000010000000000000007"), QStringLiteral("segment")),
            row(QStringLiteral("000000010000000000000008"), QStringLiteral("partial")),
            row(QStringLiteral("000000010000000000000002"), QStringLiteral("partial")), // stale
            row(QStringLiteral("00000002.history"), QStringLiteral("history")),
            row(QStringLiteral("000000020000000000000007"), QStringLiteral("segment"))};
        rows[6].timeline = 2;
        const WalWindow::Report r = WalWindow::compute(QStringLiteral("p"), rows);
        QCOMPARE(r.timelines.size(), 2);
        const WalWindow::Timeline &t1 = r.timelines.at(0);
        QCOMPARE(t1.first, QStringLiteral("000000010000000000000003"));
        QCOMPARE(t1.last, QStringLiteral("000000010000000000000007"));
        QCOMPARE(t1.segments, 3); // one segment in two storages counts once
        QCOMPARE(t1.missing,
                 QStringList({QStringLiteral("000000010000000000000005"), QStringLiteral("000000010000000000000006")}));
        QCOMPARE(t1.partial, QStringLiteral("000000010000000000000008"));
        QCOMPARE(t1.endLsn, QStringLiteral("0/8000000"));
        QVERIFY(!t1.history);
        QVERIFY(r.timelines.at(1).history);
        QCOMPARE(r.timelines.at(1).missingCount, 0);
        QCOMPARE(r.newestStored, rows.at(4).stored);

        QCOMPARE(WalWindow::firstMissing(rows, QStringLiteral("000000010000000000000003"),
                                         QStringLiteral("000000010000000000000004"), 0),
                 std::nullopt);
        QCOMPARE(WalWindow::firstMissing(rows, QStringLiteral("000000010000000000000003"),
                                         QStringLiteral("000000010000000000000007"), 0)
                     .value_or(QString()),
                 QStringLiteral("000000010000000000000005"));
    }
};

QTEST_GUILESS_MAIN(TstWalWindow)
#include "tst_wal_window.moc"
