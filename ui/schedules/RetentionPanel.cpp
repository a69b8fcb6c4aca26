#include "ui/schedules/RetentionPanel.h"

#include "models/Async.h"
#include "models/PinnedCatalog.h"
#include "models/ScheduleRetentionModel.h"
#include "secrets/KeychainCredentialStore.h"
#include "ui/AppContext.h"
#include "ui/widgets/MessageBox.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
struct PlanResult {
    Error error;
    RetentionPolicy policy;
    RetentionPruner::Sources sources;
    RetentionPolicy base;
    RetentionPruner::Sources baseSources;
    bool hasSchedule = false;
    ScheduleRecord first; // the profile's first schedule (its counts fill the fields)
    QList<RetentionPruner::Entry> entries;
};

PlanResult makePlan(Catalog &catalog, const ConfigStore &config, const QString &profile, const QDateTime &now,
                    bool withEntries) {
    PlanResult r;
    const QList<ScheduleRecord> schedules = catalog.schedules();
    // The panel is about database profiles: a directory or Redis source of the same name has its own backups and
    // its own counts, and must neither fill this profile's slots nor be pruned by its policy.
    const QString database = QStringLiteral("database");
    for (const ScheduleRecord &s : schedules) {
        if (s.profile == profile && s.sourceKind == database && !r.hasSchedule) {
            r.hasSchedule = true;
            r.first = s;
        }
    }
    if ((r.error = RetentionPruner::basePolicy(config, &r.base, &r.baseSources)))
        return r;
    if ((r.error = RetentionPruner::policyForSource(config, schedules, database, profile, &r.policy, &r.sources)))
        return r;
    if (withEntries)
        r.entries = RetentionPruner::plan(catalog, profile, r.policy, now, database, config.storages());
    return r;
}

QString originText(RetentionPruner::Origin o) {
    switch (o) {
    case RetentionPruner::Origin::Default:
        return RetentionPanel::tr("default");
    case RetentionPruner::Origin::Setting:
        return RetentionPanel::tr("settings");
    case RetentionPruner::Origin::Environment:
        return RetentionPanel::tr("environment");
    case RetentionPruner::Origin::Schedule:
        return RetentionPanel::tr("this profile");
    }
    return {};
}

QSpinBox *countBox(QWidget *parent, const QString &name) {
    auto *b = new QSpinBox(parent);
    b->setRange(-1, RetentionPolicy::kMaxCount);
    b->setValue(-1);
    b->setAccessibleName(name);
    b->setMinimumWidth(110);
    return b;
}
} // namespace

