// The Schedules page on a real home: the cron editor against CronExpression, schedules added, edited and removed
// through the page and read back from a reopened catalog, "Run now" as a real backup against the pg fixture (a
// database profile's schedule and a directory source's), and the team catalog location applied at restart. The
// retention panel, notification channels, keys and screenshots are in tst_gui_schedules.
#include "TestEnv.h"

#include "catalog/FileSourceConfig.h"
#include "catalog/SqlCatalog.h"
#include "core/Home.h"
#include "models/JobListModel.h"
#include "models/ScheduleListModel.h"
#include "models/ScheduleRetentionModel.h"
#include "schedule/CronExpression.h"
#include "ui/AppContext.h"
#include "ui/schedules/CronEditorDialog.h"
#include "ui/schedules/RetentionPanel.h"
#include "ui/schedules/ScheduleDialog.h"
#include "ui/schedules/SchedulesPage.h"
#include "ui/settings/SettingsPage.h"
#include "ui/widgets/MessageBox.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TestSchedulesRun : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_store;
    std::unique_ptr<AppContext> m_ctx;
    QString m_teamDb;

    std::unique_ptr<SqlCatalog> reopenCatalog() {
        auto c = SqlCatalog::sqlite(Home::catalogPath(m_home));
        QString err;
        if (!c->open(&err))
            qWarning("reopen: %s", qPrintable(err));
        return c;
    }

