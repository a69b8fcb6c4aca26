// The Buckets page's Download of a catalogued artifact holds a lease on that backup (issue 14), like the History
// page's Download and lifeboatctl download: against the s3 fixture, while the backup is being deleted (a delete
// lease held in the catalog) the download is refused with the reason and writes nothing; once that lease is gone
// the same download works.
#include "TestEnv.h"

#include "catalog/LeaseGuard.h"
#include "catalog/Manifest.h"
#include "models/BucketModel.h"
#include "storage/S3Client.h"
#include "ui/AppContext.h"
#include "ui/buckets/BucketMessageBar.h"
#include "ui/buckets/BucketsPage.h"
#include "ui/widgets/FileDialog.h"

#include <QAction>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestGuiBucketLease : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;
    S3Config m_s3;
    std::unique_ptr<S3Client> m_client;
    QString m_root;

    static QByteArray sha(const QByteArray &b) {
        return QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex();
    }
    QByteArray manifest(const QString &artifact, const QByteArray &bytes) const {
        Manifest m;
        m.toolVersion = QStringLiteral("0.1.0");
        m.profile = QStringLiteral("shop");
        m.host = QStringLiteral("db.internal:5432");
        m.database = QStringLiteral("shop");
        m.type = QStringLiteral("DAILY");
        m.serverVersion = QStringLiteral("15.8");
        m.pgDumpVersion = QStringLiteral("15.8");
        m.format = QStringLiteral("custom");
        m.compression = QStringLiteral("gzip:6");
        m.artifact = artifact;
        m.size = bytes.size();
        m.sha256 = QString::fromLatin1(sha(bytes));
        m.plainSha256 = m.sha256;
        m.started = QDateTime(QDate(2026, 11, 20), QTime(2, 0), Qt::UTC);
        m.finished = m.started.addSecs(42);
        m.durationMs = 42000;
        m.tables = {{QStringLiteral("public"), QStringLiteral("customers"), 500}};
        return m.toJson();
    }
    bool put(const QString &relative, const QByteArray &bytes) {
        S3Call *call = m_client->putObject(m_root + relative, bytes);
        QSignalSpy done(call, &S3Call::finished);
        const bool ok = done.wait(30000) && !call->error();
        delete call;
        return ok;
    }
    std::unique_ptr<BucketsPage> newPage() {
        auto page = std::make_unique<BucketsPage>(m_ctx.get());
        page->resize(1100, 640);
        page->show();
        page->activateWindow();
        if (!QTest::qWaitForWindowActive(page.get()) || !QTest::qWaitFor([&] { return page->isReady(); }, 20000))
            return nullptr;
        return page;
    }
    static bool openAll(BucketsPage &page, const QString &absolutePrefix) {
        page.setPrefix(absolutePrefix);
        BucketModel *m = page.model();
        return QTest::qWaitFor(
            [m] {
                if (m->canFetchMore({}))
                    m->fetchMore({});
                return !m->isLoading() && !m->canFetchMore({});
            },
            30000);
    }

private slots:
    void initTestCase() {
        const auto env = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!env.isEmpty(), "the s3 fixture is not running (run through ctest)");
        m_s3.endpoint = QUrl(env.value(QStringLiteral("S3_ENDPOINT")));
        m_s3.bucket = env.value(QStringLiteral("S3_BUCKET"));
        m_s3.region = env.value(QStringLiteral("S3_REGION"));
        m_s3.accessKeyId = env.value(QStringLiteral("S3_ACCESS_KEY"));
        m_s3.secretAccessKey = env.value(QStringLiteral("S3_SECRET_KEY"));
        m_s3.pathStyle = true;
        m_client = std::make_unique<S3Client>(m_s3);
        const QString prefix = QStringLiteral("guilease%1").arg(QDateTime::currentMSecsSinceEpoch());
        m_root = prefix + QLatin1Char('/');
        qputenv("AWS_ACCESS_KEY_ID", m_s3.accessKeyId.toUtf8());
        qputenv("AWS_SECRET_ACCESS_KEY", m_s3.secretAccessKey.toUtf8());

        m_ctx = std::make_unique<AppContext>(m_home.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY2(m_ctx->updateConfig(
                     [&](ConfigStore &c) {
                         StorageConfig s3;
                         s3.name = QStringLiteral("offsite");
                         s3.kind = QStringLiteral("s3");
                         s3.endpoint = m_s3.endpoint.toString();
                         s3.bucket = m_s3.bucket;
                         s3.region = m_s3.region;
                         s3.prefix = prefix;
                         s3.pathStyle = true;
                         c.upsertStorage(s3);
                     },
                     &err),
                 qPrintable(err));
    }

    void downloadOfCataloguedBackupHoldsLease() {
        const QString name = QStringLiteral("shop_shop_2026-11-22_02-00-00Z.dump");
        const QByteArray bytes = QByteArray(9000, 'd');
        QVERIFY(put(QStringLiteral("dl/") + name, bytes));
        QVERIFY(put(QStringLiteral("dl/") + name + QStringLiteral(".manifest.json"), manifest(name, bytes)));
        auto page = newPage();
        QVERIFY(page);
        QVERIFY(openAll(*page, m_root + QStringLiteral("dl/")));
        const QString key = m_root + QStringLiteral("dl/") + name;
        QVERIFY(page->selectKeys({key}));
        QSignalSpy imported(page.get(), &BucketsPage::actionFinished);
        page->importAction()->trigger();
        QVERIFY(imported.wait(30000));
        QTRY_VERIFY_WITH_TIMEOUT(page->model()->recordIdOf(key) > 0, 20000);
        const qint64 id = page->model()->recordIdOf(key);

        // Someone is deleting the backup: the download refuses it and leaves nothing.
        LeaseGuard deleting;
        QVERIFY(!LeaseGuard::acquire(m_ctx->catalog().get(), id, QStringLiteral("delete"), &deleting));
        QTemporaryDir target;
        QVERIFY(page->selectKeys({key}));
        QSignalSpy done(page.get(), &BucketsPage::downloadsFinished);
        FileDialog::setNextFileName(target.path());
        page->downloadAction()->trigger();
        QVERIFY(done.wait(60000));
        const QStringList problems = done.first().at(1).toStringList();
        QVERIFY2(problems.join(u'\n').contains(QStringLiteral("is being deleted")), qPrintable(problems.join(u'\n')));
        QVERIFY(done.first().at(0).toStringList().isEmpty());
        QVERIFY(!QFile::exists(QDir(target.path()).filePath(name)));

        // The delete is over: the same download works.
        deleting.release();
        FileDialog::setNextFileName(target.path());
        page->downloadAction()->trigger();
        QVERIFY(done.wait(60000));
        QVERIFY2(done.last().at(1).toStringList().isEmpty(), qPrintable(done.last().at(1).toStringList().join(u'\n')));
        QFile f(QDir(target.path()).filePath(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), bytes);
    }

    void cleanupTestCase() { m_ctx.reset(); }
};

QTEST_MAIN(TestGuiBucketLease)
#include "tst_gui_bucketlease.moc"
