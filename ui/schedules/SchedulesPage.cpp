#include "ui/schedules/SchedulesPage.h"

#include "ui/SourceJobBuilder.h"

#include "core/ExitCode.h"
#include "jobs/BackupOptions.h"
#include "jobs/Job.h"
#include "jobs/RetentionPruner.h"
#include "models/Async.h"
#include "models/ScheduleListModel.h"
#include "retention/Promotion.h"
#include "schedule/CronExpression.h"
#include "schedule/DrillSuggestion.h"
#include "ui/AppContext.h"
#include "ui/schedules/RetentionPanel.h"
#include "ui/schedules/ScheduleDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>

namespace lifeboat {

SchedulesPage::SchedulesPage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx)
    , m_model(new ScheduleListModel(ctx->catalog(), this)) {
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_add = new QPushButton(QIcon(QStringLiteral(":/icons/add.svg")), tr("&Add…"), this);
    m_edit = new QPushButton(QIcon(QStringLiteral(":/icons/edit.svg")), tr("&Edit…"), this);
    m_remove = new QPushButton(QIcon(QStringLiteral(":/icons/delete.svg")), tr("&Remove"), this);
    m_runNow = new QPushButton(QIcon(QStringLiteral(":/icons/backup.svg")), tr("R&un now"), this);
    m_add->setAccessibleName(tr("Add a schedule"));
    m_edit->setAccessibleName(tr("Edit the selected schedule"));
    m_remove->setAccessibleName(tr("Remove the selected schedule"));
    m_runNow->setAccessibleName(tr("Run the selected schedule now"));
    for (QPushButton *b : {m_add, m_edit, m_remove, m_runNow})
        bar->addWidget(b);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setAccessibleName(tr("Schedules message"));
    bar->addWidget(m_message, 1);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_view = new QTableView(split);
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Schedules"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The words ("at 01:00 every day") take the spare width, not the Enabled tick at the end.
    m_view->horizontalHeader()->setSectionResizeMode(ScheduleListModel::DescriptionColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->setMinimumHeight(140);
    split->addWidget(m_view);

    auto *retention = new QGroupBox(tr("Retention"), split);
    auto *rl = new QVBoxLayout(retention);
    m_retention = new RetentionPanel(ctx, retention);
    rl->addWidget(m_retention);
    split->addWidget(retention);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);

    auto *hint = new QLabel(tr("Schedules run while Lifeboat runs (also from the tray), or headless with "
                               "“lifeboatctl run-due” every minute (lifeboatctl schedule install)."),
                            this);
    hint->setWordWrap(true);
    layout->addWidget(hint);

    connect(m_add, &QPushButton::clicked, this, &SchedulesPage::addSchedule);
    connect(m_edit, &QPushButton::clicked, this, &SchedulesPage::editSchedule);
    connect(m_view, &QTableView::activated, this, &SchedulesPage::editSchedule);
    connect(m_remove, &QPushButton::clicked, this, &SchedulesPage::removeSchedule);
    connect(m_runNow, &QPushButton::clicked, this, &SchedulesPage::runNow);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        const int row = m_model->rowOf(selectedName());
        if (row >= 0) {
            const int i = m_retention->profileField()->findData(m_model->schedule(row).profile);
            if (i >= 0)
                m_retention->profileField()->setCurrentIndex(i);
        }
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &SchedulesPage::updateActions);
    connect(m_ctx, &AppContext::catalogChanged, this, &SchedulesPage::reload);
    auto profileStorages = [this] {
        QHash<QString, QStringList> storages;
        for (const Profile &p : m_ctx->config().profiles())
            storages.insert(p.name, p.defaultStorages);
        m_model->setProfileStorages(storages);
    };
    profileStorages();
    connect(m_ctx, &AppContext::configChanged, this, profileStorages);
    connect(m_ctx, &AppContext::configChanged, this, &SchedulesPage::updateActions);
    // Next-run times age: refresh them every minute.
    auto *tick = new QTimer(this);
    tick->setInterval(60000);
    connect(tick, &QTimer::timeout, this, &SchedulesPage::reload);
    tick->start();
    reload();
    updateActions();
}

QString SchedulesPage::selectedName() const {
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ScheduleListModel::NameRole).toString();
}

void SchedulesPage::selectSchedule(const QString &name) {
    const int row = m_model->rowOf(name);
    if (row >= 0)
        m_view->selectRow(row);
}

void SchedulesPage::reload() {
    const QString keep = selectedName();
    connect(
        m_model, &ScheduleListModel::loaded, this, [this, keep] { selectSchedule(keep); }, Qt::SingleShotConnection);
    m_model->reload();
}