RetentionPanel::RetentionPanel(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    m_profile = new QComboBox(this);
    m_profile->setAccessibleName(tr("Retention profile"));
    m_profile->setMinimumWidth(130);
    top->addWidget(new QLabel(tr("Profile:"), this));
    top->addWidget(m_profile);
    top->addStretch(1);
    layout->addLayout(top);
    auto *counts = new QHBoxLayout; // its own row, so the page fits a laptop-width window
    m_daily = countBox(this, tr("Keep daily backups"));
    m_weekly = countBox(this, tr("Keep weekly backups"));
    m_monthly = countBox(this, tr("Keep monthly backups"));
    counts->addWidget(new QLabel(tr("Keep daily:"), this));
    counts->addWidget(m_daily);
    counts->addWidget(new QLabel(tr("weekly:"), this));
    counts->addWidget(m_weekly);
    counts->addWidget(new QLabel(tr("monthly:"), this));
    counts->addWidget(m_monthly);
    counts->addStretch(1);
    layout->addLayout(counts);
    // The other rules (restic semantics, as `schedule add --keep-hourly` …) on a second row.
    auto *more = new QHBoxLayout;
    m_hourly = countBox(this, tr("Keep hourly backups"));
    m_yearly = countBox(this, tr("Keep yearly backups"));
    m_last = countBox(this, tr("Keep the newest backups"));
    m_within = new QLineEdit(this);
    m_within->setAccessibleName(tr("Keep every backup younger than"));
    m_within->setPlaceholderText(tr("default"));
    m_within->setToolTip(tr("A duration such as 7d, 36h, 2w or 1d12h; empty: the default"));
    m_within->setMaximumWidth(110);
    more->addWidget(new QLabel(tr("hourly:"), this));
    more->addWidget(m_hourly);
    more->addWidget(new QLabel(tr("yearly:"), this));
    more->addWidget(m_yearly);
    more->addWidget(new QLabel(tr("last:"), this));
    more->addWidget(m_last);
    more->addWidget(new QLabel(tr("all within:"), this));
    more->addWidget(m_within);
    m_apply = new QPushButton(tr("&Apply"), this);
    m_apply->setAccessibleName(tr("Apply retention counts"));
    more->addWidget(m_apply);
    more->addStretch(1);
    layout->addLayout(more);
    m_policyNote = new QLabel(this);
    m_policyNote->setWordWrap(true);
    m_policyNote->setAccessibleName(tr("Retention policy in effect"));
    layout->addWidget(m_policyNote);

    auto *actions = new QHBoxLayout;
    m_previewButton = new QPushButton(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("&Preview"), this);
    m_previewButton->setAccessibleName(tr("Preview retention"));
    m_pruneButton = new QPushButton(QIcon(QStringLiteral(":/icons/delete.svg")), tr("Prune &now…"), this);
    m_pruneButton->setAccessibleName(tr("Prune now"));
    m_pruneButton->setEnabled(false);
    m_summary = new QLabel(this);
    m_summary->setAccessibleName(tr("Retention summary"));
    m_summary->setWordWrap(true);
    actions->addWidget(m_previewButton);
    actions->addWidget(m_pruneButton);
    actions->addWidget(m_summary, 1);
    layout->addLayout(actions);

    m_model = new ScheduleRetentionModel(this);
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Retention preview"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ScheduleRetentionModel::ReasonColumn, QHeaderView::Stretch);
    layout->addWidget(m_view, 1);

    for (QSpinBox *b : {m_daily, m_weekly, m_monthly, m_hourly, m_yearly, m_last})
        b->setSpecialValueText(tr("default"));
    connect(m_profile, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setEntries({});
        m_pruneButton->setEnabled(false);
        m_summary->clear();
        loadCounts();
    });
    connect(m_apply, &QPushButton::clicked, this, &RetentionPanel::applyCounts);
    connect(m_previewButton, &QPushButton::clicked, this, &RetentionPanel::preview);
    connect(m_pruneButton, &QPushButton::clicked, this, &RetentionPanel::pruneNow);
    connect(m_ctx, &AppContext::configChanged, this, &RetentionPanel::reloadProfiles);
    reloadProfiles();
}

void RetentionPanel::reloadProfiles() {
    const QString current = m_profile->currentData().toString();
    QSignalBlocker block(m_profile);
    m_profile->clear();
    for (const Profile &p : m_ctx->config().profiles())
        m_profile->addItem(p.name, p.name);
    const int i = m_profile->findData(current.isEmpty() ? m_ctx->currentProfile() : current);
    m_profile->setCurrentIndex(qMax(0, i));
    block.unblock();
    loadCounts();
}

