// The schedule editor offers a base backup schedule (issues 17/20, "continuous protection = base backup schedule +
// WAL capture"): for a database profile the kind "Base backup (point-in-time recovery)", chosen and typed through the
// focus chain (GuiTyping), is stored as source kind "base" with its storages and no compression in a real SQLite
// catalog, and shown as a base backup schedule again when edited. A new one is named NAME-base; a directory source is
// refused with the reason. Nothing runs: no fixture.
#include "GuiTyping.h"

#include "catalog/FileSourceConfig.h"
#include "catalog/SqlCatalog.h"
#include "core/Home.h"
#include "ui/AppContext.h"
#include "ui/schedules/ScheduleDialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestBaseScheduleDialog : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<AppContext> m_ctx;

    // Tabs from the focused widget until `target` has the focus (at most 40 steps, like a user would).
    static bool tabTo(QWidget *target) {
        for (int i = 0; i < 40 && QApplication::focusWidget() && QApplication::focusWidget() != target; ++i)
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
                         for (const QString &name : {QStringLiteral("disk"), QStringLiteral("offsite")}) {
                             StorageConfig s;
                             s.name = name;
                             s.localDir = m_tmp.filePath(name);
                             c.upsertStorage(s);
                         }
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

    void addBaseBackupSchedule() {
        ScheduleDialog d(m_ctx.get(), ScheduleRecord{}, {});
        d.show();
        d.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&d));
        d.profileField()->setCurrentIndex(d.profileField()->findData(QStringLiteral("shop")));
        QCOMPARE(d.profileField()->currentData(ScheduleDialog::KindRole).toString(), QStringLiteral("database"));
        QVERIFY(GuiTyping::replaceText(d.nameField(), QStringLiteral("shop-pitr")));
        QCOMPARE(d.nameField()->text(), QStringLiteral("shop-pitr"));
        // The kind, by keyboard: Down from "Back up" until the base backup.
        QVERIFY2(tabTo(d.kindField()), qPrintable(GuiTyping::focusDescription()));
        for (int i = 0; i < 5 && d.kindField()->currentData().toString() != QLatin1String("base"); ++i)
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Down);
        QCOMPARE(d.kindField()->currentData().toString(), QStringLiteral("base"));
        QVERIFY(d.kindField()->currentText().contains(QStringLiteral("point-in-time")));
        // It writes to storages; it is always zstd and verifies nothing.
        QVERIFY(d.storageList()->isEnabled());
        QVERIFY(!d.compressionField()->isEnabled());
        QVERIFY(!d.verifyOnField()->isEnabled());
        QVERIFY(GuiTyping::replaceText(d.cronField(), QStringLiteral("30 2 * * 0")));
        QCOMPARE(d.cronField()->text(), QStringLiteral("30 2 * * 0"));
        // A second storage, ticked as a user would (the list's current item, Space).
        QListWidget *list = d.storageList();
        QListWidgetItem *offsite = list->findItems(QStringLiteral("offsite"), Qt::MatchExactly).value(0);
        QVERIFY(offsite);
        list->setCurrentItem(offsite);
        QVERIFY(tabTo(list));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QCOMPARE(offsite->checkState(), Qt::Checked);

        QSignalSpy saved(&d, &ScheduleDialog::saved);
        d.accept();
        QTRY_COMPARE(saved.size(), 1);
        auto catalog = SqlCatalog::sqlite(Home::catalogPath(m_tmp.path()));
        QString err;
        QVERIFY2(catalog->open(&err), qPrintable(err));
        const auto stored = catalog->schedule(QStringLiteral("shop-pitr"));
        QVERIFY(stored);
        QCOMPARE(stored->sourceKind, QStringLiteral("base"));
        QVERIFY(!stored->isDrill());
        QCOMPARE(stored->profile, QStringLiteral("shop"));
        QCOMPARE(stored->cron, QStringLiteral("30 2 * * 0"));
        QCOMPARE(stored->storages, (QStringList{QStringLiteral("disk"), QStringLiteral("offsite")}));
        QCOMPARE(stored->compression, QString());

        // Editing it shows a base backup schedule of the database profile, and saving keeps the kind.
        ScheduleDialog edit(m_ctx.get(), *stored, {stored->name});
        QCOMPARE(edit.kindField()->currentData().toString(), QStringLiteral("base"));
        QCOMPARE(edit.profileField()->currentData().toString(), QStringLiteral("shop"));
        QCOMPARE(edit.profileField()->currentData(ScheduleDialog::KindRole).toString(), QStringLiteral("database"));
        QVERIFY(!edit.compressionField()->isEnabled());
        QString why;
        QCOMPARE(edit.schedule(&why).sourceKind, QStringLiteral("base"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void newBaseScheduleIsNamedSo() {
        ScheduleDialog d(m_ctx.get(), ScheduleRecord{}, {});
        d.profileField()->setCurrentIndex(d.profileField()->findData(QStringLiteral("shop")));
        d.nameField()->setText(QStringLiteral("shop-nightly"));
        d.kindField()->setCurrentIndex(d.kindField()->findData(QStringLiteral("base")));
        QCOMPARE(d.nameField()->text(), QStringLiteral("shop-base"));
        d.kindField()->setCurrentIndex(d.kindField()->findData(QStringLiteral("verify")));
        QCOMPARE(d.nameField()->text(), QStringLiteral("shop-drill"));
        d.kindField()->setCurrentIndex(d.kindField()->findData(QStringLiteral("backup")));
        QCOMPARE(d.nameField()->text(), QStringLiteral("shop-nightly"));
    }

    void baseBackupOfADirectoryIsRefused() {
        ScheduleDialog d(m_ctx.get(), ScheduleRecord{}, {});
        d.nameField()->setText(QStringLiteral("docs-base"));
        for (int i = 0; i < d.profileField()->count(); ++i)
            if (d.profileField()->itemData(i, ScheduleDialog::KindRole).toString() == QLatin1String("files"))
                d.profileField()->setCurrentIndex(i);
        d.kindField()->setCurrentIndex(d.kindField()->findData(QStringLiteral("base")));
        QVERIFY(d.kindField()->currentIndex() >= 0);
        QString why;
        d.schedule(&why);
        QVERIFY2(why.contains(QStringLiteral("database profile")), qPrintable(why));
        d.accept();
        QVERIFY(d.errorLabel()->text().contains(QStringLiteral("database profile")));
    }
};

QTEST_MAIN(TestBaseScheduleDialog)
#include "tst_gui_basescheduledialog.moc"
