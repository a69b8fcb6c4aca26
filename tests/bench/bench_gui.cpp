// Benchmarks of the desktop app (label bench; issue 7): History with 100,000 records — time to the first painted
// page and to filter all loaded rows — and the GUI event loop's latency while a ~1 GB backup runs through the real
// JobRunner with the Jobs page on screen. Numbers are printed for docs/performance.md, never asserted as timings.
#include "GuiTestData.h"
#include "TestEnv.h"

#include "catalog/SqlCatalog.h"
#include "models/BackupHistoryModel.h"
#include "models/HistoryFilterProxy.h"
#include "models/JobListModel.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace lifeboat;

namespace {
// Notes the time of the first paint of a view's viewport that shows rows.
class FirstPaint : public QObject {
public:
    FirstPaint(QAbstractItemView *view, const QElapsedTimer *clock)
        : m_view(view)
        , m_clock(clock) {
        view->viewport()->installEventFilter(this);
    }
    qint64 ms = -1;

protected:
    bool eventFilter(QObject *o, QEvent *e) override {
        if (ms < 0 && e->type() == QEvent::Paint && m_view->model() && m_view->model()->rowCount() > 0)
            ms = m_clock->elapsed();
        return QObject::eventFilter(o, e);
    }

private:
    QAbstractItemView *m_view;
    const QElapsedTimer *m_clock;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}
} // namespace

class BenchGui : public QObject {
    Q_OBJECT
private slots:
    void historyWith100kRecords() {
        const int records = qEnvironmentVariableIntValue("LIFEBOAT_BENCH_RECORDS") > 0
                                ? qEnvironmentVariableIntValue("LIFEBOAT_BENCH_RECORDS")
                                : 100000;
        QTemporaryDir dir;
        std::shared_ptr<SqlCatalog> catalog = SqlCatalog::sqlite(dir.filePath(QStringLiteral("catalog.sqlite")));
        QString err;
        QVERIFY2(catalog->open(&err), qPrintable(err));
        QElapsedTimer t;
        t.start();
        QVERIFY2(GuiTestData::fill(*catalog, records, QDateTime::currentDateTimeUtc(), &err), qPrintable(err));
        qInfo("inserted %d records in %lld ms", records, t.elapsed());

        for (int round = 1; round <= 3; ++round) {
            QElapsedTimer clock;
            clock.start();
            BackupHistoryModel model(catalog);
            HistoryFilterProxy proxy;
            proxy.setSourceModel(&model);
            QTableView view;
            view.setModel(&proxy);
            view.setSortingEnabled(true);
            view.resize(1100, 700);
            FirstPaint watch(&view, &clock);
            view.show();
            model.reload();
            QVERIFY(QTest::qWaitFor([&] { return watch.ms >= 0; }, 30000));
            QCOMPARE(model.totalCount(), records);
            qInfo("round %d: first painted page (%d of %d rows) %lld ms after the view was created", round,
                  model.rowCount(), records, watch.ms);
        }

        BackupHistoryModel model(catalog);
        model.setPageSize(records);
        HistoryFilterProxy proxy;
        proxy.setSourceModel(&model);
        model.reload();
        QVERIFY(QTest::qWaitFor([&] { return model.rowCount() == records; }, 120000));
        struct Step {
            const char *what;
            std::function<void()> apply;
        };
        const std::vector<Step> steps{
            {"text \"gamma db2\"", [&] { proxy.setText(QStringLiteral("gamma db2")); }},
            {"text cleared", [&] { proxy.setText({}); }},
            {"status FAILED", [&] { proxy.setStatusFilter(BackupRecord::statusFailed()); }},
            {"type WEEKLY + status", [&] { proxy.setTypeFilter(QStringLiteral("WEEKLY")); }},
            {"profile beta + type + status", [&] { proxy.setProfileFilter(QStringLiteral("beta")); }},
            {"all cleared",
             [&] {
                 proxy.setProfileFilter({});
                 proxy.setTypeFilter({});
                 proxy.setStatusFilter({});
             }},
            {"sort by size", [&] { proxy.sort(BackupHistoryModel::SizeColumn, Qt::AscendingOrder); }},
        };
        for (const Step &s : steps) {
            QElapsedTimer f;
            f.start();
            s.apply();
            const int shown = proxy.rowCount(); // the proxy may map lazily: the count is part of the work
            const qint64 ms = f.elapsed();
            qInfo("filter over %d loaded rows — %s: %lld ms (%d rows shown)", records, s.what, ms, shown);
        }
        QVERIFY(proxy.rowCount() == records);
    }