void RetentionPanel::loadCounts() {
    const QString profile = m_profile->currentData().toString();
    if (profile.isEmpty()) {
        m_policyNote->setText(tr("Add a server profile in Settings to set its retention."));
        return;
    }
    m_apply->setEnabled(false); // until the profile's counts are in
    runAsync(
        this,
        [catalog = m_ctx->catalog(), config = m_ctx->config(), profile] {
            return makePlan(*catalog, config, profile, QDateTime::currentDateTimeUtc(), false);
        },
        [this, profile](const PlanResult &r) {
            if (profile != m_profile->currentData().toString())
                return;
            if (r.error) {
                m_policyNote->setText(tr("✗ %1").arg(r.error.message));
                return;
            }
            m_daily->setSpecialValueText(tr("default (%1)").arg(r.base.daily));
            m_weekly->setSpecialValueText(tr("default (%1)").arg(r.base.weekly));
            m_monthly->setSpecialValueText(tr("default (%1)").arg(r.base.monthly));
            m_daily->setValue(r.hasSchedule ? r.first.keepDaily : -1);
            m_weekly->setValue(r.hasSchedule ? r.first.keepWeekly : -1);
            m_monthly->setValue(r.hasSchedule ? r.first.keepMonthly : -1);
            m_hourly->setSpecialValueText(tr("default (%1)").arg(r.base.hourly));
            m_yearly->setSpecialValueText(tr("default (%1)").arg(r.base.yearly));
            m_last->setSpecialValueText(tr("default (%1)").arg(r.base.last));
            m_hourly->setValue(r.hasSchedule ? r.first.keepHourly : -1);
            m_yearly->setValue(r.hasSchedule ? r.first.keepYearly : -1);
            m_last->setValue(r.hasSchedule ? r.first.keepLast : -1);
            m_within->setPlaceholderText(
                r.base.withinSeconds > 0 ? tr("default (%1)").arg(RetentionPolicy::formatDuration(r.base.withinSeconds))
                                         : tr("default (none)"));
            m_within->setText(r.hasSchedule && r.first.keepWithinSeconds >= 0
                                  ? RetentionPolicy::formatDuration(r.first.keepWithinSeconds)
                                  : QString());
            for (QSpinBox *b : {m_daily, m_weekly, m_monthly, m_hourly, m_yearly, m_last})
                b->setEnabled(r.hasSchedule);
            m_within->setEnabled(r.hasSchedule);
            m_apply->setEnabled(r.hasSchedule);
            QStringList env;
            const QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
            for (const char *var : {"BACKUP_RETENTION_DAILY", "BACKUP_RETENTION_WEEKLY", "BACKUP_RETENTION_MONTHLY",
                                    "BACKUP_RETENTION_HOURLY", "BACKUP_RETENTION_YEARLY", "BACKUP_RETENTION_LAST",
                                    "BACKUP_RETENTION_WITHIN"})
                if (!e.value(QLatin1String(var)).trimmed().isEmpty())
                    env << QStringLiteral("%1=%2").arg(QLatin1String(var), e.value(QLatin1String(var)).trimmed());
            QString text = tr("In effect: %1 daily (%2), %3 weekly (%4), %5 monthly (%6).")
                               .arg(r.policy.daily)
                               .arg(originText(r.sources.daily))
                               .arg(r.policy.weekly)
                               .arg(originText(r.sources.weekly))
                               .arg(r.policy.monthly)
                               .arg(originText(r.sources.monthly));
            // The rules without a field here (set with `schedule add --keep-hourly` … or settings) are listed too.
            QStringList more;
            if (r.policy.hourly > 0)
                more << tr("%1 hourly (%2)").arg(r.policy.hourly).arg(originText(r.sources.hourly));
            if (r.policy.yearly > 0)
                more << tr("%1 yearly (%2)").arg(r.policy.yearly).arg(originText(r.sources.yearly));
            if (r.policy.last > 0)
                more << tr("the last %1 (%2)").arg(r.policy.last).arg(originText(r.sources.last));
            if (r.policy.withinSeconds > 0)
                more << tr("all within %1 (%2)")
                            .arg(RetentionPolicy::formatDuration(r.policy.withinSeconds), originText(r.sources.within));
            if (!more.isEmpty())
                text += QLatin1Char(' ') + tr("Also kept: %1.").arg(more.join(QStringLiteral(", ")));
            text += QLatin1Char(' ') + tr("Each count is of days, weeks or months that have a backup (the newest of "
                                          "each is kept), in %1.")
                                           .arg(QString::fromUtf8(r.policy.zone.id()));
            if (!env.isEmpty())
                text += QLatin1Char(' ') +
                        tr("The environment sets %1: it replaces the defaults, but counts set here for this profile "
                           "still win.")
                            .arg(env.join(QStringLiteral(", ")));
            if (!r.hasSchedule)
                text += QLatin1Char(' ') + tr("Add a schedule for this profile to give it its own counts.");
            text += QLatin1Char(' ') + tr("The newest good backup and anything younger than 24 hours are always kept.");
            m_policyNote->setText(text);
        },
        catalogPool());
}

void RetentionPanel::applyCounts() {
    const QString profile = m_profile->currentData().toString();
    const int daily = m_daily->value(), weekly = m_weekly->value(), monthly = m_monthly->value();
    const int hourly = m_hourly->value(), yearly = m_yearly->value(), last = m_last->value();
    qint64 within = -1; // empty: no rule of the profile's own
    if (const QString text = m_within->text().trimmed();
        !text.isEmpty() &&
        (!RetentionPolicy::parseDuration(text, &within) || within > RetentionPolicy::kMaxWithinSeconds)) {
        MessageBox::warning(this, tr("Retention not saved"),
                            tr("“%1” is not a duration: use e.g. 7d, 36h, 2w or 1d12h, or leave it empty for the "
                               "default.")
                                .arg(text));
        return;
    }
    runAsync(
        this,
        [catalog = m_ctx->catalog(), profile, daily, weekly, monthly, hourly, yearly, last, within] {
            int changed = 0;
            QString err;
            for (ScheduleRecord s : catalog->schedules()) {
                if (s.profile != profile || s.sourceKind != QLatin1String("database"))
                    continue;
                s.keepDaily = daily;
                s.keepWeekly = weekly;
                s.keepMonthly = monthly;
                s.keepHourly = hourly;
                s.keepYearly = yearly;
                s.keepLast = last;
                s.keepWithinSeconds = within;
                if (!catalog->saveSchedule(s, &err))
                    return err;
                ++changed;
            }
            return changed ? QString() : tr("“%1” has no schedule to keep the counts on.").arg(profile);
        },
        [this](const QString &err) {
            if (!err.isEmpty())
                MessageBox::warning(this, tr("Retention not saved"), err);
            loadCounts();
            if (m_model->rowCount() > 0)
                preview();
        },
        catalogPool());
}