private slots:
    void initTestCase() {
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture is not running");
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_store = m_tmp.filePath(QStringLiteral("store"));
        m_ctx = std::make_unique<AppContext>(m_home);
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY2(m_ctx->updateConfig(
                     [this](ConfigStore &c) {
                         StorageConfig s;
                         s.name = QStringLiteral("disk");
                         s.localDir = m_store;
                         c.upsertStorage(s);
                         Profile shop;
                         shop.name = QStringLiteral("shop");
                         shop.conninfo = TestEnv::pgConninfo(QStringLiteral("postgres"));
                         shop.defaultStorages = {QStringLiteral("disk")};
                         c.upsertProfile(shop);
                         c.setOption(QStringLiteral("pgToolDir"),
                                     TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_BIN")));
                     },
                     &err),
                 qPrintable(err));
    }

    void cronEditorValidatesAndPreviews() {
        const QTimeZone berlin("Europe/Berlin");
        // The week of the spring-forward change: Sunday 29 March 2026 02:30 does not exist in Berlin.
        const QDateTime start(QDate(2026, 3, 21), QTime(12, 0), QTimeZone::utc());
        CronEditorDialog d(QStringLiteral("0 1 * * *"), QStringLiteral("Europe/Berlin"));
        d.setPreviewStart(start);
        d.show();
        QVERIFY(d.isExpressionValid());

        const QString bad = QStringLiteral("30 2 * * SUNX");
        d.expressionField()->setText(bad);
        QVERIFY(!d.isExpressionValid());
        QVERIFY(d.errorLabel()->isVisible());
        QCOMPARE(d.errorLabel()->text(), CronExpression::parse(bad).error());
        QVERIFY(d.errorLabel()->text().contains(QStringLiteral("SUNX")));
        QCOMPARE(d.previewList()->count(), 0);
        QVERIFY(!d.buttons()->button(QDialogButtonBox::Ok)->isEnabled());

        const QString good = QStringLiteral("30 2 * * SUN");
        d.expressionField()->setText(good);
        QVERIFY(d.isExpressionValid());
        QVERIFY(!d.errorLabel()->isVisible());
        QVERIFY(d.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
        const CronExpression cron = CronExpression::parse(good);
        const QList<QDateTime> expected = cron.nextFires(start, berlin, CronEditorDialog::kPreviewCount);
        QCOMPARE(d.previewTimes(), expected);
        QCOMPARE(d.previewList()->count(), CronEditorDialog::kPreviewCount);
        QCOMPARE(d.descriptionLabel()->text(), cron.describe());
        for (int i = 0; i < expected.size(); ++i)
            QCOMPARE(d.previewList()->item(i)->text(), CronEditorDialog::formatFire(expected.at(i)));
        // The DST rule shows: the run of 29 March falls right after the gap, at 03:00 CEST.
        QCOMPARE(expected.at(0), QDateTime(QDate(2026, 3, 22), QTime(2, 30), berlin));
        QCOMPARE(expected.at(1).toUTC(), QDateTime(QDate(2026, 3, 29), QTime(1, 0), QTimeZone::utc()));

        // A preset fills the expression.
        const int daily = d.presetField()->findData(QStringLiteral("0 1 * * *"));
        QVERIFY(daily > 0);
        d.presetField()->activated(daily);
        QCOMPARE(d.expression(), QStringLiteral("0 1 * * *"));
        QCOMPARE(d.presetField()->currentIndex(), daily);
        QSignalSpy accepted(&d, &CronEditorDialog::expressionAccepted);
        QTest::mouseClick(d.buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(accepted.first().first().toString(), QStringLiteral("0 1 * * *"));
    }

    void addScheduleThroughThePagePersists() {
        SchedulesPage page(m_ctx.get());
        page.resize(1100, 700);
        page.show();
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(page.model()->isLoaded());
        QCOMPARE(page.model()->rowCount(), 0);
        QVERIFY(page.addButton()->isEnabled());
        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        auto *d = page.findChild<ScheduleDialog *>();
        QVERIFY(d);
        // A new profile's schedule defaults to daily at 01:00 on the profile's storages.
        QCOMPARE(d->cronField()->text(), QStringLiteral("0 1 * * *"));
        QCOMPARE(d->profileField()->currentData().toString(), QStringLiteral("shop"));
        QCOMPARE(d->storageList()->item(0)->checkState(), Qt::Checked);
        d->nameField()->setText(QStringLiteral("bad name!"));
        d->accept();
        QVERIFY(d->errorLabel()->text().contains(QStringLiteral("name")));
        d->nameField()->setText(QStringLiteral("shop-nightly"));
        d->cronField()->setText(QStringLiteral("15 1 * * *"));
        QSignalSpy saved(d, &ScheduleDialog::saved);
        d->accept();
        QTRY_COMPARE(saved.size(), 1);
        QTRY_COMPARE(page.model()->rowCount(), 1);
        QCOMPARE(page.selectedName(), QStringLiteral("shop-nightly"));

        // Read back through a catalog opened afresh.
        auto catalog = reopenCatalog();
        const auto stored = catalog->schedule(QStringLiteral("shop-nightly"));
        QVERIFY(stored);
        QCOMPARE(stored->profile, QStringLiteral("shop"));
        QCOMPARE(stored->cron, QStringLiteral("15 1 * * *"));
        QCOMPARE(stored->storages, QStringList{QStringLiteral("disk")});
        QVERIFY(stored->enabled);
        QVERIFY(stored->lastCheck.isValid());

        // The table's next run is the cron's next fire time, shown in the locale's format.
        const QModelIndex next = page.model()->index(0, ScheduleListModel::NextRunColumn);
        const QDateTime raw = next.data(ScheduleListModel::RawRole).toDateTime();
        QVERIFY(raw.isValid());
        QCOMPARE(raw, CronExpression::parse(stored->cron).nextFire(QDateTime::currentDateTimeUtc()));
        QCOMPARE(page.model()->index(0, ScheduleListModel::DescriptionColumn).data().toString(),
                 CronExpression::parse(stored->cron).describe());
        QVERIFY(!next.data().toString().isEmpty());
    }

    void scheduleEditorShowsAndKeepsRetentionRules() {
        // Rules set with `schedule add --keep-hourly …` are shown in the editor and survive saving it.
        ScheduleRecord s;
        s.name = QStringLiteral("shop-hourly");
        s.profile = QStringLiteral("shop");
        s.cron = QStringLiteral("0 * * * *");
        s.keepHourly = 48;
        s.keepDaily = 14;
        s.keepYearly = 7;
        s.keepWithinSeconds = 7 * 86400;
        QString err;
        QVERIFY2(m_ctx->catalog()->saveSchedule(s, &err), qPrintable(err));
        {
            ScheduleDialog d(m_ctx.get(), *reopenCatalog()->schedule(s.name), {s.name});
            d.show();
            auto *rules = d.findChild<QLabel *>(QStringLiteral("scheduleRetention"));
            QVERIFY(rules);
            QVERIFY2(rules->text().contains(QStringLiteral("48 hourly, 14 daily, 7 yearly, all within 7d")),
                     qPrintable(rules->text()));
            d.cronField()->setText(QStringLiteral("30 * * * *"));
            QSignalSpy saved(&d, &ScheduleDialog::saved);
            d.accept();
            QTRY_COMPARE(saved.size(), 1);
        }
        const auto stored = reopenCatalog()->schedule(s.name);
        QCOMPARE(stored->cron, QStringLiteral("30 * * * *"));
        QCOMPARE(stored->keepHourly, 48);
        QCOMPARE(stored->keepYearly, 7);
        QCOMPARE(stored->keepWithinSeconds, qint64(7 * 86400));
        QVERIFY(m_ctx->catalog()->removeSchedule(s.name, &err)); // the tests below count the schedules
    }

    void runNowMakesARealBackupOfTheScheduledType() {
        SchedulesPage page(m_ctx.get());
        page.show();
        QTRY_COMPARE(page.model()->rowCount(), 1);
        page.selectSchedule(QStringLiteral("shop-nightly"));
        QVERIFY(page.runNowButton()->isEnabled());
        QSignalSpy started(&page, &SchedulesPage::runStarted);
        const int before = m_ctx->jobs()->rowCount();
        QTest::mouseClick(page.runNowButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 15000);
        QVERIFY2(started.first().at(0).value<Job *>() != nullptr, qPrintable(started.first().at(1).toString()));
        QTRY_COMPARE(m_ctx->jobs()->rowCount(), before + 1);
        QTRY_VERIFY_WITH_TIMEOUT(m_ctx->jobs()->state(before) > JobListModel::State::Running, 120000);
        QVERIFY2(m_ctx->jobs()->state(before) == JobListModel::State::Succeeded,
                 qPrintable(m_ctx->jobs()->log(before)));
        auto catalog = reopenCatalog();
        CatalogFilter f;
        f.profile = QStringLiteral("shop");
        const QList<BackupRecord> records = catalog->list(f);
        QCOMPARE(records.size(), 1);
        const BackupRecord &r = records.first();
        QCOMPARE(r.status, BackupRecord::statusCompleted());
        QCOMPARE(r.label, QStringLiteral("schedule shop-nightly"));
        QVERIFY2(r.type.startsWith(QStringLiteral("DAILY")), qPrintable(r.type));
        const QDate today = QDate::currentDate();
        QCOMPARE(r.type.contains(QStringLiteral("WEEKLY")), today.dayOfWeek() == Qt::Sunday);
        QCOMPARE(r.type.contains(QStringLiteral("MONTHLY")), today.day() == 1);
        QVERIFY(QFile::exists(r.locations.value(0).path));
        // "Last run" shows this run, not "never" (issue 20, item 10), and the runner's last check did not move.
        const int row = page.model()->rowOf(QStringLiteral("shop-nightly"));
        QVERIFY(row >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(page.model()
                                     ->index(row, ScheduleListModel::LastRunColumn)
                                     .data()
                                     .toString()
                                     .contains(QStringLiteral("#%1").arg(r.id)),
                                 10000);
        QVERIFY(page.model()
                    ->index(row, ScheduleListModel::LastRunColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("completed")));
        const auto stored = catalog->schedule(QStringLiteral("shop-nightly"));
        QVERIFY(stored);
        QCOMPARE(stored->lastBackupId, r.id);
        QVERIFY(!stored->lastCheck.isValid() || stored->lastCheck < r.started);
    }

    void removingAsksFirst() {
        SchedulesPage page(m_ctx.get());
        page.show();
        QTRY_COMPARE(page.model()->rowCount(), 1);
        page.selectSchedule(QStringLiteral("shop-nightly"));
        MessageBox::setNextAnswer(QMessageBox::No);
        QTest::mouseClick(page.removeButton(), Qt::LeftButton);
        QCOMPARE(MessageBox::lastTitle(), QStringLiteral("Remove schedule"));
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("shop-nightly")));
        QTest::qWait(300);
        QVERIFY(reopenCatalog()->schedule(QStringLiteral("shop-nightly")));
        QCOMPARE(page.model()->rowCount(), 1);

        MessageBox::setNextAnswer(QMessageBox::Yes);
        QTest::mouseClick(page.removeButton(), Qt::LeftButton);
        QTRY_COMPARE(page.model()->rowCount(), 0);
        QVERIFY(!reopenCatalog()->schedule(QStringLiteral("shop-nightly")));
    }

    void catalogLocationAppliesAtRestart() {
        // Settings name a team catalog (PostgreSQL on the fixture); the running app keeps its catalog and says a
        // restart is needed; a fresh AppContext (the restart) opens the PostgreSQL catalog.
        const QString db = m_teamDb =
            QStringLiteral("lb_gui_catalog_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(db));
        const QString home = m_tmp.filePath(QStringLiteral("team-home"));
        {
            AppContext ctx(home);
            QString err;
            QVERIFY2(ctx.open(&err), qPrintable(err));
            SettingsPage settings(&ctx);
            QVERIFY(settings.catalogLabel()->text().contains(Home::catalogPath(home)));
            settings.catalogField()->setText(TestEnv::pgConninfo(db) + QStringLiteral(" password=hunter2"));
            MessageBox::setNextAnswer(QMessageBox::Ok);
            const auto apply = settings.findChildren<QPushButton *>();
            QPushButton *button = nullptr;
            for (QPushButton *b : apply)
                if (b->accessibleName() == QStringLiteral("Apply catalog location"))
                    button = b;
            QVERIFY(button);
            QTest::mouseClick(button, Qt::LeftButton);
            QCOMPARE(MessageBox::lastTitle(), QStringLiteral("Catalog location saved"));
            QVERIFY(settings.catalogLabel()->text().contains(QStringLiteral("restart")));
            QVERIFY(!settings.catalogLabel()->text().contains(QStringLiteral("hunter2")));
            QVERIFY(!std::dynamic_pointer_cast<SqlCatalog>(ctx.catalog())->isPostgres());
            // Back to a conninfo without the (wrong) password for the restart below.
            QVERIFY(ctx.updateConfig(
                [&](ConfigStore &c) { c.setOption(QStringLiteral("catalogUri"), TestEnv::pgConninfo(db)); }, &err));
        }
        AppContext restarted(home);
        QString err;
        QVERIFY2(restarted.open(&err), qPrintable(err));
        QVERIFY(std::dynamic_pointer_cast<SqlCatalog>(restarted.catalog())->isPostgres());
        ScheduleRecord s;
        s.name = QStringLiteral("team-nightly");
        s.profile = QStringLiteral("shop");
        s.cron = QStringLiteral("0 1 * * *");
        QVERIFY2(restarted.catalog()->saveSchedule(s, &err), qPrintable(err));
        QCOMPARE(TestEnv::psql(db, QStringLiteral("SELECT name FROM schedules")).trimmed(),
                 QStringLiteral("team-nightly"));
        {
            SettingsPage settings(&restarted);
            QVERIFY2(settings.catalogLabel()->text().contains(QStringLiteral("PostgreSQL")),
                     qPrintable(settings.catalogLabel()->text()));
        }
    }

    void directorySourceScheduleRunsTheDirectory() {
        // A directory source named like the database profile: its schedule must back up the directory (and only
        // it), and the retention panel of the profile must not count the directory's backups.
        const QString dir = m_tmp.filePath(QStringLiteral("uploads"));
        QDir().mkpath(dir);
        QFile f(dir + QStringLiteral("/avatar.png"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        QString err;
        QVERIFY2(m_ctx->updateConfig(
                     [&](ConfigStore &c) {
                         FileSourceConfig src;
                         src.name = QStringLiteral("shop");
                         src.path = dir;
                         src.storages = {QStringLiteral("disk")};
                         c.upsertFileSource(src);
                     },
                     &err),
                 qPrintable(err));
        auto before = reopenCatalog();
        CatalogFilter f0;
        f0.profile = QStringLiteral("shop");
        const qsizetype databaseBefore = before->list(f0).size();

        SchedulesPage page(m_ctx.get());
        page.show();
        QTRY_VERIFY(page.model()->isLoaded());
        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        auto *d = page.findChild<ScheduleDialog *>();
        QVERIFY(d);
        int filesItem = -1;
        for (int i = 0; i < d->profileField()->count(); ++i)
            if (d->profileField()->itemData(i, ScheduleDialog::KindRole).toString() == QLatin1String("files"))
                filesItem = i;
        QVERIFY2(filesItem >= 0, "the directory source is offered as a schedule source");
        d->profileField()->setCurrentIndex(filesItem);
        d->nameField()->setText(QStringLiteral("shop-files"));
        QSignalSpy saved(d, &ScheduleDialog::saved);
        d->accept();
        QTRY_COMPARE(saved.size(), 1);
        QCOMPARE(reopenCatalog()->schedule(QStringLiteral("shop-files"))->sourceKind, QStringLiteral("files"));

        QTRY_VERIFY(page.model()->rowOf(QStringLiteral("shop-files")) >= 0);
        page.selectSchedule(QStringLiteral("shop-files"));
        QSignalSpy started(&page, &SchedulesPage::runStarted);
        const int job = m_ctx->jobs()->rowCount();
        QTest::mouseClick(page.runNowButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 15000);
        QVERIFY2(started.first().at(0).value<Job *>() != nullptr, qPrintable(started.first().at(1).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(m_ctx->jobs()->state(job) > JobListModel::State::Running, 60000);
        QVERIFY2(m_ctx->jobs()->state(job) == JobListModel::State::Succeeded, qPrintable(m_ctx->jobs()->log(job)));

        auto catalog = reopenCatalog();
        QList<BackupRecord> files;
        qsizetype database = 0;
        for (const BackupRecord &r : catalog->list(f0)) {
            if (r.kind == QLatin1String("files"))
                files << r;
            else if (r.kind == QLatin1String("database"))
                ++database;
        }
        QCOMPARE(database, databaseBefore); // no database backup was started in its place
        QCOMPARE(files.size(), 1);
        QCOMPARE(files.first().status, BackupRecord::statusCompleted());
        QCOMPARE(files.first().label, QStringLiteral("schedule shop-files"));

        // The profile's retention preview plans database backups only.
        RetentionPanel *panel = page.findChild<RetentionPanel *>();
        QVERIFY(panel);
        QSignalSpy ready(panel, &RetentionPanel::previewReady);
        panel->preview();
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 20000);
        QVERIFY(!panel->model()->entries().isEmpty());
        for (const RetentionPruner::Entry &e : panel->model()->entries())
            QCOMPARE(e.record.kind, QStringLiteral("database"));
    }

    void cleanupTestCase() {
        m_ctx.reset();
        if (!m_teamDb.isEmpty())
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_teamDb));
    }
};

QTEST_MAIN(TestSchedulesRun)
#include "tst_gui_schedules_run.moc"