    void eventLoopDuringBackup() {
        if (TestEnv::fixture(QStringLiteral("pg")).isEmpty())
            QSKIP("needs the pg fixture (ctest -L bench starts it)");
        const int mb = qEnvironmentVariableIntValue("LIFEBOAT_BENCH_DB_MB") > 0
                           ? qEnvironmentVariableIntValue("LIFEBOAT_BENCH_DB_MB")
                           : 1100;
        const QString db = QStringLiteral("lb_gui_bench");
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(db));
        TestEnv::psql(db, QStringLiteral("CREATE TABLE blobs (id int, payload bytea); ALTER TABLE blobs ALTER COLUMN "
                                         "payload SET STORAGE EXTERNAL"));
        // In batches: each psql call stays well inside TestEnv's 5-minute limit on a loaded machine.
        const int rows = mb * 1024 / 8;
        for (int first = 1; first <= rows; first += 16384)
            TestEnv::psql(db, QStringLiteral("INSERT INTO blobs SELECT g, (SELECT string_agg(decode(md5(random()::text "
                                             "|| g || k), 'hex'), '') FROM generate_series(1, 512) k) FROM "
                                             "generate_series(%1, %2) g")
                                  .arg(first)
                                  .arg(qMin(rows, first + 16383)));
        const qint64 size =
            TestEnv::psql(db, QStringLiteral("SELECT pg_database_size(current_database())")).toLongLong();

        QTemporaryDir home;
        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        QVERIFY(ctx.updateConfig(
            [&](ConfigStore &c) {
                StorageConfig s;
                s.name = QStringLiteral("disk");
                s.localDir = home.filePath(QStringLiteral("backups"));
                c.upsertStorage(s);
                Profile p;
                p.name = QStringLiteral("bench");
                p.conninfo = TestEnv::pgConninfo(db);
                p.defaultStorages = {QStringLiteral("disk")};
                c.upsertProfile(p);
                c.setOption(QStringLiteral("pgToolDir"),
                            TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_BIN")));
            },
            &err));
        MainWindow window(&ctx);
        window.resize(1180, 760);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::Jobs);

        // A 5 ms precise timer: how late each tick arrives is how long the event loop was busy.
        std::vector<double> lateness;
        QElapsedTimer tick;
        QTimer probe;
        probe.setTimerType(Qt::PreciseTimer);
        probe.setInterval(5);
        connect(&probe, &QTimer::timeout, this, [&] {
            if (tick.isValid())
                lateness.push_back(std::max(0.0, double(tick.nsecsElapsed()) / 1e6 - 5.0));
            tick.restart();
        });
        bool done = false;
        bool ok = false;
        connect(ctx.jobs(), &JobListModel::jobEnded, this, [&](int, const JobResult &r) {
            done = true;
            ok = r.ok();
        });
        QElapsedTimer wall;
        wall.start();
        ctx.startBackup(QStringLiteral("bench"), {QStringLiteral("disk")}, BackupOptions{}, {},
                        [&](Job *, const QString &e) { QVERIFY2(e.isEmpty(), qPrintable(e)); });
        probe.start();
        QVERIFY(QTest::qWaitFor([&] { return done; }, 3600 * 1000));
        probe.stop();
        QVERIFY(ok);
        qInfo("backup of %lld MiB in %.1f s with the Jobs page shown; %zu ticks: event-loop lateness p50 %.2f ms, "
              "p99 %.2f ms, max %.2f ms",
              size / (1024 * 1024), double(wall.elapsed()) / 1000, lateness.size(), percentile(lateness, 0.5),
              percentile(lateness, 0.99), percentile(lateness, 1.0));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
    }
};

QTEST_MAIN(BenchGui)
#include "bench_gui.moc"
