#include "RestoreWizardFixture.h"

#include "crypto/AgeIdentity.h"
#include "models/JobListModel.h"
#include "ui/history/HistoryPage.h"
#include "ui/restore/RestoreReportPage.h"
#include "ui/restore/RestoreRunPage.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QFile>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>

using namespace lifeboat;

// The restore wizard on the sources other than a plain local backup, against the pg fixture: an archive from a newer
// pg_dump (it names the client tools to install), an encrypted backup opened with an identity file, a backup whose
// only copy is in S3 (History's presigned link downloads it, the wizard restores it), and History's Verify and
// Restore… actions. The walk through the wizard, its refusals and cancels are in tst_gui_restorewizard.
static constexpr const char *kDatabases[] = {"wiz_sources_src", "wiz_enc", "wiz_s3"};

class TestRestoreWizardSources : public QObject, private RestoreWizardFixture {
    Q_OBJECT
private:
    qint64 m_encId = 0;

private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(lifeboat);
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture is not running");
        for (const char *db : kDatabases)
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(QLatin1String(db)));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE wiz_sources_src"));
        fillShopDatabase(QStringLiteral("wiz_sources_src"));

        m_shots = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR");
        if (m_shots.isEmpty())
            m_shots = m_tmp.filePath(QStringLiteral("shots"));
        QDir().mkpath(m_shots);

        m_ctx = std::make_unique<AppContext>(m_home.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY(m_ctx->updateConfig(
            [this](ConfigStore &c) {
                StorageConfig s;
                s.name = QStringLiteral("disk");
                s.localDir = m_home.filePath(QStringLiteral("backups"));
                c.upsertStorage(s);
                Profile shop;
                shop.name = QStringLiteral("shop");
                shop.conninfo = TestEnv::pgConninfo(QStringLiteral("wiz_sources_src"));
                shop.defaultStorages = {QStringLiteral("disk")};
                c.upsertProfile(shop);
                c.setOption(QStringLiteral("pgToolDir"),
                            TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_BIN")));
            },
            &err));
        m_window = std::make_unique<MainWindow>(m_ctx.get());
        m_window->resize(1180, 780);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));

        // A real backup made by the app, as an operator would (Back up now).
        m_backupId = backup(QStringLiteral("shop"));
        QVERIFY(m_backupId > 0);
    }

    void newerArchiveNamesTheClientToInstall() {
        // The real backup with its header's archive version raised to 1.16 (written by pg_dump 17).
        const auto rec = m_ctx->catalog()->get(m_backupId);
        QVERIFY(rec && !rec->locations.isEmpty());
        // The default artifact is a zstd frame around the archive (issue 16): the stock zstd CLI opens it.
        QVERIFY(rec->locations.first().path.endsWith(QLatin1String(".dump.zst")));
        QProcess unzstd;
        unzstd.start(QStringLiteral("zstd"),
                     {QStringLiteral("-q"), QStringLiteral("-d"), QStringLiteral("-c"), rec->locations.first().path});
        QVERIFY(unzstd.waitForFinished(30000));
        QByteArray bytes = unzstd.readAllStandardOutput();
        QVERIFY(bytes.startsWith("PGDMP"));
        bytes[6] = 16;
        const QString newer = m_tmp.filePath(QStringLiteral("newer.dump"));
        QFile out(newer);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
        out.close();

        m_ctx->requestRestore(newer); // a file path: the Choose page takes it as a file
        QTRY_COMPARE_WITH_TIMEOUT(wizard()->currentId(), int(RestoreWizard::InspectId), 10000);
        QCOMPARE(wizard()->source(), newer);
        RestoreInspectPage *in = wizard()->inspectPage();
        QTRY_VERIFY_WITH_TIMEOUT(!in->isBusy(), 60000);
        QVERIFY(!in->isComplete());
        QVERIFY(!wizard()->button(QWizard::NextButton)->isEnabled());
        QVERIFY2(in->versionLabel()->text().contains(QStringLiteral("install PostgreSQL 17 client tools")),
                 qPrintable(in->versionLabel()->text()));
        QVERIFY(in->statusLabel()->text().contains(QStringLiteral("cannot be restored")));
        wizard()->reject();
        QTRY_COMPARE(wizard()->currentId(), int(RestoreWizard::ChooseId));
    }

    void encryptedBackupOpensWithIdentityFile() {
        const AgeKeyPair keys = AgeIdentity::generate();
        const QString keyFile = m_tmp.filePath(QStringLiteral("restore.key"));
        QFile kf(keyFile);
        QVERIFY(kf.open(QIODevice::WriteOnly));
        kf.write(keys.identityFileContents());
        kf.close();
        Job *job = nullptr;
        m_ctx->startBackup(QStringLiteral("shop"), {QStringLiteral("disk")}, BackupOptions{}, {keys.recipient},
                           [&](Job *j, const QString &) { job = j; });
        QTRY_VERIFY_WITH_TIMEOUT(job, 20000);
        QSignalSpy done(job, &Job::finished);
        QVERIFY(done.wait(120000));
        const JobResult r = done.first().first().value<JobResult>();
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        m_encId = r.recordId;

        m_ctx->requestRestore(QString::number(r.recordId));
        QTRY_COMPARE_WITH_TIMEOUT(wizard()->currentId(), int(RestoreWizard::InspectId), 20000);
        RestoreInspectPage *in = wizard()->inspectPage();
        QTRY_VERIFY_WITH_TIMEOUT(!in->isBusy(), 60000);
        QVERIFY(!in->isComplete()); // no key yet
        QVERIFY2(in->statusLabel()->text().contains(QStringLiteral("Cannot read")),
                 qPrintable(in->statusLabel()->text()));
        shot(QStringLiteral("2-inspect-locked"));
        FileDialog::setNextFileName(keyFile);
        QTest::mouseClick(in->identityFileButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(in->isComplete(), 60000);
        QCOMPARE(in->detail(QStringLiteral("encrypted")), QStringLiteral("yes (age)"));
        wizard()->next();
        QVERIFY(typeInto(wizard()->targetPage()->databaseField(), QStringLiteral("wiz_enc")));
        wizard()->next();
        QTRY_VERIFY_WITH_TIMEOUT(!wizard()->safetyPage()->isChecking(), 60000);
        QVERIFY2(wizard()->safetyPage()->isComplete(), qPrintable(wizard()->safetyPage()->blocker()));
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->runPage()->isFinished(), 120000);
        QVERIFY2(wizard()->runOk(), qPrintable(wizard()->runError()));
        QCOMPARE(psql(QStringLiteral("wiz_enc"), QStringLiteral("SELECT count(*) FROM orders")),
                 QStringLiteral("3000"));
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->reportPage()->isReady(), 60000);
        QVERIFY(wizard()->reportPage()->report().passed());
        wizard()->button(QWizard::FinishButton)->click();
        QTRY_COMPARE(wizard()->currentId(), int(RestoreWizard::ChooseId));
    }

    void s3CopyLinkAndRestore() {
        // A backup whose only copy is in the bucket: History copies a presigned link to it, and the wizard restores
        // it (downloaded once, its SHA-256 checked on the way).
        const auto env = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!env.isEmpty(), "the s3 fixture is not running (run through ctest)");
        qputenv("AWS_ACCESS_KEY_ID", env.value(QStringLiteral("S3_ACCESS_KEY")).toUtf8());
        qputenv("AWS_SECRET_ACCESS_KEY", env.value(QStringLiteral("S3_SECRET_KEY")).toUtf8());
        QString err;
        QVERIFY(m_ctx->updateConfig(
            [&](ConfigStore &c) {
                StorageConfig s3;
                s3.name = QStringLiteral("offsite");
                s3.kind = QStringLiteral("s3");
                s3.endpoint = env.value(QStringLiteral("S3_ENDPOINT"));
                s3.bucket = env.value(QStringLiteral("S3_BUCKET"));
                s3.region = env.value(QStringLiteral("S3_REGION"));
                s3.prefix = QStringLiteral("wizard-%1/").arg(QDateTime::currentMSecsSinceEpoch());
                s3.pathStyle = true;
                c.upsertStorage(s3);
            },
            &err));
        Job *job = nullptr;
        QString why;
        m_ctx->startBackup(QStringLiteral("shop"), {QStringLiteral("offsite")}, BackupOptions{}, {},
                           [&](Job *j, const QString &e) {
                               job = j;
                               why = e;
                           });
        QTRY_VERIFY_WITH_TIMEOUT(job || !why.isEmpty(), 20000);
        QVERIFY2(job, qPrintable(why));
        QSignalSpy done(job, &Job::finished);
        QVERIFY(done.wait(120000));
        const JobResult r = done.first().first().value<JobResult>();
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        const qint64 id = r.recordId;

        m_window->showPage(MainWindow::History);
        HistoryPage *h = m_window->historyPage();
        h->reload();
        QTRY_VERIFY_WITH_TIMEOUT(h->selectRecord(id), 10000);
        QVERIFY(h->linkAction()->isEnabled());
        QApplication::clipboard()->clear();
        h->linkAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(QApplication::clipboard()->text().contains(QStringLiteral("X-Amz-Signature=")), 20000);
        const QUrl url(QApplication::clipboard()->text());
        QVERIFY(url.toString().startsWith(env.value(QStringLiteral("S3_ENDPOINT"))));
        // The link really downloads the backup (a plain HTTP GET, no credentials).
        QNetworkAccessManager nam;
        QNetworkReply *reply = nam.get(QNetworkRequest(url));
        QSignalSpy got(reply, &QNetworkReply::finished);
        QVERIFY(got.wait(20000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QByteArray body = reply->readAll();
        reply->deleteLater();
        QVERIFY(body.startsWith(QByteArray("\x28\xb5\x2f\xfd", 4))); // the stored form: Lifeboat's zstd frame
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex()),
                 m_ctx->catalog()->get(id)->sha256);

        QVERIFY(toSafety(QStringLiteral("shop"), QStringLiteral("wiz_s3"), true, id));
        QVERIFY2(wizard()->safetyPage()->isComplete(), qPrintable(wizard()->safetyPage()->blocker()));
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->runPage()->isFinished(), 120000);
        QVERIFY2(wizard()->runOk(), qPrintable(wizard()->runError() + wizard()->runPage()->logView()->toPlainText()));
        QCOMPARE(psql(QStringLiteral("wiz_s3"), QStringLiteral("SELECT count(*) FROM orders")), QStringLiteral("3000"));
        QTest::mouseClick(nextButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->reportPage()->isReady(), 60000);
        QVERIFY(wizard()->reportPage()->report().passed());
        wizard()->button(QWizard::FinishButton)->click();
        QTRY_COMPARE(wizard()->currentId(), int(RestoreWizard::ChooseId));
    }

    void historyActionsVerifyAndRestore() {
        m_window->showPage(MainWindow::History);
        HistoryPage *h = m_window->historyPage();
        h->reload();
        QTRY_VERIFY_WITH_TIMEOUT(h->selectRecord(m_backupId), 10000);
        QVERIFY(h->verifyAction()->isEnabled());
        QVERIFY(h->restoreAction()->isEnabled());
        QVERIFY(!h->linkAction()->isEnabled()); // a local copy only
        const int before = m_ctx->jobs()->rowCount();
        h->verifyAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(m_ctx->jobs()->rowCount(), before + 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(m_ctx->jobs()->state(before) > JobListModel::State::Running, 180000);
        QVERIFY2(m_ctx->jobs()->state(before) == JobListModel::State::Succeeded,
                 qPrintable(m_ctx->jobs()->log(before)));
        const auto rec = m_ctx->catalog()->get(m_backupId);
        QVERIFY(rec);
        QCOMPARE(rec->verifyOutcome, QStringLiteral("PASSED"));
        QVERIFY(rec->verifiedAt.isValid());

        // An encrypted backup needs its key: the one-click action says how instead of starting a job bound to fail.
        QTRY_VERIFY_WITH_TIMEOUT(h->selectRecord(m_encId), 10000);
        const int jobs = m_ctx->jobs()->rowCount();
        h->verifyAction()->trigger();
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("encrypted")));
        QCOMPARE(m_ctx->jobs()->rowCount(), jobs);

        QSignalSpy requested(m_ctx.get(), &AppContext::restoreRequested);
        QTRY_VERIFY_WITH_TIMEOUT(h->selectRecord(m_backupId), 10000);
        h->restoreAction()->trigger();
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().first().toString(), QString::number(m_backupId));
        QTRY_COMPARE(m_window->currentPage(), MainWindow::Restore);
        QTRY_COMPARE_WITH_TIMEOUT(wizard()->currentId(), int(RestoreWizard::InspectId), 20000);
        QCOMPARE(wizard()->source(), QString::number(m_backupId));
        QTRY_VERIFY_WITH_TIMEOUT(wizard()->inspectPage()->isComplete(), 60000);
        wizard()->reject();
    }

    void cleanupTestCase() {
        m_window.reset();
        m_ctx.reset();
        for (const char *db : kDatabases)
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(QLatin1String(db)));
    }
};

QTEST_MAIN(TestRestoreWizardSources)
#include "tst_gui_restorewizard_sources.moc"
