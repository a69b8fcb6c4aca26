// The Buckets page's Import (the desktop app's catalog import from a bucket) believes a manifest only after its
// signature, as `lifeboatctl catalog rebuild` does (issue 14): against the s3 fixture, an artifact whose signed
// manifest was changed after signing is refused — not catalogued, reported in the page's message bar with the
// reason — while the same artifact with an intact signature (by a key this catalog does not know) is imported.
#include "TestEnv.h"

#include "catalog/Manifest.h"
#include "jobs/ManifestSigner.h"
#include "models/BucketModel.h"
#include "storage/S3Client.h"
#include "ui/AppContext.h"
#include "ui/buckets/BucketMessageBar.h"
#include "ui/buckets/BucketsPage.h"

#include <QAction>
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestGuiBucketSignature : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;
    S3Config m_s3;
    std::unique_ptr<S3Client> m_client;
    QString m_root;
    std::shared_ptr<const ManifestSigner> m_signer;

    static QByteArray sha(const QByteArray &b) {
        return QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex();
    }
    QByteArray signedManifest(const QString &artifact, const QByteArray &bytes) const {
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
        QString err;
        return m_signer->sign(m.toJson(), &err);
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
        const QString prefix = QStringLiteral("guisig%1").arg(QDateTime::currentMSecsSinceEpoch());
        m_root = prefix + QLatin1Char('/');
        qputenv("AWS_ACCESS_KEY_ID", m_s3.accessKeyId.toUtf8());
        qputenv("AWS_SECRET_ACCESS_KEY", m_s3.secretAccessKey.toUtf8());
        QByteArray seed(32, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(seed.data()), 8);
        m_signer = ManifestSigner::fromPrivateKey(seed);
        QVERIFY(m_signer);

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

    void tamperedSignedManifestIsRefused() {
        const QString bad = QStringLiteral("shop_shop_2026-11-20_02-00-00Z.dump");
        const QString good = QStringLiteral("shop_shop_2026-11-21_02-00-00Z.dump");
        const QByteArray badBytes = QByteArray(7000, 'b');
        const QByteArray goodBytes = QByteArray(5000, 'g');
        // Signed, then changed: the database it claims to be is not what was signed.
        QJsonObject tampered = QJsonDocument::fromJson(signedManifest(bad, badBytes)).object();
        QVERIFY(tampered.contains(QStringLiteral("signature")));
        tampered[QStringLiteral("database")] = QStringLiteral("payroll");
        QVERIFY(put(QStringLiteral("sig/") + bad, badBytes));
        QVERIFY(put(QStringLiteral("sig/") + bad + QStringLiteral(".manifest.json"), QJsonDocument(tampered).toJson()));
        QVERIFY(put(QStringLiteral("sig/") + good, goodBytes));
        QVERIFY(put(QStringLiteral("sig/") + good + QStringLiteral(".manifest.json"), signedManifest(good, goodBytes)));

        auto page = newPage();
        QVERIFY(page);
        QVERIFY(openAll(*page, m_root + QStringLiteral("sig/")));
        const QString badKey = m_root + QStringLiteral("sig/") + bad;
        const QString goodKey = m_root + QStringLiteral("sig/") + good;

        QVERIFY(page->selectKeys({badKey}));
        QVERIFY(page->importAction()->isEnabled());
        page->importAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(page->messageBar()->kind() == BucketMessageBar::Kind::Error &&
                                     page->messageBar()->text().contains(QStringLiteral("could not be imported")),
                                 30000);
        const QString details = page->messageBar()->details();
        QVERIFY2(details.contains(bad), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("does not match the manifest's content")), qPrintable(details));
        QCOMPARE(page->model()->recordIdOf(badKey), qint64(0));
        CatalogFilter all;
        for (const BackupRecord &r : m_ctx->catalog()->list(all))
            QVERIFY2(r.filename != bad, "the tampered manifest made a catalog record");

        // The intact one imports (an unknown signer is reported, not refused, without --require-signed).
        QVERIFY(page->selectKeys({goodKey}));
        QSignalSpy finished(page.get(), &BucketsPage::actionFinished);
        page->importAction()->trigger();
        QVERIFY(finished.wait(30000));
        QTRY_VERIFY_WITH_TIMEOUT(page->model()->recordIdOf(goodKey) > 0, 20000);
    }

    void cleanupTestCase() { m_ctx.reset(); }
};

QTEST_MAIN(TestGuiBucketSignature)
#include "tst_gui_bucketsignature.moc"
