// WalPruner::plan (issue 17 item 5), pure: which archived WAL the base backups that stay no longer need.
#include "wal/WalPruner.h"

#include <QTest>

using namespace lifeboat;

class TstWalPruner : public QObject {
    Q_OBJECT

    static WalFileRecord row(quint32 tli, quint64 seg, const QString &storage = QStringLiteral("disk"),
                             const QString &kind = QStringLiteral("segment")) {
        WalFileRecord r;
        r.profile = QStringLiteral("p");
        r.timeline = tli;
        r.name = QStringLiteral("%1%2%3")
                     .arg(tli, 8, 16, QLatin1Char('0'))
                     .arg(seg / 256, 8, 16, QLatin1Char('0'))
                     .arg(seg % 256, 8, 16, QLatin1Char('0'))
                     .toUpper();
        if (kind == QLatin1String("backup"))
            r.name += QStringLiteral(".00000028.backup");
        r.kind = kind;
        r.storage = storage;
        r.size = 1000;
        r.plainSize = kind == QLatin1String("segment") ? 16 * 1024 * 1024 : 300;
        return r;
    }
    static WalPruner::Base base(qint64 id, quint32 tli, quint64 seg) {
        WalPruner::Base b;
        b.id = id;
        b.info.timeline = int(tli);
        b.info.startWalFile = row(tli, seg).name;
        b.info.startLsn = QStringLiteral("0/%1").arg(seg * 16 * 1024 * 1024 + 0x28, 0, 16).toUpper();
        b.info.stopLsn = QStringLiteral("0/%1").arg((seg + 1) * 16 * 1024 * 1024, 0, 16).toUpper();
        return b;
    }
    static QStringList names(const QList<WalFileRecord> &rows) {
        QStringList out;
        for (const WalFileRecord &r : rows)
            out << r.name + QLatin1Char('@') + r.storage;
        return out;
    }

private slots:
    void removesOnlyWhatIsOlderThanTheOldestBase() {
        QList<WalFileRecord> rows;
        for (quint64 s = 1; s <= 9; ++s) {
            rows << row(1, s) << row(1, s, QStringLiteral("bucket"));
        }
        rows << row(1, 4, QStringLiteral("disk"), QStringLiteral("backup"));
        const WalPruner::Plan plan = WalPruner::plan(QStringLiteral("p"), {base(7, 1, 6), base(5, 1, 4)}, rows);
        QCOMPARE(plan.oldestBaseId, qint64(5));
        QCOMPARE(plan.cutoff, row(1, 4).name);
        // Segments 1..3 on both storages; the backup history file of the kept base backup stays.
        QCOMPARE(names(plan.rows),
                 (QStringList{row(1, 1).name + QStringLiteral("@disk"), row(1, 1).name + QStringLiteral("@bucket"),
                              row(1, 2).name + QStringLiteral("@disk"), row(1, 2).name + QStringLiteral("@bucket"),
                              row(1, 3).name + QStringLiteral("@disk"), row(1, 3).name + QStringLiteral("@bucket")}));
        QCOMPARE(plan.ranges.size(), 2);
        QVERIFY(plan.ranges[0].remove);
        QCOMPARE(plan.ranges[0].segments, 3);
        QCOMPARE(plan.ranges[0].plainBytes, 3LL * 16 * 1024 * 1024);
        QCOMPARE(plan.ranges[0].storedBytes, 6000LL);
        QCOMPARE(plan.ranges[0].describe(),
                 QStringLiteral("WAL %1..%2 (3 segments, 48 MiB)").arg(row(1, 1).name, row(1, 3).name));
        QVERIFY(plan.ranges[0].reason.contains(QLatin1String("older than the oldest kept base backup #5")));
        QVERIFY(!plan.ranges[1].remove);
        QCOMPARE(plan.ranges[1].first, row(1, 4).name);
        QCOMPARE(plan.ranges[1].last, row(1, 9).name);
        QCOMPARE(plan.ranges[1].files, 7); // six segments and the backup history file
    }

