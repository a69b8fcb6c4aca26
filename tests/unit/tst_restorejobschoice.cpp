// Issue 16: the pg_restore jobs Lifeboat chooses when --jobs is not given (RestoreJobsChoice): parallel only for a
// whole, unencrypted custom or directory archive with several tables' data whose decompressed copy fits.
#include "restore/RestoreJobsChoice.h"

#include <QTest>

using namespace lifeboat;

class TestRestoreJobsChoice : public QObject {
    Q_OBJECT

    static RestoreJobsChoice::Input dumpZst() {
        RestoreJobsChoice::Input in;
        in.customOrDirectory = true;
        in.inputDescription = QStringLiteral("pg_dump custom archive");
        in.tablesWithData = 6;
        in.rowsTotal = 1000;
        in.rowsLargest = 500;
        in.needsDecompressedCopy = true;
        in.decompressedBytes = qint64(1) << 30;
        in.scratchFreeBytes = qint64(20) << 30;
        in.scratchDir = QStringLiteral("/tmp");
        return in;
    }

private slots:
    void parallelForAWholeDumpZstThatFits() {
        QString why;
        QCOMPARE(RestoreJobsChoice::choose(dumpZst(), &why), RestoreJobsChoice::kParallelJobs);
        QVERIFY2(why.contains(QLatin1String("--jobs 2")) && why.contains(QLatin1String("decompressed once")),
                 qPrintable(why));
    }
    void parallelWithoutCopyWhenSeekableAlready() {
        RestoreJobsChoice::Input in = dumpZst();
        in.needsDecompressedCopy = false;
        in.decompressedBytes = -1; // not needed: nothing is written
        in.scratchFreeBytes = 0;
        QString why;
        QCOMPARE(RestoreJobsChoice::choose(in, &why), 2);
        QVERIFY2(!why.contains(QLatin1String("decompressed")), qPrintable(why));
    }
    void rowCountsUnknownOrSpread() {
        RestoreJobsChoice::Input in = dumpZst();
        in.rowsLargest = 750; // exactly the limit: still spread enough
        QString why;
        QCOMPARE(RestoreJobsChoice::choose(in, &why), 2);
        in.rowsTotal = in.rowsLargest = -1; // no manifest: the table count decides
        QCOMPARE(RestoreJobsChoice::choose(in, &why), 2);
    }
    void neverMoreJobsThanTables() {
        RestoreJobsChoice::Input in = dumpZst();
        in.tablesWithData = 2;
        QString why;
        QCOMPARE(RestoreJobsChoice::choose(in, &why), 2);
    }
    void streamedOtherwise_data() {
        QTest::addColumn<int>("what");
        QTest::addColumn<QString>("reason");
        QTest::newRow("plain SQL") << 0 << QStringLiteral("needs a custom or directory archive");
        QTest::newRow("encrypted") << 1 << QStringLiteral("encrypted");
        QTest::newRow("--tables") << 2 << QStringLiteral("--tables");
        QTest::newRow("--schema-only") << 3 << QStringLiteral("--schema-only");
        QTest::newRow("one table") << 4 << QStringLiteral("1 table(s) with data");
        QTest::newRow("size not recorded") << 5 << QStringLiteral("not recorded");
        QTest::newRow("no room") << 6 << QStringLiteral("a decompressed copy needs");
        QTest::newRow("room unknown") << 7 << QStringLiteral("unknown space");
        QTest::newRow("one table dominates") << 8 << QStringLiteral("one table holds 90 % of the rows");
        // The wizard's run log names its fields, not lifeboatctl's options (what + 10: desktop wording).
        QTest::newRow("encrypted, wizard") << 11 << QStringLiteral("unless Parallel jobs is set to a number");
        QTest::newRow("tables, wizard") << 12 << QStringLiteral("chosen tables only");
        QTest::newRow("schema only, wizard") << 13 << QStringLiteral("schema only");
    }
    void streamedOtherwise() {
        QFETCH(int, what);
        QFETCH(QString, reason);
        RestoreJobsChoice::Input in = dumpZst();
        in.desktopWording = what > 10;
        switch (what % 10) {
        case 0:
            in.customOrDirectory = false;
            in.inputDescription = QStringLiteral("plain SQL script");
            break;
        case 1:
            in.encrypted = true;
            break;
        case 2:
            in.tablesChosen = true;
            break;
        case 3:
            in.schemaOnly = true;
            break;
        case 4:
            in.tablesWithData = 1;
            break;
        case 5:
            in.decompressedBytes = -1;
            break;
        case 6:
            in.scratchFreeBytes = in.decompressedBytes; // no margin left
            break;
        case 7:
            in.scratchFreeBytes = -1;
            break;
        case 8:
            in.rowsLargest = 900;
            break;
        }
        QString why;
        QCOMPARE(RestoreJobsChoice::choose(in, &why), 1);
        QVERIFY2(why.startsWith(QLatin1String("one pg_restore job: ")) && why.contains(reason), qPrintable(why));
        QVERIFY2(!in.desktopWording || !why.contains(QLatin1String("--")), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestRestoreJobsChoice)
#include "tst_restorejobschoice.moc"
