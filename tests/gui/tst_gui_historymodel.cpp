#include "GuiTestData.h"

#include "catalog/SqlCatalog.h"
#include "models/BackupHistoryModel.h"
#include "models/HistoryFilterProxy.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

// BackupHistoryModel over a real SQLite catalog of 10,000 generated records: paging, the raw-value role, the
// proxy's filters and sorting, all under QAbstractItemModelTester.
class TestHistoryModel : public QObject {
    Q_OBJECT
private:
    static constexpr int kRecords = 10000;
    QTemporaryDir m_dir;
    std::shared_ptr<SqlCatalog> m_catalog;
    QDateTime m_newest;

    // Loads pages until everything is there (each fetchMore answers asynchronously).
    static void loadAll(BackupHistoryModel &m) {
        while (m.canFetchMore({}) || m.isLoading()) {
            if (m.canFetchMore({}))
                m.fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(!m.isLoading(), 20000);
        }
    }
    static int count(const QList<int> &ids, const std::function<bool(const BackupRecord &)> &pred) {
        int n = 0;
        for (int i : ids)
            n += pred(GuiTestData::record(i, QDateTime())) ? 1 : 0;
        return n;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_catalog = SqlCatalog::sqlite(m_dir.filePath(QStringLiteral("catalog.sqlite")));
        QString err;
        QVERIFY2(m_catalog->open(&err), qPrintable(err));
        m_newest = QDateTime::currentDateTimeUtc().addSecs(-60);
        QElapsedTimer t;
        t.start();
        QVERIFY2(GuiTestData::fill(*m_catalog, kRecords, m_newest, &err), qPrintable(err));
        qInfo("inserted %d records in %lld ms", kRecords, t.elapsed());
    }

    void lazyPagesUnderTester() {
        BackupHistoryModel m(m_catalog);
        m.setPageSize(500);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QElapsedTimer t;
        t.start();
        m.reload();
        QVERIFY(m.isLoading());
        QCOMPARE(m.rowCount(), 0); // nothing blocks: the first page arrives from a worker
        QTRY_COMPARE_WITH_TIMEOUT(m.rowCount(), 500, 10000);
        qInfo("first page after %lld ms", t.elapsed());
        QCOMPARE(m.totalCount(), kRecords);
        QVERIFY(m.canFetchMore({}));
        // Newest first, as the catalog orders them.
        QCOMPARE(m.record(0)->label, QStringLiteral("run-0"));
        QCOMPARE(m.record(499)->label, QStringLiteral("run-499"));

        m.fetchMore({});
        QVERIFY(!m.canFetchMore({})); // one page at a time
        QTRY_COMPARE_WITH_TIMEOUT(m.rowCount(), 1000, 10000);
        loadAll(m);
        QCOMPARE(m.rowCount(), kRecords);
        QVERIFY(!m.canFetchMore({}));
        QSet<qint64> ids;
        for (int r = 0; r < m.rowCount(); ++r)
            ids.insert(m.index(r, 0).data(BackupHistoryModel::RecordIdRole).toLongLong());
        QCOMPARE(ids.size(), kRecords);
    }

