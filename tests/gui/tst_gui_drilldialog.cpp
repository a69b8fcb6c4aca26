// The schedule editor offers "verify" as a kind (issue 18, part 1): a new drill defaults to weekly under a -drill
// name, needs no storage, keeps where it verifies (a sandbox cluster here), and is read back as such from a catalog
// opened afresh; editing it shows it as a drill again. A drill of a directory source is refused with the reason.
#include "catalog/FileSourceConfig.h"
#include "catalog/SqlCatalog.h"
#include "core/Home.h"
#include "ui/AppContext.h"
#include "ui/schedules/ScheduleDialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestDrillDialog : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<AppContext> m_ctx;

private slots:
    void initTestCase() {
        m_ctx = std::make_unique<AppContext>(m_tmp.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY2(m_ctx->updateConfig(
                     [this](ConfigStore &c) {
                         StorageConfig s;
                         s.name = QStringLiteral("disk");
                         s.localDir = m_tmp.filePath(QStringLiteral("store"));
                         c.upsertStorage(s);
                         Profile shop;
                         shop.name = QStringLiteral("shop");
                         shop.conninfo = QStringLiteral("host=127.0.0.1 dbname=shop");
                         shop.defaultStorages = {QStringLiteral("disk")};
                         c.upsertProfile(shop);
                         FileSourceConfig f;
                         f.name = QStringLiteral("docs");
                         f.path = m_tmp.path();
                         f.storages = {QStringLiteral("disk")};
                         c.upsertFileSource(f);
                     },
                     &err),
                 qPrintable(err));
    }

    void addDrill() {
        ScheduleDialog d(m_ctx.get(), ScheduleRecord{}, {});
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QCOMPARE(d.kindField()->currentData().toString(), QStringLiteral("backup"));
        QVERIFY(!d.verifyOnField()->isEnabled());
        const int shop = d.profileField()->findData(QStringLiteral("shop"));
        QVERIFY(shop >= 0);
        d.profileField()->setCurrentIndex(shop);
        d.nameField()->setText(QStringLiteral("shop-nightly"));
        QCOMPARE(d.cronField()->text(), QStringLiteral("0 1 * * *"));

        d.kindField()->setCurrentIndex(d.kindField()->findData(QStringLiteral("verify")));
        QCOMPARE(d.cronField()->text(), QStringLiteral("0 3 * * 0")); // weekly, after the night's backup
        QCOMPARE(d.nameField()->text(), QStringLiteral("shop-drill"));
        QVERIFY(!d.storageList()->isEnabled());
        QVERIFY(d.verifyOnField()->isEnabled());
        d.verifyOnField()->setCurrentIndex(d.verifyOnField()->findData(QLatin1String(ScheduleRecord::kVerifySandbox)));

        QSignalSpy saved(&d, &ScheduleDialog::saved);
        d.accept();
        QTRY_COMPARE(saved.size(), 1);
        auto catalog = SqlCatalog::sqlite(Home::catalogPath(m_tmp.path()));
        QString err;
        QVERIFY2(catalog->open(&err), qPrintable(err));
        const auto stored = catalog->schedule(QStringLiteral("shop-drill"));
        QVERIFY(stored);
        QCOMPARE(stored->sourceKind, QStringLiteral("verify"));
        QVERIFY(stored->isDrill());
        QCOMPARE(stored->profile, QStringLiteral("shop"));
        QCOMPARE(stored->verifyTarget, QLatin1String(ScheduleRecord::kVerifySandbox));
        QVERIFY(stored->storages.isEmpty());
        QCOMPARE(stored->cron, QStringLiteral("0 3 * * 0"));

        // Editing it shows a drill on the sandbox.
        ScheduleDialog edit(m_ctx.get(), *stored, {stored->name});
        QCOMPARE(edit.kindField()->currentData().toString(), QStringLiteral("verify"));
        QCOMPARE(edit.verifyOnField()->currentData().toString(), QLatin1String(ScheduleRecord::kVerifySandbox));
        QCOMPARE(edit.profileField()->currentData().toString(), QStringLiteral("shop"));
        QCOMPARE(edit.cronField()->text(), QStringLiteral("0 3 * * 0")); // an existing schedule keeps its cron
    }

    void drillOfADirectoryIsRefused() {
        ScheduleDialog d(m_ctx.get(), ScheduleRecord{}, {});
        d.nameField()->setText(QStringLiteral("docs-drill"));
        int docs = -1;
        for (int i = 0; i < d.profileField()->count(); ++i)
            if (d.profileField()->itemData(i, ScheduleDialog::KindRole).toString() == QLatin1String("files"))
                docs = i;
        QVERIFY(docs >= 0);
        d.profileField()->setCurrentIndex(docs);
        d.kindField()->setCurrentIndex(d.kindField()->findData(QStringLiteral("verify")));
        QString why;
        d.schedule(&why);
        QVERIFY2(why.contains(QStringLiteral("database")), qPrintable(why));
        d.accept();
        QVERIFY(d.errorLabel()->text().contains(QStringLiteral("database")));
    }
};

QTEST_MAIN(TestDrillDialog)
#include "tst_gui_drilldialog.moc"
