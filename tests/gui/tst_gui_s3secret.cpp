// Issue #20, items 4, 8 and 12: the S3 secret of a storage, as an operator changes it in the app.
// - After correcting a wrong secret in the storage editor, Buckets → Refresh works without a restart; after breaking
//   a working secret, the next Refresh fails (the connection held the secret it was made with, until restart).
// - The first Buckets visit, while the keychain has not answered yet, does not claim the storage has no
//   credentials; a failed listing is not described as "This folder is empty.".
// - The storage editor's Test button reports a wrong secret or bucket before anything is saved.
// Against the real S3 fixture (SigV4 checked) and a real gnome-keyring: run by tst_gui_s3secret_keychain under
// dbus-run-session; without a keychain the test skips itself.
#include "GuiTyping.h"
#include "TestEnv.h"

#include "core/CredentialStore.h"
#include "models/BucketModel.h"
#include "secrets/KeychainCredentialStore.h"
#include "storage/S3Session.h"
#include "ui/AppContext.h"
#include "ui/buckets/BucketMessageBar.h"
#include "ui/buckets/BucketsPage.h"
#include "ui/settings/StorageDialog.h"

#include <QAction>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <future>

using namespace lifeboat;

class TestS3Secret : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_home;
    S3Config m_s3;
    QString m_storage;
    QString m_prefix;

    // Keychain and blocking S3 calls are refused on the GUI thread.
    static bool keychainWrite(const QString &key, const QString &value) {
        return std::async(std::launch::async, [key, value] { return KeychainCredentialStore().write(key, value); })
            .get();
    }
    Error putObject(const QString &key) {
        return std::async(std::launch::async,
                          [this, key] { return S3Session(m_s3).putObject(key, QByteArrayLiteral("hello")); })
            .get();
    }
    // Types a secret into the editor of the storage, tests it, and saves it when `save`. Returns the test's verdict.
    static bool editSecret(AppContext &ctx, const StorageConfig &sc, const QString &secret, bool save, QString *result,
                           const QString &bucket = {}) {
        StorageDialog d(&ctx, sc);
        d.show();
        if (!QTest::qWaitForWindowExposed(&d))
            return false;
        d.activateWindow();
        if (!GuiTyping::replaceText(d.secretField(), secret) || d.secretField()->text() != secret)
            return false;
        if (!bucket.isEmpty() && !GuiTyping::replaceText(d.bucketField(), bucket))
            return false;
        QSignalSpy tested(&d, &StorageDialog::tested);
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        if (!tested.wait(30000))
            return false;
        *result = d.testResult()->text();
        const bool ok = tested.first().first().toBool();
        if (save) {
            QSignalSpy saved(&d, &StorageDialog::saved);
            QSignalSpy secretChanged(&ctx, &AppContext::secretChanged);
            QTest::mouseClick(d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save), Qt::LeftButton);
            if (saved.size() != 1 || !secretChanged.wait(20000))
                return false;
        }
        return ok;
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
        const qint64 stamp = QDateTime::currentMSecsSinceEpoch();
        m_storage = QStringLiteral("s3secret%1").arg(stamp); // a keychain shared with other tests
        m_prefix = QStringLiteral("guis3secret%1").arg(stamp);
        // No AWS chain to fall back on: the storage's own secret is the only credential.
        qunsetenv("AWS_ACCESS_KEY_ID");
        qunsetenv("AWS_SECRET_ACCESS_KEY");
        qputenv("AWS_SHARED_CREDENTIALS_FILE", m_home.filePath(QStringLiteral("none")).toUtf8());
        qputenv("AWS_CONFIG_FILE", m_home.filePath(QStringLiteral("none")).toUtf8());
        QVERIFY(!putObject(m_prefix + QStringLiteral("/manual/hello.txt")));
    }

    void secretChangesTakeEffectWithoutRestart() {
        AppContext ctx(m_home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        StorageConfig sc;
        sc.name = m_storage;
        sc.kind = QStringLiteral("s3");
        sc.endpoint = m_s3.endpoint.toString();
        sc.bucket = m_s3.bucket;
        sc.region = m_s3.region;
        sc.prefix = m_prefix;
        sc.pathStyle = true;
        sc.accessKeyId = m_s3.accessKeyId;
        QVERIFY2(ctx.updateConfig([&](ConfigStore &c) { c.upsertStorage(sc); }, &err), qPrintable(err));

        // The secret is in the keychain (a wrong one, as typed by mistake) before the app asks the keychain.
        if (!keychainWrite(CredentialStore::storageSecretKey(m_storage), QStringLiteral("wrong-secret")))
            QSKIP("no keychain here (run by tst_gui_s3secret_keychain under dbus-run-session)");
        // The page opens before the keychain has answered: it waits, it does not say "no credentials".
        BucketsPage page(&ctx);
        page.resize(1000, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTest::qWait(1500);
        QVERIFY2(page.messageBar()->text().isEmpty() || page.messageBar()->isHidden(),
                 qPrintable(page.messageBar()->text() + QLatin1Char('\n') + page.messageBar()->details()));
        QVERIFY2(!page.summary()->text().contains(QStringLiteral("cannot be opened")),
                 qPrintable(page.summary()->text()));

        ctx.probeKeychain();
        QTRY_VERIFY_WITH_TIMEOUT(ctx.keychainKnown(), 15000);
        QVERIFY(ctx.keychain().available());
        // With the keychain known (and holding a wrong secret), the listing fails with the server's reason.
        QTRY_VERIFY_WITH_TIMEOUT(page.isReady(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            page.messageBar()->kind() == BucketMessageBar::Kind::Error && !page.messageBar()->isHidden(), 20000);
        QVERIFY2(!page.messageBar()->details().contains(QStringLiteral("no credentials")),
                 qPrintable(page.messageBar()->details()));
        QTRY_VERIFY_WITH_TIMEOUT(!page.model()->isLoading(), 20000);
        QVERIFY2(page.summary()->text() != QStringLiteral("This folder is empty."),
                 "a failed listing is described as an empty folder");

        // Test in the editor with the right secret passes; with a wrong bucket it fails. Then the right one is saved.
        QString result;
        QVERIFY2(!editSecret(ctx, sc, QStringLiteral("another-wrong-one"), false, &result), qPrintable(result));
        QVERIFY2(result.startsWith(QStringLiteral("Test failed")), qPrintable(result));
        QVERIFY2(!editSecret(ctx, sc, m_s3.secretAccessKey, false, &result, QStringLiteral("no-such-bucket-lb")),
                 qPrintable(result));
        QVERIFY2(result.startsWith(QStringLiteral("Test failed")), qPrintable(result));
        QVERIFY2(editSecret(ctx, sc, m_s3.secretAccessKey, true, &result), qPrintable(result));
        QVERIFY2(result.startsWith(QStringLiteral("Test passed")), qPrintable(result));

        // Refresh lists with the corrected secret.
        page.refreshAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(page.isReady() && !page.model()->isLoading() && page.model()->rowCount() > 0, 20000);
        QVERIFY2(page.messageBar()->isHidden() || page.messageBar()->kind() != BucketMessageBar::Kind::Error,
                 qPrintable(page.messageBar()->details()));

        // A working secret changed to a wrong one fails at the next Refresh.
        QVERIFY(!editSecret(ctx, sc, QStringLiteral("now-wrong"), true, &result));
        page.refreshAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(page.isReady() && !page.model()->isLoading(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            !page.messageBar()->isHidden() && page.messageBar()->kind() == BucketMessageBar::Kind::Error, 20000);
        QCOMPARE(page.model()->rowCount(), 0);
    }
};

QTEST_MAIN(TestS3Secret)
#include "tst_gui_s3secret.moc"