    void gapsSplitRunsAndNeverFreeLaterWal() {
        QList<WalFileRecord> rows;
        for (quint64 s : {1, 2, 4, 5, 7, 8, 10})
            rows << row(1, s);
        // The base backup starts after a gap (9 missing): nothing at or after its start goes, the runs split at 3
        // and 6.
        const WalPruner::Plan plan = WalPruner::plan(QStringLiteral("p"), {base(3, 1, 8)}, rows);
        QCOMPARE(plan.ranges.size(), 4);
        QCOMPARE(plan.ranges[0].last, row(1, 2).name);
        QCOMPARE(plan.ranges[1].first, row(1, 4).name);
        QCOMPARE(plan.ranges[2].first, row(1, 7).name);
        QCOMPARE(plan.ranges[2].last, row(1, 7).name);
        QVERIFY(!plan.ranges[3].remove);
        QCOMPARE(plan.ranges[3].first, row(1, 8).name);
        QCOMPARE(plan.ranges[3].last, row(1, 10).name);
        QCOMPARE(plan.rows.size(), 5);
    }

    void everyTimelineByTheSameCutoffAndHistoryStays() {
        QList<WalFileRecord> rows{row(1, 3), row(1, 4), row(1, 5), row(2, 5), row(2, 6), row(2, 7)};
        WalFileRecord history;
        history.profile = QStringLiteral("p");
        history.timeline = 2;
        history.name = QStringLiteral("00000002.history");
        history.kind = QStringLiteral("history");
        history.storage = QStringLiteral("disk");
        rows << history;
        const WalPruner::Plan plan = WalPruner::plan(QStringLiteral("p"), {base(9, 2, 6)}, rows);
        QCOMPARE(names(plan.rows),
                 (QStringList{row(1, 3).name + QStringLiteral("@disk"), row(1, 4).name + QStringLiteral("@disk"),
                              row(1, 5).name + QStringLiteral("@disk"), row(2, 5).name + QStringLiteral("@disk")}));
    }

    void segmentSizeUnknownNeverFreesLaterWal() {
        // 1 MiB segments (4096 per log file) whose plain size is not recorded (a row adopted after a catalog loss has
        // plainSize -1): numbering them with a 16 MiB guess (256 per log) put …0000000100000000 (number 256) before
        // the base backup's start …0000000000000FA0 (number 4000) and removed WAL the kept base backup needed.
        auto named = [](const QString &log, const QString &seg) {
            WalFileRecord r;
            r.profile = QStringLiteral("p");
            r.timeline = 1;
            r.name = QStringLiteral("00000001") + log + seg;
            r.kind = QStringLiteral("segment");
            r.storage = QStringLiteral("disk");
            r.size = 1000;
            r.plainSize = -1;
            return r;
        };
        const QList<WalFileRecord> rows{named(QStringLiteral("00000000"), QStringLiteral("00000F00")),
                                        named(QStringLiteral("00000000"), QStringLiteral("00000FA0")),
                                        named(QStringLiteral("00000000"), QStringLiteral("00000FFF")),
                                        named(QStringLiteral("00000001"), QStringLiteral("00000000")),
                                        named(QStringLiteral("00000001"), QStringLiteral("00000003"))};
        WalPruner::Base b;
        b.id = 3;
        b.info.timeline = 1;
        b.info.startWalFile = rows[1].name;
        b.info.startLsn = QStringLiteral("0/FA000028");
        b.info.stopLsn = QStringLiteral("0/FA100000");
        const WalPruner::Plan plan = WalPruner::plan(QStringLiteral("p"), {b}, rows);
        QCOMPARE(names(plan.rows), QStringList{rows[0].name + QStringLiteral("@disk")});
    }

    void nothingGoesWithoutAKnownBase() {
        const QList<WalFileRecord> rows{row(1, 1), row(1, 2)};
        WalPruner::Plan plan = WalPruner::plan(QStringLiteral("p"), {}, rows);
        QVERIFY(plan.rows.isEmpty());
        QVERIFY(plan.note.contains(QLatin1String("no base backup")));
        WalPruner::Base unknown;
        unknown.id = 4; // a base backup without its WAL range in the catalog
        plan = WalPruner::plan(QStringLiteral("p"), {base(5, 1, 2), unknown}, rows);
        QVERIFY(plan.rows.isEmpty());
        QVERIFY(plan.note.contains(QLatin1String("#4")));
    }
};

QTEST_GUILESS_MAIN(TstWalPruner)
#include "tst_wal_pruner.moc"
