// Restore progress (issue 16): a restore's byte progress stays within its total when the stored artifact is a zstd
// frame that pg_restore or psql receives several times larger, through RestoreJob with the real pg fixture.
#include "TestEnv.h"

#include "jobs/Job.h"
#include "ops/Restore.h"

#include <QDir>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestRestoreProgress : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_home;
    QString m_db;

    QString backupFile(const QString &format) {
        const QString store = m_tmp.filePath(format);
        TestEnv::Run r = TestEnv::ctl(
            m_home, {QStringLiteral("storage"), QStringLiteral("add"), format, QStringLiteral("--local"), store});
        if (r.exitCode != 0)
            return QString::fromUtf8("storage add: " + r.err);
        r = TestEnv::ctl(m_home, {QStringLiteral("backup"), QStringLiteral("src"), QStringLiteral("--storage"), format,
                                  QStringLiteral("--format"), format});
        if (r.exitCode != 0)
            return QString::fromUtf8("backup: " + r.err);
        QStringList zst;
        for (QDirIterator it(store, {QStringLiteral("*.zst")}, QDir::Files, QDirIterator::Subdirectories);
             it.hasNext();)
            zst << it.next();
        return zst.size() == 1 ? zst.first() : QStringLiteral("not one .zst in ") + store;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_db = QStringLiteral("rprog_%1").arg(QCoreApplication::applicationPid());
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_db));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        // ~60 MB of very compressible rows: the zstd frame is a small fraction of what the tool reads.
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE t AS SELECT g AS id, repeat('lifeboat ', 60) || g AS note "
                                           "FROM generate_series(1, 100000) g"));
        QCOMPARE(TestEnv::psql(m_db, QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("100000"));
        const TestEnv::Run r =
            TestEnv::ctl(m_home, {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("src"),
                                  QStringLiteral("--conninfo"), TestEnv::pgConninfo(m_db)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    void cleanupTestCase() {
        for (const QString &db : {m_db, m_db + QStringLiteral("_custom"), m_db + QStringLiteral("_plain")})
            TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
    }

    void progressNeverPassesTheTotal_data() {
        QTest::addColumn<QString>("format");
        QTest::newRow("custom (.dump.zst, pg_restore)") << QStringLiteral("custom");
        QTest::newRow("plain (.sql.zst, psql)") << QStringLiteral("plain");
    }
    void progressNeverPassesTheTotal() {
        QFETCH(QString, format);
        const QString file = backupFile(format);
        QVERIFY2(QFileInfo::exists(file), qPrintable(file));
        const qint64 stored = QFileInfo(file).size();

        // Through the use case, as both front ends start a restore.
        Restore::Request req;
        req.source = file;
        req.target = TestEnv::pgConninfo(QStringLiteral("postgres"));
        req.options.targetDb = m_db + QLatin1Char('_') + format;
        req.options.create = true;
        req.options.checkRowCounts = true;
        UseCaseContext ctx;
        ctx.config = ConfigStore(m_tmp.filePath(QStringLiteral("settings.json")));
        ctx.config.setOption(QStringLiteral("pgToolDir"),
                             QFileInfo(TestEnv::pgBin(QStringLiteral("pg_restore"))).absolutePath());
        PreparedJob prepared = Restore::prepare(std::move(req), ctx);
        QVERIFY2(prepared, qPrintable(prepared.error.message));
        Job &job = *prepared.job;
        QList<JobProgress> seen;
        connect(
            &job, &Job::progress, this, [&](const JobProgress &p) { seen << p; }, Qt::DirectConnection);
        const JobResult res = job.run();
        QVERIFY2(res.ok(), qPrintable(res.error.message));
        QCOMPARE(TestEnv::psql(m_db + QLatin1Char('_') + format, QStringLiteral("SELECT count(*) FROM t")),
                 QStringLiteral("100000"));

        qint64 most = 0;
        int restoring = 0;
        for (const JobProgress &p : std::as_const(seen)) {
            if (p.phase != QLatin1String("restoring"))
                continue;
            ++restoring;
            QCOMPARE(p.bytesTotal, stored); // the stored (compressed) size ...
            QVERIFY2(p.bytes <= p.bytesTotal, qPrintable(QStringLiteral("%1 of %2 bytes: past 100 %")
                                                             .arg(p.bytes)
                                                             .arg(p.bytesTotal))); // ... and bytes of that kind
            QVERIFY(p.etaSeconds >= -1);
            most = qMax(most, p.bytes);
        }
        QVERIFY2(restoring > 0, "no progress while restoring");
        QVERIFY2(most > 0, "no bytes reported while restoring");
        if (format == QLatin1String("custom")) {
            // The step in progress is named (issue 20, item 9): one big table's COPY says which table it is.
            QStringList steps;
            for (const JobProgress &p : std::as_const(seen))
                if (!p.currentItem.isEmpty() && !steps.contains(p.currentItem))
                    steps << p.currentItem;
            QVERIFY2(steps.contains(QStringLiteral("loading table public.t")),
                     qPrintable(steps.join(QLatin1Char('|'))));
        }
    }
};

QTEST_GUILESS_MAIN(TestRestoreProgress)
#include "tst_restore_progress.moc"