void SchedulesPage::updateActions() {
    const bool selected = !selectedName().isEmpty();
    m_add->setEnabled(!m_ctx->config().profiles().isEmpty());
    m_edit->setEnabled(selected);
    m_remove->setEnabled(selected);
    m_runNow->setEnabled(selected);
    if (m_model->isLoaded() && m_model->rowCount() == 0 && m_message->text().isEmpty())
        m_message->setText(m_ctx->config().profiles().isEmpty()
                               ? tr("Add a server profile in Settings, then schedule its backups here.")
                               : tr("No schedules yet. “Add…” proposes a daily backup at 01:00."));
}

void SchedulesPage::showMessage(const QString &text, bool error) {
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_message->setText(text);
}

void SchedulesPage::addSchedule() {
    QStringList names;
    for (int i = 0; i < m_model->rowCount(); ++i)
        names << m_model->schedule(i).name;
    ScheduleRecord fresh;
    fresh.name.clear();
    auto *d = new ScheduleDialog(m_ctx, fresh, names, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &ScheduleDialog::saved, this, [this](const QString &name) {
        showMessage(tr("Schedule “%1” saved.").arg(name), false);
        connect(
            m_model, &ScheduleListModel::loaded, this, [this, name] { selectSchedule(name); },
            Qt::SingleShotConnection);
        m_model->reload();
        m_retention->reloadProfiles();
        // A profile's first backup schedule: offer the weekly drill that proves its backups restore (as `schedule
        // add` hints). Every other schedule in the catalog counts, not just the rows shown.
        runAsync(
            this,
            [catalog = m_ctx->catalog(), name]() -> std::optional<DrillSuggestion> {
                const auto saved = catalog->schedule(name);
                if (!saved)
                    return std::nullopt;
                return DrillSuggestion::forFirstBackupSchedule(*saved, catalog->schedules());
            },
            [this](const std::optional<DrillSuggestion> &drill) {
                if (drill)
                    offerDrill(*drill);
            },
            catalogPool());
    });
    d->open();
}

void SchedulesPage::offerDrill(const DrillSuggestion &drill) {
    const QString when = CronExpression::parse(drill.cron).describe();
    MessageBox::question(
        this, tr("Add a weekly drill?"),
        tr("This is the first backup schedule of %1. A backup nobody restored is a hope: add the drill “%2”, which "
           "verifies the newest backup of %1 %3 (restored into a temporary database, row counts and foreign keys "
           "checked, every table read), with its report under Lifeboat's folder?")
            .arg(drill.profile, drill.name, when),
        [this, drill, when](bool yes) {
            if (!yes)
                return;
            runAsync(
                this,
                [catalog = m_ctx->catalog(), s = drill.schedule()]() mutable {
                    QString err;
                    if (!catalog->saveSchedule(s, &err))
                        return err.isEmpty() ? QStringLiteral("the catalog refused the schedule") : err;
                    return QString();
                },
                [this, drill, when](const QString &err) {
                    if (!err.isEmpty()) {
                        showMessage(tr("The drill “%1” was not added: %2").arg(drill.name, err), true);
                        return;
                    }
                    showMessage(tr("Drill “%1” added: it verifies the newest backup of %2 %3.")
                                    .arg(drill.name, drill.profile, when),
                                false);
                    m_model->reload();
                },
                catalogPool());
        },
        QMessageBox::Yes);
}

void SchedulesPage::editSchedule() {
    const int row = m_model->rowOf(selectedName());
    if (row < 0)
        return;
    QStringList names;
    for (int i = 0; i < m_model->rowCount(); ++i)
        names << m_model->schedule(i).name;
    auto *d = new ScheduleDialog(m_ctx, m_model->schedule(row), names, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &ScheduleDialog::saved, this, [this](const QString &name) {
        showMessage(tr("Schedule “%1” saved.").arg(name), false);
        connect(
            m_model, &ScheduleListModel::loaded, this, [this, name] { selectSchedule(name); },
            Qt::SingleShotConnection);
        m_model->reload();
    });
    d->open();
}

void SchedulesPage::removeSchedule() {
    const QString name = selectedName();
    if (name.isEmpty())
        return;
    MessageBox::question(
        this, tr("Remove schedule"),
        tr("Remove the schedule “%1”? Backups it already made stay in the catalog and on storage.").arg(name),
        [this, name](bool yes) {
            if (!yes)
                return;
            runAsync(
                this,
                [catalog = m_ctx->catalog(), name] {
                    QString err;
                    return catalog->removeSchedule(name, &err) ? QString() : err;
                },
                [this, name](const QString &err) {
                    if (!err.isEmpty())
                        showMessage(tr("“%1” was not removed: %2").arg(name, err), true);
                    else
                        showMessage(tr("Schedule “%1” removed.").arg(name), false);
                    m_model->reload();
                },
                catalogPool());
        });
}

