#include "BucketTestData.h"
#include "TestEnv.h"

#include "catalog/Manifest.h"
#include "models/BucketModel.h"
#include "models/BucketSortProxy.h"
#include "storage/S3Client.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/buckets/BucketBreadcrumb.h"
#include "ui/buckets/BucketMessageBar.h"
#include "ui/buckets/BucketsPage.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace lifeboat;
using namespace buckettest;

// The Buckets page against the s3 fixture (s3rver), with a real catalog in a temporary home. Objects are put with
// the asynchronous S3Client (the test runs a QApplication, where blocking S3Session calls are refused by design).
class TestGuiBuckets : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;
    S3Config m_s3;
    std::unique_ptr<S3Client> m_client;
    QString m_root; // the storage's prefix, ending in '/'

    // Puts every object (relative to the storage's prefix), many in flight at once.
    bool put(const QList<QPair<QString, QByteArray>> &objects) {
        int pending = int(objects.size());
        bool ok = true;
        for (const auto &o : objects) {
            S3Call *call = m_client->putObject(m_root + o.first, o.second);
            connect(call, &S3Call::finished, this, [call, &pending, &ok] {
                ok = ok && !call->error();
                --pending;
                call->deleteLater();
            });
        }
        return QTest::qWaitFor([&] { return pending == 0; }, 120000) && ok;
    }
    // With the manifest beside it.
    bool putArtifact(const QString &key, const QByteArray &bytes, const QByteArray &manifestSha = {}) {
        const QString name = key.section(QLatin1Char('/'), -1);
        return put({{key, bytes},
                    {key + QStringLiteral(".manifest.json"),
                     manifestFor(name, bytes, manifestSha.isEmpty() ? sha(bytes) : manifestSha)}});
    }

    int headStatus(const QString &relative) {
        S3Call *call = m_client->headObject(m_root + relative);
        QSignalSpy done(call, &S3Call::finished);
        const int status = done.wait(30000) ? call->httpStatus() : -1;
        delete call;
        return status;
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

    // Opens a folder (relative to the storage's prefix) and waits for its whole listing.
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

    static int rowOf(BucketsPage &page, const QString &name) {
        for (int r = 0; r < page.proxy()->rowCount(); ++r)
            if (page.proxy()->index(r, 0).data().toString() == name)
                return r;
        return -1;
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
        const QString prefix = QStringLiteral("guibuckets%1").arg(QDateTime::currentMSecsSinceEpoch());
        m_root = prefix + QLatin1Char('/');
        // The storage names no access key: the page resolves credentials through the AWS chain (environment).
        qputenv("AWS_ACCESS_KEY_ID", m_s3.accessKeyId.toUtf8());
        qputenv("AWS_SECRET_ACCESS_KEY", m_s3.secretAccessKey.toUtf8());

        m_ctx = std::make_unique<AppContext>(m_home.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY2(m_ctx->updateConfig(
                     [&](ConfigStore &c) {
                         Profile shop;
                         shop.name = QStringLiteral("shop");
                         shop.conninfo = QStringLiteral("host=db.internal dbname=shop");
                         shop.defaultStorages = {QStringLiteral("offsite")};
                         c.upsertProfile(shop);
                         StorageConfig disk;
                         disk.name = QStringLiteral("disk");
                         disk.localDir = m_home.filePath(QStringLiteral("backups"));
                         c.upsertStorage(disk);
                         StorageConfig s3;
                         s3.name = QStringLiteral("offsite");
                         s3.kind = QStringLiteral("s3");
                         s3.endpoint = m_s3.endpoint.toString();
                         s3.bucket = m_s3.bucket;
                         s3.region = m_s3.region;
                         s3.prefix = prefix;
                         s3.pathStyle = true;
                         c.upsertStorage(s3);
                         StorageConfig gone = s3;
                         gone.name = QStringLiteral("vanished");
                         gone.bucket = QStringLiteral("no-such-bucket-here");
                         c.upsertStorage(gone);
                     },
                     &err),
                 qPrintable(err));
        qInfo("storage prefix %s", qPrintable(m_root));
    }

    void picksS3StoragesOnly() {
        auto page = newPage();
        QVERIFY(page);
        QStringList names;
        for (int i = 0; i < page->storagePicker()->count(); ++i)
            names << page->storagePicker()->itemText(i);
        QCOMPARE(names, (QStringList{QStringLiteral("offsite"), QStringLiteral("vanished")}));
        QCOMPARE(page->currentStorage(), QStringLiteral("offsite"));
        QCOMPARE(page->currentPrefix(), m_root);
        // The page never forces the main window wide (it is one page of a stack).
        QVERIFY2(page->minimumSizeHint().width() < 640, qPrintable(QString::number(page->minimumSizeHint().width())));
    }

    void pagesThroughMoreThanAThousandObjects() {
        QList<QPair<QString, QByteArray>> many;
        for (int i = 0; i < 1050; ++i) // sizes 1..17 bytes; obj-0016 is one of the largest
            many.append(
                {QStringLiteral("many/obj-%1.bin").arg(i, 4, 10, QLatin1Char('0')), QByteArray(i % 17 + 1, 'm')});
        QElapsedTimer putClock;
        putClock.start();
        QVERIFY(put(many));
        qInfo("put 1050 objects in %lld ms", putClock.elapsed());

        auto page = newPage();
        QVERIFY(page);
        BucketModel *model = page->model();
        // No QAbstractItemModelTester here: its checks after every insertion call fetchMore() themselves, which would
        // hide whether the view pages lazily. breadcrumbAndKeyboardNavigation and tst_bucketmodel run the testers.
        int firstPageRows = -1;
        bool moreAfterFirst = false;
        const auto c = connect(model, &BucketModel::pageLoaded, this, [&] {
            if (firstPageRows < 0) {
                firstPageRows = model->rowCount();
                moreAfterFirst = model->canFetchMore({});
            }
        });
        // The event loop keeps turning while pages arrive: the longest gap between 5 ms ticks is the worst freeze.
        QElapsedTimer gap;
        qint64 worst = 0;
        QTimer ticker;
        ticker.setInterval(5);
        connect(&ticker, &QTimer::timeout, this, [&] { worst = std::max(worst, gap.restart()); });
        gap.start();
        ticker.start();
        page->setPrefix(m_root + QStringLiteral("many/"));
        QTRY_VERIFY_WITH_TIMEOUT(firstPageRows >= 0, 30000);
        disconnect(c);
        QCOMPARE(firstPageRows, 1000); // the server's page: ListObjectsV2 returns at most 1,000 keys
        QVERIFY(moreAfterFirst);
        QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 30000);
        QVERIFY(page->summary()->text().contains(QStringLiteral("scroll down")));
        QTest::qWait(300);
        QCOMPARE(model->rowCount(), 1000); // nothing more until asked
        QVERIFY(page->loadAllAction()->isEnabled());

        // Scrolling to the end asks for the next page (the view's fetchMore), without blocking the event loop.
        page->view()->scrollToBottom();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1050, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 30000);
        QVERIFY(!model->canFetchMore({}));
        ticker.stop();
        qInfo("longest event-loop gap while listing 1,050 objects in two pages: %lld ms", worst);
        QVERIFY2(worst < 2000, qPrintable(QString::number(worst))); // generous: the machine is shared
        QVERIFY2(page->summary()->text().contains(QLocale().toString(1050)), qPrintable(page->summary()->text()));

        // Sorted on the raw role: bytes, not the formatted text.
        page->view()->sortByColumn(BucketModel::SizeColumn, Qt::DescendingOrder);
        QCOMPARE(page->proxy()->index(0, BucketModel::SizeColumn).data(BucketModel::RawValueRole).toLongLong(), 17);
        page->view()->sortByColumn(BucketModel::NameColumn, Qt::AscendingOrder);
        QCOMPARE(page->proxy()->index(1049, 0).data().toString(), QStringLiteral("obj-1049.bin"));

        page->filterField()->setText(QStringLiteral("OBJ-104"));
        QCOMPARE(page->proxy()->rowCount(), 10);
        QVERIFY(page->summary()->text().contains(QStringLiteral("10 match")));
    }

    void breadcrumbAndKeyboardNavigation() {
        QVERIFY(put({{QStringLiteral("tree/a/b/deep.txt"), "deep"},
                     {QStringLiteral("tree/a/x.txt"), "x"},
                     {QStringLiteral("tree/top.txt"), "top"}}));
        auto page = newPage();
        QVERIFY(page);
        QAbstractItemModelTester tester(page->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(page->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(openAll(*page, m_root));
        QTableView *view = page->view();
        auto enter = [&](const QString &folder) {
            const int r = rowOf(*page, folder);
            if (r < 0)
                return false;
            view->setFocus();
            view->setCurrentIndex(page->proxy()->index(r, 0));
            QTest::keyClick(view, Qt::Key_Return);
            return QTest::qWaitFor([&] { return !page->model()->isLoading() && page->model()->rowCount() > 0; });
        };
        QVERIFY(enter(QStringLiteral("tree/")));
        QCOMPARE(page->currentPrefix(), m_root + QStringLiteral("tree/"));
        QVERIFY(enter(QStringLiteral("a/")));
        QVERIFY(enter(QStringLiteral("b/")));
        QCOMPARE(page->currentPrefix(), m_root + QStringLiteral("tree/a/b/"));
        QCOMPARE(page->model()->rowCount(), 1);
        QCOMPARE(page->model()->index(0, 0).data().toString(), QStringLiteral("deep.txt"));

        BucketBreadcrumb *crumbs = page->breadcrumb();
        QCOMPARE(crumbs->segmentCount(), 4);
        QCOMPARE(crumbs->segment(0)->text(), m_s3.bucket + QLatin1Char('/') + m_root.chopped(1));
        QCOMPARE(crumbs->segment(1)->text(), QStringLiteral("tree"));
        QCOMPARE(crumbs->segment(3)->text(), QStringLiteral("b"));
        QTest::mouseClick(crumbs->segment(1), Qt::LeftButton);
        QCOMPARE(page->currentPrefix(), m_root + QStringLiteral("tree/"));
        QCOMPARE(page->breadcrumb()->segmentCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 2, 20000);               // a/ and top.txt
        QCOMPARE(page->proxy()->index(0, 0).data().toString(), QStringLiteral("a/")); // folders first

        QVERIFY(enter(QStringLiteral("a/")));
        page->activateWindow();
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Up, Qt::AltModifier); // Alt+Up: the parent
        QCOMPARE(page->currentPrefix(), m_root + QStringLiteral("tree/"));
        QTest::keyClick(view, Qt::Key_Backspace);
        QCOMPARE(page->currentPrefix(), m_root);
        QVERIFY(!page->upAction()->isEnabled()); // the storage's prefix is the top
        QTest::keyClick(view, Qt::Key_Backspace);
        QCOMPARE(page->currentPrefix(), m_root);
    }

    void downloadsTwoObjectsVerified() {
        const QByteArray one = randomBytes(300 * 1024), two = "plain text object\n";
        QVERIFY(putArtifact(QStringLiteral("dl/one.dump"), one));
        QVERIFY(put({{QStringLiteral("dl/two.txt"), two}}));
        auto page = newPage();
        QVERIFY(page);
        QVERIFY(openAll(*page, m_root + QStringLiteral("dl/")));
        QVERIFY(page->selectKeys({m_root + QStringLiteral("dl/one.dump"), m_root + QStringLiteral("dl/two.txt")}));
        QVERIFY(page->downloadAction()->isEnabled());
        QTemporaryDir target;
        FileDialog::setNextFileName(target.path());
        QSignalSpy done(page.get(), &BucketsPage::downloadsFinished);
        page->downloadAction()->trigger();
        QVERIFY(done.wait(60000));
        QVERIFY2(done.first().at(1).toStringList().isEmpty(),
                 qPrintable(done.first().at(1).toStringList().join(u'\n')));
        QCOMPARE(done.first().at(0).toStringList().size(), 2);
        QFile a(target.filePath(QStringLiteral("one.dump"))), b(target.filePath(QStringLiteral("two.txt")));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), one);
        QCOMPARE(b.readAll(), two);
        QCOMPARE(QDir(target.path()).entryList(QDir::Files).size(), 2); // no partial file left
        QCOMPARE(page->messageBar()->kind(), BucketMessageBar::Kind::Information);
        QVERIFY2(page->messageBar()->text().contains(QStringLiteral("1 verified")),
                 qPrintable(page->messageBar()->text()));
        QVERIFY(!page->downloadProgress()->isVisible());

        // An object that does not match its manifest's SHA-256 never lands under its name; the error shows inline.
        QVERIFY(putArtifact(QStringLiteral("dl/bad.dump"), randomBytes(4096), QByteArray(64, 'a')));
        QVERIFY(openAll(*page, m_root + QStringLiteral("dl/")));
        QVERIFY(page->selectKeys({m_root + QStringLiteral("dl/bad.dump")}));
        FileDialog::setNextFileName(target.path());
        done.clear();
        page->downloadAction()->trigger();
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().at(1).toStringList().size(), 1);
        QVERIFY(!QFile::exists(target.filePath(QStringLiteral("bad.dump"))));
        QVERIFY(!QFile::exists(target.filePath(QStringLiteral("bad.dump.partial"))));
        QCOMPARE(page->messageBar()->kind(), BucketMessageBar::Kind::Error);
        QVERIFY(page->messageBar()->isVisible());
        QVERIFY(page->messageBar()->details().contains(QStringLiteral("SHA-256")));
        QVERIFY(!page->messageBar()->detailsVisible());
        page->messageBar()->detailsButton()->click();
        QVERIFY(page->messageBar()->detailsVisible());
    }

    void downloadCancelLeavesNothing() {
        QElapsedTimer clock;
        clock.start();
        QVERIFY(put({{QStringLiteral("big/large.bin"), randomBytes(8 * 1024 * 1024)},
                     {QStringLiteral("big/small.bin"), "small"}}));
        auto page = newPage();
        QVERIFY(page);
        QVERIFY(openAll(*page, m_root + QStringLiteral("big/")));
        QVERIFY(page->selectKeys({m_root + QStringLiteral("big/large.bin"), m_root + QStringLiteral("big/small.bin")}));
        QTemporaryDir target;
        FileDialog::setNextFileName(target.path());
        QSignalSpy done(page.get(), &BucketsPage::downloadsFinished);
        page->downloadAction()->trigger();
        QVERIFY(page->downloadProgress()->isVisible());
        QVERIFY(page->cancelDownloadButton()->isVisible());
        QVERIFY(!page->downloadAction()->isEnabled()); // one batch at a time
        qInfo("set up in %lld ms", clock.restart());
        QTest::mouseClick(page->cancelDownloadButton(), Qt::LeftButton);
        QVERIFY(done.wait(60000));
        qInfo("cancelled download ended %lld ms after Cancel", clock.elapsed());
        QCOMPARE(done.first().at(2).toBool(), true);
        QVERIFY(done.first().at(0).toStringList().isEmpty());
        QCOMPARE(QDir(target.path()).entryList(QDir::Files | QDir::Hidden), QStringList()); // no partial file either
        QVERIFY(page->messageBar()->text().contains(QStringLiteral("cancelled")));
        QVERIFY(!page->downloadProgress()->isVisible());
        QVERIFY(page->downloadAction()->isEnabled());
    }

    void presignedLinkDownloads() {
        const QByteArray body = randomBytes(2048);
        QVERIFY(put({{QStringLiteral("link/shared.bin"), body}}));
        auto page = newPage();
        QVERIFY(page);
        QVERIFY(openAll(*page, m_root + QStringLiteral("link/")));
        QVERIFY(page->selectKeys({m_root + QStringLiteral("link/shared.bin")}));
        page->setLinkExpiry(86400);
        QApplication::clipboard()->clear();
        page->linkAction()->trigger();
        const QString link = QApplication::clipboard()->text();
        QVERIFY2(link.contains(QStringLiteral("X-Amz-Expires=86400")), qPrintable(link));
        QVERIFY(!link.contains(m_s3.secretAccessKey + QStringLiteral("&")));
        QNetworkAccessManager nam;
        QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(link)));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->readAll(), body);
        reply->deleteLater();
    }

    void deleteAsksFirst() {
        QVERIFY(putArtifact(QStringLiteral("del/junk.dump"), "junk bytes"));
        QVERIFY(put({{QStringLiteral("del/keep.txt"), "keep"}}));
        auto page = newPage();
        QVERIFY(page);
        QVERIFY(openAll(*page, m_root + QStringLiteral("del/")));
        QCOMPARE(page->model()->rowCount(), 3);
        QVERIFY(page->selectKeys({m_root + QStringLiteral("del/junk.dump")}));
        QSignalSpy finished(page.get(), &BucketsPage::actionFinished);

        MessageBox::setNextAnswer(QMessageBox::No);
        page->view()->setFocus();
        QTest::keyClick(page->view(), Qt::Key_Delete); // the keyboard reaches the same confirmation
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(1).toBool(), false);
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("junk.dump and its manifest")));
        QCOMPARE(headStatus(QStringLiteral("del/junk.dump")), 200);
        QCOMPARE(page->model()->rowCount(), 3);

        MessageBox::setNextAnswer(QMessageBox::Yes);
        finished.clear();
        page->deleteAction()->trigger();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(1).toBool(), true);
        QCOMPARE(headStatus(QStringLiteral("del/junk.dump")), 404);
        QCOMPARE(headStatus(QStringLiteral("del/junk.dump.manifest.json")), 404);
        QCOMPARE(headStatus(QStringLiteral("del/keep.txt")), 200);
        QCOMPARE(page->model()->rowCount(), 1); // the rows went without listing again
        QCOMPARE(page->model()->index(0, 0).data().toString(), QStringLiteral("keep.txt"));
    }

    void newBackupsShowWithoutRefresh() {
        // Issue 20, item 12: the page kept its old listing after new backups. A catalog change (a job of ours
        // ended, or another process wrote) lists the folder again — when nothing is selected, and when shown.
        QVERIFY(put({{QStringLiteral("fresh/one.txt"), "1"}}));
        auto page = newPage();
        QVERIFY(page);
        QVERIFY(openAll(*page, m_root + QStringLiteral("fresh/")));
        QCOMPARE(page->model()->rowCount(), 1);
        QVERIFY(put({{QStringLiteral("fresh/two.txt"), "2"}}));
        emit m_ctx->catalogChanged();
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 2, 15000);
        // Hidden: listed again when shown.
        page->hide();
        QVERIFY(put({{QStringLiteral("fresh/three.txt"), "3"}}));
        emit m_ctx->catalogChanged();
        QTest::qWait(2000);
        QCOMPARE(page->model()->rowCount(), 2);
        page->show();
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 3, 15000);
        // A selection is the operator's work in progress: it is not swept away.
        QVERIFY(page->selectKeys({m_root + QStringLiteral("fresh/one.txt")}));
        QVERIFY(put({{QStringLiteral("fresh/four.txt"), "4"}}));
        emit m_ctx->catalogChanged();
        QTest::qWait(2500);
        QCOMPARE(page->model()->rowCount(), 3);
        QVERIFY(page->view()->selectionModel()->hasSelection());
    }

    void importRestoreAndDeleteCatalogued() {
        const QString name = QStringLiteral("shop_shop_2026-11-20_02-00-00Z.dump");
        const QByteArray bytes = randomBytes(10000);
        QVERIFY(putArtifact(QStringLiteral("imp/") + name, bytes));
        const QString other = QStringLiteral("shop_shop_2026-11-21_02-00-00Z.dump");
        QVERIFY(putArtifact(QStringLiteral("imp/") + other, randomBytes(5000)));
        auto page = newPage();
        QVERIFY(page);
        QVERIFY(openAll(*page, m_root + QStringLiteral("imp/")));
        const QString key = m_root + QStringLiteral("imp/") + name;
        QVERIFY(page->selectKeys({key}));
        const int row = rowOf(*page, name);
        QCOMPARE(page->proxy()->index(row, BucketModel::CatalogColumn).data().toString(),
                 QStringLiteral("Not in catalog"));
        QCOMPARE(rowOf(*page, name + QStringLiteral(".manifest.json")) >= 0, true);
        QVERIFY(page->importAction()->isEnabled());

        QSignalSpy finished(page.get(), &BucketsPage::actionFinished);
        page->importAction()->trigger();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("import"));
        QTRY_VERIFY_WITH_TIMEOUT(page->model()->recordIdOf(key) > 0, 20000);
        const qint64 id = page->model()->recordIdOf(key);
        const auto record = m_ctx->catalog()->get(id);
        QVERIFY(record);
        QCOMPARE(record->status, BackupRecord::statusCompleted());
        QCOMPARE(record->filename, name);
        QCOMPARE(record->size, qint64(bytes.size()));
        QCOMPARE(record->sha256, QString::fromLatin1(sha(bytes)));
        QCOMPARE(record->locations.size(), 1);
        QCOMPARE(record->locations.first().storage, QStringLiteral("offsite"));
        QCOMPARE(record->locations.first().path, key);
        QCOMPARE(page->proxy()->index(rowOf(*page, name), BucketModel::CatalogColumn).data().toString(),
                 QStringLiteral("Backup #%1").arg(id));
        QVERIFY(!page->importAction()->isEnabled()); // it is catalogued now

        // Restore… on a catalogued artifact asks for the wizard on its id.
        QSignalSpy restore(m_ctx.get(), &AppContext::restoreRequested);
        QVERIFY(page->restoreAction()->isEnabled());
        page->restoreAction()->trigger();
        QCOMPARE(restore.size(), 1);
        QCOMPARE(restore.first().first().toString(), QString::number(id));

        // ...and on one the catalog lacks, imports it first.
        const QString otherKey = m_root + QStringLiteral("imp/") + other;
        QVERIFY(page->selectKeys({otherKey}));
        QCOMPARE(page->model()->recordIdOf(otherKey), 0);
        QVERIFY(page->restoreAction()->isEnabled());
        page->restoreAction()->trigger();
        QVERIFY(restore.wait(30000));
        const qint64 otherId = restore.last().first().toString().toLongLong();
        QVERIFY(otherId > id);
        QCOMPARE(m_ctx->catalog()->get(otherId)->filename, other);

        // Deleting a catalogued artifact goes through BackupDeleter: objects gone, record DELETED.
        QTRY_VERIFY_WITH_TIMEOUT(page->model()->recordIdOf(key) == id, 20000);
        QVERIFY(page->selectKeys({key}));
        MessageBox::setNextAnswer(QMessageBox::Yes);
        finished.clear();
        page->deleteAction()->trigger();
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("backup #%1").arg(id)));
        QVERIFY(finished.wait(30000));
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(page->messageBar()->details()));
        QCOMPARE(m_ctx->catalog()->get(id)->status, BackupRecord::statusDeleted());
        QCOMPARE(headStatus(QStringLiteral("imp/") + name), 404);
        QCOMPARE(headStatus(QStringLiteral("imp/") + name + QStringLiteral(".manifest.json")), 404);
        QCOMPARE(rowOf(*page, name), -1);
    }

    void settingsChangeReconnects() {
        QVERIFY(put({{QStringLiteral("moved/inside.txt"), "in"}}));
        auto page = newPage();
        QVERIFY(page);
        QCOMPARE(page->currentPrefix(), m_root);
        QString err;
        QVERIFY(m_ctx->updateConfig(
            [&](ConfigStore &c) {
                StorageConfig s = *c.storage(QStringLiteral("offsite"));
                s.prefix = m_root + QStringLiteral("moved");
                c.upsertStorage(s);
            },
            &err));
        QTRY_COMPARE_WITH_TIMEOUT(page->currentPrefix(), m_root + QStringLiteral("moved/"), 20000);
        QVERIFY(openAll(*page, page->currentPrefix()));
        QCOMPARE(page->model()->rowCount(), 1);
        QCOMPARE(page->breadcrumb()->segmentCount(), 1);
        QVERIFY(m_ctx->updateConfig(
            [&](ConfigStore &c) {
                StorageConfig s = *c.storage(QStringLiteral("offsite"));
                s.prefix = m_root.chopped(1);
                c.upsertStorage(s);
            },
            &err));
        QTRY_COMPARE_WITH_TIMEOUT(page->currentPrefix(), m_root, 20000);
    }

    void listingErrorShowsInline() {
        auto page = newPage();
        QVERIFY(page);
        page->storagePicker()->setCurrentIndex(page->storagePicker()->findText(QStringLiteral("vanished")));
        QTRY_VERIFY_WITH_TIMEOUT(page->isReady(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(page->messageBar()->isVisible(), 30000);
        QCOMPARE(page->messageBar()->kind(), BucketMessageBar::Kind::Error);
        QVERIFY2(page->messageBar()->details().contains(QStringLiteral("NoSuchBucket")) ||
                     page->messageBar()->details().contains(QStringLiteral("bucket does not exist")),
                 qPrintable(page->messageBar()->details()));
        QVERIFY(!page->messageBar()->details().contains(m_s3.secretAccessKey + QStringLiteral("\n")));
    }

    void screenshot() {
        // A folder an operator would see: dated folders, catalogued and new artifacts with manifests, a stray file.
        QVERIFY(put({{QStringLiteral("DAILY/2026-11-18/.keep"), ""}, {QStringLiteral("DAILY/2026-11-19/.keep"), ""}}));
        QVERIFY(putArtifact(QStringLiteral("DAILY/shop_shop_2026-11-19_02-00-03Z.dump"), randomBytes(1843200)));
        QVERIFY(putArtifact(QStringLiteral("DAILY/shop_shop_2026-11-20_02-00-04Z.dump"), randomBytes(1851392)));
        QVERIFY(
            putArtifact(QStringLiteral("DAILY/billing_billing_2026-11-20_03-15-00Z.dump.age"), randomBytes(734003)));
        QVERIFY(put({{QStringLiteral("DAILY/notes-from-ops.txt"), "moved by hand\n"}}));
        MainWindow window(m_ctx.get());
        window.resize(1180, 760);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::Buckets);
        auto *page = window.findChild<BucketsPage *>();
        QVERIFY(page);
        QTRY_VERIFY_WITH_TIMEOUT(page->isReady(), 20000);
        QVERIFY(openAll(*page, m_root + QStringLiteral("DAILY/")));
        QVERIFY(page->selectKeys({m_root + QStringLiteral("DAILY/shop_shop_2026-11-19_02-00-03Z.dump")}));
        QSignalSpy finished(page, &BucketsPage::actionFinished);
        page->importAction()->trigger();
        QVERIFY(finished.wait(30000));
        QTRY_VERIFY_WITH_TIMEOUT(
            page->model()->recordIdOf(m_root + QStringLiteral("DAILY/shop_shop_2026-11-19_02-00-03Z.dump")) > 0, 20000);
        QVERIFY(page->selectKeys({m_root + QStringLiteral("DAILY/shop_shop_2026-11-20_02-00-04Z.dump"),
                                  m_root + QStringLiteral("DAILY/billing_billing_2026-11-20_03-15-00Z.dump.age")}));
        QTest::qWait(300);
        const QString envDir = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR");
        QTemporaryDir tmp;
        const QString dir = envDir.isEmpty() ? tmp.path() : envDir;
        QDir().mkpath(dir);
        const QString file = dir + QStringLiteral("/buckets.png");
        QVERIFY(window.grab().save(file));
        QVERIFY(QFileInfo(file).size() > 10000);
        qInfo("wrote %s", qPrintable(file));
    }

    void cleanupTestCase() { m_ctx.reset(); }
};

QTEST_MAIN(TestGuiBuckets)
#include "tst_gui_buckets.moc"