    void rolesAndFormatting() {
        BackupHistoryModel m(m_catalog);
        m.setPageSize(50);
        m.reload();
        QTRY_COMPARE_WITH_TIMEOUT(m.rowCount(), 50, 10000);
        const BackupRecord expected = GuiTestData::record(10, m_newest); // FAILED, DAILY
        const int row = 10;
        QCOMPARE(m.index(row, BackupHistoryModel::SizeColumn).data(BackupHistoryModel::RawRole).toLongLong(),
                 expected.size);
        QCOMPARE(m.index(row, BackupHistoryModel::SizeColumn).data().toString(),
                 QLocale().formattedDataSize(expected.size, 1, QLocale::DataSizeSIFormat));
        QCOMPARE(m.index(row, BackupHistoryModel::StatusColumn).data().toString(), BackupRecord::statusFailed());
        QCOMPARE(m.index(row, BackupHistoryModel::StatusColumn).data(Qt::ToolTipRole).toString(), expected.error);
        QCOMPARE(
            m.index(row, BackupHistoryModel::StatusColumn).data(BackupHistoryModel::BadgeColorRole).value<QColor>(),
            BackupHistoryModel::statusColor(BackupRecord::statusFailed()));
        QCOMPARE(m.index(row, BackupHistoryModel::DateColumn).data(BackupHistoryModel::RawRole).toDateTime(),
                 expected.started);
        QCOMPARE(m.index(row, BackupHistoryModel::StorageColumn).data().toString(), QStringLiteral("disk"));
        QCOMPARE(m.index(row, BackupHistoryModel::DurationColumn).data(BackupHistoryModel::RawRole).toLongLong(),
                 expected.durationMs);
        QCOMPARE(m.headerData(BackupHistoryModel::VerifiedColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Verified"));
    }

    void catalogFilterPushDown() {
        BackupHistoryModel m(m_catalog);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        CatalogFilter f;
        f.profile = QStringLiteral("beta");
        f.status = BackupRecord::statusFailed();
        m.setCatalogFilter(f);
        QTRY_VERIFY_WITH_TIMEOUT(!m.isLoading() && m.totalCount() > 0, 10000);
        loadAll(m);
        QList<int> all;
        for (int i = 0; i < kRecords; ++i)
            all << i;
        const int expected = count(all, [](const BackupRecord &r) {
            return r.profile == QLatin1String("beta") && r.status == BackupRecord::statusFailed();
        });
        QCOMPARE(m.totalCount(), expected);
        QCOMPARE(m.rowCount(), expected);
        for (int r = 0; r < m.rowCount(); ++r)
            QCOMPARE(m.record(r)->profile, QStringLiteral("beta"));
    }

    void proxyFiltersAndSorting() {
        BackupHistoryModel m(m_catalog);
        m.setPageSize(2000);
        HistoryFilterProxy proxy;
        proxy.setSourceModel(&m);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.reload();
        QTRY_COMPARE_WITH_TIMEOUT(m.rowCount(), 2000, 10000);
        QList<int> loaded;
        for (int i = 0; i < 2000; ++i)
            loaded << i;
        QCOMPARE(proxy.rowCount(), 2000);

        proxy.setTypeFilter(QStringLiteral("weekly")); // matches promotions too
        QCOMPARE(proxy.rowCount(), count(loaded, [](const BackupRecord &r) {
                     return r.type.split(QLatin1Char(',')).contains(QStringLiteral("WEEKLY"));
                 }));
        QVERIFY(proxy.rowCount() > 0);
        proxy.setStatusFilter(BackupRecord::statusCompleted());
        proxy.setProfileFilter(QStringLiteral("gamma"));
        const int expected = count(loaded, [](const BackupRecord &r) {
            return r.type.contains(QLatin1String("WEEKLY")) && r.status == BackupRecord::statusCompleted() &&
                   r.profile == QLatin1String("gamma");
        });
        QCOMPARE(proxy.rowCount(), expected);
        QVERIFY(expected > 0);
        proxy.setTypeFilter({});
        proxy.setStatusFilter({});
        proxy.setProfileFilter({});

        // Free text: several words must all match, case-insensitively, across fields.
        proxy.setText(QStringLiteral("RUN-1234"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, BackupHistoryModel::ProfileColumn).data().toString(),
                 GuiTestData::record(1234, m_newest).profile);
        proxy.setText(QStringLiteral("connection lost beta"));
        QCOMPARE(proxy.rowCount(), count(loaded, [](const BackupRecord &r) {
                     return r.status == BackupRecord::statusFailed() && r.profile == QLatin1String("beta");
                 }));
        proxy.setText({});

        // Date range (local dates, inclusive): records are one hour apart, newest first.
        const QDate day = m_newest.addSecs(-3600LL * 100).toLocalTime().date();
        proxy.setDateRange(day, day);
        QVERIFY(proxy.rowCount() >= 1 && proxy.rowCount() <= 24);
        for (int r = 0; r < proxy.rowCount(); ++r)
            QCOMPARE(proxy.index(r, 0).data(BackupHistoryModel::RawRole).toDateTime().toLocalTime().date(), day);
        proxy.setDateRange({}, {});

        // Sorting on the raw role: sizes numerically, not as "1.2 kB" text.
        proxy.sort(BackupHistoryModel::SizeColumn, Qt::AscendingOrder);
        qint64 prev = -1;
        for (int r = 0; r < proxy.rowCount(); ++r) {
            const qint64 s =
                proxy.index(r, BackupHistoryModel::SizeColumn).data(BackupHistoryModel::RawRole).toLongLong();
            QVERIFY2(s >= prev, qPrintable(QStringLiteral("row %1: %2 after %3").arg(r).arg(s).arg(prev)));
            prev = s;
        }
        proxy.sort(BackupHistoryModel::DateColumn, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 0).data(BackupHistoryModel::RawRole).toDateTime(),
                 GuiTestData::record(1999, m_newest).started);
        proxy.sort(BackupHistoryModel::DurationColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, BackupHistoryModel::DurationColumn).data(BackupHistoryModel::RawRole).toLongLong(),
                 1000 + 96 * 113);
    }

    void filterSpeedOverAllRecords() {
        BackupHistoryModel m(m_catalog);
        m.setPageSize(kRecords);
        HistoryFilterProxy proxy;
        proxy.setSourceModel(&m);
        m.reload();
        QTRY_COMPARE_WITH_TIMEOUT(m.rowCount(), kRecords, 20000);
        QElapsedTimer t;
        t.start();
        proxy.setText(QStringLiteral("ALPHA-db3-"));
        const int shown = proxy.rowCount(); // the proxy maps lazily: counting is part of the work
        const qint64 textMs = t.elapsed();
        int expected = 0;
        for (int i = 0; i < kRecords; ++i)
            expected += (i % 3 == 0 && i % 4 == 3) ? 1 : 0;
        QCOMPARE(shown, expected);
        t.restart();
        proxy.setStatusFilter(BackupRecord::statusFailed());
        QCOMPARE(proxy.rowCount(), 0); // alpha + db3 is i = 3 mod 12, always odd; FAILED is every 10th
        const qint64 statusMs = t.elapsed();
        t.restart();
        proxy.setText({});
        proxy.setStatusFilter({});
        proxy.sort(BackupHistoryModel::SizeColumn, Qt::AscendingOrder);
        const qint64 sortMs = t.elapsed();
        qInfo("%d rows: text filter %lld ms, status filter %lld ms, size sort %lld ms", kRecords, textMs, statusMs,
              sortMs);
        QVERIFY2(textMs < 500 && statusMs < 500, "filtering 10,000 loaded rows must not freeze the window");
    }

    void reloadDuringLoadKeepsOneAnswer() {
        BackupHistoryModel m(m_catalog);
        m.setPageSize(100);
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.reload();
        CatalogFilter f;
        f.profile = QStringLiteral("alpha");
        m.setCatalogFilter(f); // the first answer must be dropped
        QTRY_VERIFY_WITH_TIMEOUT(!m.isLoading(), 10000);
        QTest::qWait(200);
        QCOMPARE(m.rowCount(), 100);
        for (int r = 0; r < m.rowCount(); ++r)
            QCOMPARE(m.record(r)->profile, QStringLiteral("alpha"));
    }
};

QTEST_MAIN(TestHistoryModel)
#include "tst_gui_historymodel.moc"
