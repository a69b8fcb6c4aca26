// Issue 16 in the desktop app: the schedule editor offers the Back-up-now dialog's compression choices, typed
// through the focus chain, stored with the schedule in a real SQLite catalog and shown again when it is edited
// (disabled for a directory source); History shows each backup's size with its ratio to the bytes read, and the
// size alone for a record made before bytes read was recorded.
#include "catalog/FileSourceConfig.h"
#include "catalog/SqlCatalog.h"
#include "core/Home.h"
#include "models/BackupHistoryModel.h"
#include "ui/AppContext.h"
#include "ui/dashboard/BackupNowDialog.h"
#include "ui/schedules/ScheduleDialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestGuiCompression : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<AppContext> m_ctx;

    // Tabs from the focused widget until `target` has the focus (at most 40 steps, like a user would).
    static bool tabTo(QWidget *target) {
        for (int i = 0; i < 40 && QApplication::focusWidget() != target; ++i)
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        return QApplication::focusWidget() == target;
    }

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

    void scheduleKeepsItsCompression() {
        ScheduleDialog d(m_ctx.get(), ScheduleRecord{}, {});
        d.show();
        d.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&d));
        d.profileField()->setCurrentIndex(d.profileField()->findData(QStringLiteral("shop")));
        // The same choices as Back up now, the default first.
        QComboBox reference;
        BackupNowDialog::addCompressionChoices(&reference);
        QCOMPARE(d.compressionField()->count(), reference.count());
        for (int i = 0; i < reference.count(); ++i)
            QCOMPARE(d.compressionField()->itemData(i).toString(), reference.itemData(i).toString());
        QCOMPARE(d.compressionField()->currentData().toString(), QString());
        QVERIFY(d.compressionField()->isEnabled());

        QTest::mouseClick(d.nameField(), Qt::LeftButton);
        QTRY_COMPARE(QApplication::focusWidget(), d.nameField());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("shop-plain"));
        QVERIFY2(tabTo(d.compressionField()), "the compression field is not in the focus chain");
        // Down from the default until "None".
        for (int i = 0; i < 10 && d.compressionField()->currentData().toString() != QLatin1String("none"); ++i)
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Down);
        QCOMPARE(d.compressionField()->currentData().toString(), QStringLiteral("none"));

        QSignalSpy saved(&d, &ScheduleDialog::saved);
        d.accept();
        QTRY_COMPARE(saved.size(), 1);
        auto catalog = SqlCatalog::sqlite(Home::catalogPath(m_tmp.path()));
        QString err;
        QVERIFY2(catalog->open(&err), qPrintable(err));
        const auto stored = catalog->schedule(QStringLiteral("shop-plain"));
        QVERIFY(stored);
        QCOMPARE(stored->compression, QStringLiteral("none"));

        // Editing shows it again; a value only the CLI offers (zstd:5) is shown as itself and kept.
        ScheduleDialog edit(m_ctx.get(), *stored, {stored->name});
        QCOMPARE(edit.compressionField()->currentData().toString(), QStringLiteral("none"));
        ScheduleRecord cli = *stored;
        cli.compression = QStringLiteral("zstd:5");
        ScheduleDialog edit5(m_ctx.get(), cli, {cli.name});
        QCOMPARE(edit5.compressionField()->currentData().toString(), QStringLiteral("zstd:5"));
        QString why;
        QCOMPARE(edit5.schedule(&why).compression, QStringLiteral("zstd:5"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void directorySourceHasNoCompressionChoice() {
        ScheduleDialog d(m_ctx.get(), ScheduleRecord{}, {});
        d.nameField()->setText(QStringLiteral("docs-nightly"));
        d.compressionField()->setCurrentIndex(d.compressionField()->findData(QStringLiteral("none")));
        for (int i = 0; i < d.profileField()->count(); ++i)
            if (d.profileField()->itemData(i, ScheduleDialog::KindRole).toString() == QLatin1String("files"))
                d.profileField()->setCurrentIndex(i);
        QVERIFY(!d.compressionField()->isEnabled());
        QString why;
        QCOMPARE(d.schedule(&why).compression, QString()); // a file source compresses its own way
    }

    void historyShowsSizeAndRatio() {
        std::shared_ptr<Catalog> catalog = SqlCatalog::sqlite(Home::catalogPath(m_tmp.path()));
        QString err;
        QVERIFY2(catalog->open(&err), qPrintable(err));
        BackupRecord older;
        older.profile = QStringLiteral("shop");
        older.database = QStringLiteral("shop");
        older.filename = QStringLiteral("shop_old.dump");
        older.size = 4'000'000;
        older.status = BackupRecord::statusCompleted();
        older.started = QDateTime::currentDateTimeUtc().addDays(-1);
        QVERIFY2(catalog->insert(older, &err), qPrintable(err));
        BackupRecord zst = older;
        zst.filename = QStringLiteral("shop_new.dump.zst");
        zst.compression = QStringLiteral("zstd:1");
        zst.size = 1'000'000;
        zst.bytesRead = 4'000'000;
        zst.started = QDateTime::currentDateTimeUtc();
        QVERIFY2(catalog->insert(zst, &err), qPrintable(err));
        QCOMPARE(catalog->get(zst.id)->bytesRead, 4'000'000);
        QCOMPARE(catalog->get(older.id)->bytesRead, -1);

        BackupHistoryModel m(catalog);
        m.reload();
        QTRY_COMPARE_WITH_TIMEOUT(m.rowCount(), 2, 10000);
        const QModelIndex newest = m.index(0, BackupHistoryModel::SizeColumn);
        const QModelIndex old = m.index(1, BackupHistoryModel::SizeColumn);
        QCOMPARE(m.record(0)->id, zst.id);
        const QString size = QLocale().formattedDataSize(1'000'000, 1, QLocale::DataSizeSIFormat);
        QCOMPARE(newest.data().toString(), QStringLiteral("%1 (%2)").arg(size, QLocale().toString(0.25, 'f', 2)));
        QCOMPARE(newest.data(BackupHistoryModel::CompressionRatioRole).toDouble(), 0.25);
        QCOMPARE(newest.data(BackupHistoryModel::RawRole).toLongLong(), 1'000'000); // sorting stays by size
        QCOMPARE(old.data().toString(), QLocale().formattedDataSize(4'000'000, 1, QLocale::DataSizeSIFormat));
        QVERIFY(!old.data(BackupHistoryModel::CompressionRatioRole).isValid());
    }
};

QTEST_MAIN(TestGuiCompression)
#include "tst_gui_compression.moc"
