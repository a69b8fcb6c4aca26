// Issue 15 in the desktop app.
// - The storage editor offers the S3 storage class (bucket default, STANDARD … DEEP_ARCHIVE), the storage's own
//   retention rules and its archive storage; typed through the focus chain they are saved to config.json as
//   `lifeboatctl storage set` would, shown back when the editor opens again, and a keep-within that is not a duration
//   is refused with the reason while nothing is saved.
// - The Buckets page's Download of an object stored in GLACIER (the s3 fixture answers 403 InvalidObjectState, as S3
//   does) says it is stored in GLACIER and that a restore must be requested first, not a raw S3 error.
#include "GuiTyping.h"
#include "TestEnv.h"

#include "core/Home.h"
#include "models/BucketModel.h"
#include "storage/S3Client.h"
#include "ui/AppContext.h"
#include "ui/buckets/BucketMessageBar.h"
#include "ui/buckets/BucketsPage.h"
#include "ui/settings/StorageDialog.h"
#include "ui/widgets/FileDialog.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestGuiStorageClass : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;
    S3Config m_s3;
    QString m_root;

    // Picks a combo box entry as a user does with the keyboard: focus it, then arrow keys to the wanted text.
    static bool chooseInCombo(QComboBox *combo, const QString &text) {
        if (!GuiTyping::clickInto(combo)) {
            // A click opens the popup; close it and keep the focus on the combo.
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        }
        combo->hidePopup();
        combo->setFocus(Qt::TabFocusReason);
        if (QApplication::focusWidget() != combo)
            return false;
        QTest::keyClick(combo, Qt::Key_Home);
        for (int i = 0; i < combo->count() && combo->currentText() != text; ++i)
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Down);
        return combo->currentText() == text;
    }
    static bool typeInto(QWidget *field, const QString &text) { return GuiTyping::replaceText(field, text); }
    static void save(StorageDialog &d) {
        QTest::mouseClick(d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save), Qt::LeftButton);
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
        m_root = QStringLiteral("guiclass%1/").arg(QDateTime::currentMSecsSinceEpoch());
        qputenv("AWS_ACCESS_KEY_ID", m_s3.accessKeyId.toUtf8());
        qputenv("AWS_SECRET_ACCESS_KEY", m_s3.secretAccessKey.toUtf8());
        m_ctx = std::make_unique<AppContext>(m_home.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY2(m_ctx->updateConfig(
                     [&](ConfigStore &c) {
                         StorageConfig disk;
                         disk.name = QStringLiteral("disk");
                         disk.localDir = m_home.filePath(QStringLiteral("store"));
                         c.upsertStorage(disk);
                         StorageConfig s3;
                         s3.name = QStringLiteral("offsite");
                         s3.kind = QStringLiteral("s3");
                         s3.endpoint = m_s3.endpoint.toString();
                         s3.bucket = m_s3.bucket;
                         s3.region = m_s3.region;
                         s3.prefix = m_root.chopped(1);
                         s3.pathStyle = true;
                         c.upsertStorage(s3);
                     },
                     &err),
                 qPrintable(err));
    }

    void editorSavesClassRulesAndArchive() {
        {
            StorageDialog d(m_ctx.get(), *m_ctx->config().storage(QStringLiteral("offsite")));
            d.show();
            QVERIFY(QTest::qWaitForWindowExposed(&d));
            d.activateWindow();
            QComboBox *cls = d.storageClassField();
            QVERIFY(cls->isVisible());
            QStringList offered;
            for (int i = 0; i < cls->count(); ++i)
                offered << cls->itemData(i).toString();
            QCOMPARE(offered, (QStringList{QString(), QStringLiteral("STANDARD"), QStringLiteral("STANDARD_IA"),
                                           QStringLiteral("ONEZONE_IA"), QStringLiteral("INTELLIGENT_TIERING"),
                                           QStringLiteral("GLACIER_IR"), QStringLiteral("GLACIER"),
                                           QStringLiteral("DEEP_ARCHIVE")}));
            QCOMPARE(cls->currentText(), QStringLiteral("Bucket default"));
            QVERIFY(chooseInCombo(cls, QStringLiteral("GLACIER_IR")));
            // Own rules: off for a storage without any; switched on, the usual counts are offered.
            QVERIFY(!d.ownRulesBox()->isChecked());
            d.ownRulesBox()->setFocus(Qt::TabFocusReason);
            QTRY_COMPARE(QApplication::focusWidget(), d.ownRulesBox());
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
            QVERIFY(d.ownRulesBox()->isChecked());
            QVERIFY2(typeInto(d.keepDailyField(), QStringLiteral("3")), qPrintable(GuiTyping::focusDescription()));
            QVERIFY(typeInto(d.keepYearlyField(), QStringLiteral("7")));
            QVERIFY(typeInto(d.keepWithinField(), QStringLiteral("soon")));
            QVERIFY(chooseInCombo(d.archiveToField(), QStringLiteral("disk")));
            QSignalSpy saved(&d, &StorageDialog::saved);
            save(d);
            // Not a duration: refused with the reason, nothing saved.
            QCOMPARE(saved.size(), 0);
            QVERIFY2(d.errorLabel()->text().contains(QStringLiteral("duration")), qPrintable(d.errorLabel()->text()));
            QVERIFY(!m_ctx->config().storage(QStringLiteral("offsite"))->hasRetention());
            QVERIFY(typeInto(d.keepWithinField(), QStringLiteral("2d")));
            save(d);
            QCOMPARE(saved.size(), 1);
        }
        ConfigStore onDisk(Home::configPath(m_home.path()));
        QString err;
        QVERIFY2(onDisk.load(&err), qPrintable(err));
        const auto s = onDisk.storage(QStringLiteral("offsite"));
        QVERIFY(s);
        QCOMPARE(s->storageClass, QStringLiteral("GLACIER_IR"));
        QCOMPARE(s->keepDaily, 3);
        QCOMPARE(s->keepWeekly, 4);
        QCOMPARE(s->keepMonthly, 12);
        QCOMPARE(s->keepYearly, 7);
        QCOMPARE(s->keepLast, 0);
        QCOMPARE(s->keepHourly, 0);
        QCOMPARE(s->keepWithinSeconds, 2 * 86400);
        QCOMPARE(s->archiveTo, QStringLiteral("disk"));

        // Shown back as saved; switching the rules off and the class back to the default clears them.
        StorageDialog d(m_ctx.get(), *m_ctx->config().storage(QStringLiteral("offsite")));
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.activateWindow();
        QCOMPARE(d.storageClassField()->currentText(), QStringLiteral("GLACIER_IR"));
        QVERIFY(d.ownRulesBox()->isChecked());
        QCOMPARE(d.keepDailyField()->value(), 3);
        QCOMPARE(d.keepYearlyField()->value(), 7);
        QCOMPARE(d.keepWithinField()->text(), QStringLiteral("2d"));
        QCOMPARE(d.archiveToField()->currentText(), QStringLiteral("disk"));
        QVERIFY(chooseInCombo(d.storageClassField(), QStringLiteral("Bucket default")));
        d.ownRulesBox()->setFocus(Qt::TabFocusReason);
        QTRY_COMPARE(QApplication::focusWidget(), d.ownRulesBox());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QVERIFY(chooseInCombo(d.archiveToField(), QStringLiteral("Nowhere: copies stay here")));
        QSignalSpy saved(&d, &StorageDialog::saved);
        save(d);
        QCOMPARE(saved.size(), 1);
        const auto cleared = m_ctx->config().storage(QStringLiteral("offsite"));
        QCOMPARE(cleared->storageClass, QString());
        QVERIFY(!cleared->hasRetention());
        QCOMPARE(cleared->archiveTo, QString());
    }

    void glacierDownloadSaysRestoreFirst() {
        S3Config glacier = m_s3;
        glacier.storageClass = QStringLiteral("GLACIER");
        S3Client client(glacier);
        const QString key = m_root + QStringLiteral("cold/old.dump");
        S3Call *call = client.putObject(key, QByteArray(4000, 'g'));
        QSignalSpy put(call, &S3Call::finished);
        QVERIFY(put.wait(30000));
        QVERIFY2(!call->error(), qPrintable(call->error().message));
        delete call;

        BucketsPage page(m_ctx.get());
        page.resize(1100, 640);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QVERIFY(QTest::qWaitFor([&] { return page.isReady(); }, 20000));
        page.setPrefix(m_root + QStringLiteral("cold/"));
        BucketModel *m = page.model();
        QVERIFY(QTest::qWaitFor(
            [m] {
                if (m->canFetchMore({}))
                    m->fetchMore({});
                return !m->isLoading() && !m->canFetchMore({});
            },
            30000));
        QVERIFY(page.selectKeys({key}));
        QTemporaryDir target;
        QSignalSpy done(&page, &BucketsPage::downloadsFinished);
        FileDialog::setNextFileName(target.path());
        page.downloadAction()->trigger();
        QVERIFY(done.wait(60000));
        QVERIFY(done.first().at(0).toStringList().isEmpty());
        QVERIFY(!QFile::exists(QDir(target.path()).filePath(QStringLiteral("old.dump"))));
        QCOMPARE(page.messageBar()->kind(), BucketMessageBar::Kind::Error);
        const QString text = page.messageBar()->text();
        QVERIFY2(text.startsWith(QStringLiteral("old.dump is stored in GLACIER: request a restore first")),
                 qPrintable(text));
        QVERIFY2(page.messageBar()->details().contains(QStringLiteral("stored in GLACIER")),
                 qPrintable(page.messageBar()->details()));
    }

    void cleanupTestCase() { m_ctx.reset(); }
};

QTEST_MAIN(TestGuiStorageClass)
#include "tst_gui_storageclass.moc"