void RetentionPanel::setBusy(bool busy, const QString &text) {
    m_busy = busy;
    m_previewButton->setEnabled(!busy);
    m_pruneButton->setEnabled(!busy && m_model->expireCount() > 0);
    m_summary->setText(text);
}

void RetentionPanel::preview() {
    const QString profile = m_profile->currentData().toString();
    if (profile.isEmpty() || m_busy)
        return;
    setBusy(true, tr("Working out what retention would do…"));
    const QDateTime now = m_asOf.isValid() ? m_asOf : QDateTime::currentDateTimeUtc();
    runAsync(
        this,
        [catalog = m_ctx->catalog(), config = m_ctx->config(), profile, now] {
            return makePlan(*catalog, config, profile, now, true);
        },
        [this](const PlanResult &r) {
            if (r.error) {
                m_model->setEntries({});
                setBusy(false, tr("✗ %1").arg(r.error.message));
                return;
            }
            m_model->setEntries(r.entries);
            setBusy(false, tr("Policy %1: %2 kept, %3 would be deleted.")
                               .arg(r.policy.describe())
                               .arg(m_model->keepCount())
                               .arg(m_model->expireCount()));
            emit previewReady();
        },
        catalogPool());
}

void RetentionPanel::pruneNow() {
    const QString profile = m_profile->currentData().toString();
    const int n = m_model->expireCount();
    if (profile.isEmpty() || n == 0 || m_busy)
        return;
    MessageBox::question(
        this, tr("Prune backups"),
        tr("Delete %n backup(s) of “%1” from the catalog and from storage, as the preview shows? This cannot be "
           "undone.",
           nullptr, n)
            .arg(profile),
        [this, profile](bool yes) {
            if (!yes)
                return;
            setBusy(true, tr("Deleting expired backups…"));
            const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
            const QDateTime now = m_asOf.isValid() ? m_asOf : QDateTime::currentDateTimeUtc();
            struct Pruned {
                PlanResult plan;
                int deleted = 0;
                int failed = 0;
            };
            // The plan is made afresh on the catalog thread (what the preview showed, unless the catalog changed
            // meanwhile); the deletions run off it (S3 deletes can take a while) with their catalog updates routed
            // back there (PinnedCatalog).
            auto execute = [this, keychain](PlanResult plan) {
                runAsync(
                    this,
                    [catalog = std::make_shared<PinnedCatalog>(m_ctx->catalog()), config = m_ctx->config(),
                     plan = std::move(plan), keychain]() mutable {
                        Pruned p;
                        p.plan = std::move(plan);
                        QHash<QString, QString> secrets;
                        if (keychain) {
                            KeychainCredentialStore store;
                            for (const StorageConfig &sc : config.storages())
                                if (sc.isS3() && !sc.accessKeyId.isEmpty())
                                    secrets.insert(
                                        sc.name,
                                        store.read(CredentialStore::storageSecretKey(sc.name)).value_or(QString()));
                        }
                        BackupDeleter deleter(config.storages(),
                                              [secrets](const QString &s) { return secrets.value(s); });
                        p.deleted = RetentionPruner::execute(*catalog, p.plan.entries, deleter, &p.failed);
                        return p;
                    },
                    [this](const Pruned &p) {
                        m_model->setEntries(p.plan.entries);
                        setBusy(false, p.failed ? tr("%1 deleted, %2 could not be deleted (see Why; the next prune "
                                                     "tries again).")
                                                      .arg(p.deleted)
                                                      .arg(p.failed)
                                                : tr("%n backup(s) deleted.", nullptr, p.deleted));
                        m_pruneButton->setEnabled(false);
                        emit m_ctx->catalogChanged();
                        emit pruned(p.deleted, p.failed);
                    });
            };
            runAsync(
                this,
                [catalog = m_ctx->catalog(), config = m_ctx->config(), profile, now] {
                    return makePlan(*catalog, config, profile, now, true);
                },
                [this, execute](const PlanResult &plan) {
                    if (plan.error)
                        return setBusy(false, tr("✗ %1").arg(plan.error.message));
                    execute(plan);
                },
                catalogPool());
        });
}

} // namespace lifeboat