void SchedulesPage::runNow() {
    const int row = m_model->rowOf(selectedName());
    if (row < 0)
        return;
    const ScheduleRecord s = m_model->schedule(row);
    PromotionRule rule;
    if (const Error e = RetentionPruner::promotionRule(m_ctx->config(), &rule)) {
        showMessage(e.message, true);
        return;
    }
    const QTimeZone tz = s.timeZone.isEmpty() ? QTimeZone::systemTimeZone() : QTimeZone(s.timeZone.toUtf8());
    // A run now stands in for today's scheduled run: it is promoted like one (weekly on the week day, monthly on
    // the month day), so retention treats it the same.
    const QString type = RetentionPruner::typeList(Promotion::forTime(QDateTime::currentDateTimeUtc(), tz, rule));
    if (s.sourceKind != QLatin1String("database")) {
        runSourceNow(s, type);
        return;
    }
    const auto profile = m_ctx->config().profile(s.profile);
    if (!profile) {
        showMessage(tr("The profile “%1” is not configured here.").arg(s.profile), true);
        return;
    }
    BackupOptions options;
    options.type = type;
    options.label = QStringLiteral("schedule %1").arg(s.name);
    options.excludeTables = profile->excludeTables;
    const QStringList storages = s.storages.isEmpty() ? profile->defaultStorages : s.storages;
    showMessage(tr("Starting a %1 backup of “%2”…").arg(options.type.toLower(), s.profile), false);
    m_ctx->startBackup(s.profile, storages, options, profile->recipients, [this, s](Job *job, const QString &error) {
        if (!job) {
            showMessage(tr("“%1” did not start: %2").arg(s.name, error), true);
        } else {
            showMessage(tr("Backup of “%1” started — follow it on the Jobs page.").arg(s.profile), false);
            recordRunWhenDone(job, s.name);
        }
        emit runStarted(job, error);
    });
}

void SchedulesPage::runSourceNow(const ScheduleRecord &s, const QString &type) {
    // A directory or Redis schedule: the same job run-due and the tray runner build, not a database backup of a
    // profile that happens to share the source's name.
    DueRunner::Claim claim;
    claim.state = DueRunner::Claim::State::Claimed;
    claim.schedule = s;
    claim.fireTime = QDateTime::currentDateTimeUtc();
    claim.type = type;
    const QString what = DueRunner::kindLabel(s.sourceKind);
    showMessage(tr("Starting a %1 %2 of %3 “%4”…")
                    .arg(type.toLower(), s.sourceKind == QLatin1String("base") ? tr("base backup") : tr("backup"), what,
                         s.profile),
                false);
    SourceJobBuilder::build(
        m_ctx, this, claim, DueRunner::newOwner(), [this, s, what](std::unique_ptr<Job> job, const QString &error) {
            Job *started = job ? m_ctx->submitJob(std::move(job), s.profile) : nullptr;
            if (!started) {
                showMessage(tr("“%1” did not start: %2").arg(s.name, error), true);
            } else {
                showMessage(tr("Backup of %1 “%2” started — follow it on the Jobs page.").arg(what, s.profile), false);
                recordRunWhenDone(started, s.name);
            }
            emit runStarted(started, error);
        });
}

void SchedulesPage::recordRunWhenDone(Job *job, const QString &schedule) {
    const QDateTime started = QDateTime::currentDateTimeUtc();
    connect(job, &Job::finished, this, [this, schedule, started](const JobResult &r) {
        const QString status = r.ok()                                ? QStringLiteral("COMPLETED")
                               : r.error.code == ExitCode::Cancelled ? QStringLiteral("CANCELLED")
                                                                     : QStringLiteral("FAILED");
        runAsync(
            this,
            [catalog = m_ctx->catalog(), schedule, started, id = r.recordId, status] {
                QString err;
                return catalog->recordScheduleRun(schedule, started, id, status, &err) ? QString() : err;
            },
            [this, schedule](const QString &err) {
                if (!err.isEmpty())
                    showMessage(tr("The run of “%1” finished but was not recorded: %2").arg(schedule, err), true);
                m_model->reload();
            },
            catalogPool());
    });
}

} // namespace lifeboat
