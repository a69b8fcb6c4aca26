// Downloads and shared links from the Buckets page are in the audit trail (issue 18, part 4): one `download` row per
// object asked for, with its outcome (completed, or refused when the target file exists) and the catalogued backup
// it is a copy of; `presign` for "Copy link", with the key and lifetime but never the URL. Against the s3 fixture.
#include "TestEnv.h"

#include "catalog/AuditTrail.h"
#include "catalog/Manifest.h"
#include "models/BucketModel.h"
#include "storage/S3Client.h"
#include "ui/AppContext.h"
#include "ui/buckets/BucketsPage.h"
#include "ui/widgets/FileDialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace lifeboat;

class TestGuiDownloadAudit : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;
    S3Config m_s3;
    std::unique_ptr<S3Client> m_client;
    QString m_root;

    bool put(const QString &relative, const QByteArray &bytes) {
        S3Call *call = m_client->putObject(m_root + relative, bytes);
        QSignalSpy done(call, &S3Call::finished);
        const bool ok = done.wait(30000) && !call->error();
        delete call;
        return ok;
    }
    static QByteArray manifestFor(const QString &artifact, const QByteArray &bytes) {
        Manifest m;
        m.toolVersion = QStringLiteral("0.1.0");
        m.profile = QStringLiteral("shop");
        m.host = QStringLiteral("db.internal:5432");
        m.database = QStringLiteral("shop");
        m.type = QStringLiteral("DAILY");
        m.serverVersion = QStringLiteral("15.8");
        m.pgDumpVersion = QStringLiteral("15.8");
        m.format = QStringLiteral("custom");
        m.artifact = artifact;
        m.size = bytes.size();
        m.sha256 = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
        m.plainSha256 = m.sha256;
        m.started = QDateTime(QDate(2026, 11, 20), QTime(2, 0), Qt::UTC);
        m.finished = m.started.addSecs(5);
        return m.toJson();
    }
    QList<AuditEntry> rows(const QString &action) {
        AuditTrail::flush();
        AuditFilter f;
        f.action = action;
        return m_ctx->catalog()->auditEntries(f);
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
        const QString prefix = QStringLiteral("dlaudit%1").arg(QDateTime::currentMSecsSinceEpoch());
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

    void downloadsAndLinksAreRows() {
        const QString name = QStringLiteral("shop_shop_2026-11-20_02-00-00Z.dump");
        const QByteArray bytes(20000, 'x');
        QVERIFY(put(name, bytes));
        QVERIFY(put(name + QStringLiteral(".manifest.json"), manifestFor(name, bytes)));
        QVERIFY(put(QStringLiteral("notes.txt"), "plain object"));
        BucketsPage page(m_ctx.get());
        page.resize(1000, 600);
        page.show();
        QVERIFY(QTest::qWaitFor([&] { return page.isReady(); }, 20000));
        page.setPrefix(m_root);
        QVERIFY(QTest::qWaitFor([&] { return !page.model()->isLoading() && page.selectKeys({m_root + name}); }, 30000));
        // Catalogued first, so the download belongs to a backup id.
        QSignalSpy finished(&page, &BucketsPage::actionFinished);
        page.importAction()->trigger();
        QVERIFY(finished.wait(30000));
        QTRY_VERIFY_WITH_TIMEOUT(page.model()->recordIdOf(m_root + name) > 0, 20000);
        const qint64 id = page.model()->recordIdOf(m_root + name);

        QTemporaryDir target;
        QFile existing(target.filePath(QStringLiteral("notes.txt")));
        QVERIFY(existing.open(QIODevice::WriteOnly) && existing.write("mine") == 4);
        existing.close();
        QVERIFY(page.selectKeys({m_root + name, m_root + QStringLiteral("notes.txt")}));
        FileDialog::setNextFileName(target.path());
        QSignalSpy done(&page, &BucketsPage::downloadsFinished);
        page.downloadAction()->trigger();
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().at(0).toStringList().size(), 1);

        const QList<AuditEntry> downloads = rows(QStringLiteral("download"));
        QCOMPARE(downloads.size(), 2);
        const AuditEntry *artifact = nullptr, *refused = nullptr;
        for (const AuditEntry &e : downloads) {
            QCOMPARE(e.program, QStringLiteral("desktop"));
            QCOMPARE(e.osUser, AuditTrail::osUser());
            if (e.target.endsWith(name))
                artifact = &e;
            else if (e.target.endsWith(QLatin1String("notes.txt")))
                refused = &e;
        }
        QVERIFY(artifact && refused);
        QCOMPARE(artifact->outcome, QStringLiteral("completed"));
        QCOMPARE(artifact->backupId, id);
        QCOMPARE(artifact->target, QStringLiteral("%1/%2%3").arg(m_s3.bucket, m_root, name));
        QCOMPARE(artifact->detail, target.filePath(name));
        QCOMPARE(refused->outcome, QStringLiteral("refused"));
        QCOMPARE(refused->backupId, 0);
        QVERIFY2(refused->detail.contains(QLatin1String("already exists")), qPrintable(refused->detail));

        QVERIFY(page.selectKeys({m_root + name}));
        page.setLinkExpiry(3600);
        page.linkAction()->trigger();
        const QString link = QApplication::clipboard()->text();
        QVERIFY(link.contains(QLatin1String("X-Amz-Signature")));
        const QList<AuditEntry> presigns = rows(QStringLiteral("presign"));
        QCOMPARE(presigns.size(), 1);
        QCOMPARE(presigns.first().target, QStringLiteral("offsite"));
        QCOMPARE(presigns.first().backupId, id);
        QCOMPARE(presigns.first().detail, QStringLiteral("%1%2, expires in 3600 s").arg(m_root, name));
        const QString signature = QUrlQuery(QUrl(link)).queryItemValue(QStringLiteral("X-Amz-Signature"));
        QVERIFY(!signature.isEmpty());
        for (const AuditEntry &e : m_ctx->catalog()->auditEntries({}))
            QVERIFY(!e.detail.contains(signature) && !e.target.contains(signature));
    }

    void cleanupTestCase() { m_ctx.reset(); }
};

QTEST_MAIN(TestGuiDownloadAudit)
#include "tst_gui_downloadaudit.moc"
