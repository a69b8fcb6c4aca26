#include "ui/schedules/ScheduleDialog.h"

#include "catalog/ConfigStore.h"
#include "models/Async.h"
#include "models/ScheduleListModel.h"
#include "retention/RetentionPolicy.h"
#include "schedule/CronExpression.h"
#include "ui/AppContext.h"
#include "ui/dashboard/BackupNowDialog.h"
#include "ui/schedules/CronEditorDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTimeZone>
#include <QVBoxLayout>

namespace lifeboat {

ScheduleDialog::ScheduleDialog(AppContext *ctx, const ScheduleRecord &existing, const QStringList &existingNames,
                               QWidget *parent)
    : QDialog(parent)
    , m_ctx(ctx)
    , m_base(existing)
    , m_taken(existingNames) {
    const bool adding = existing.name.isEmpty();
    setWindowTitle(adding ? tr("Add a schedule") : tr("Edit schedule “%1”").arg(existing.name));
    setObjectName(QStringLiteral("scheduleDialog"));
    if (!adding)
        m_taken.removeAll(existing.name);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;

    m_profile = new QComboBox(this);
    m_profile->setAccessibleName(tr("Source profile"));
    // Every source a schedule can back up: database profiles, directories and Redis servers. The item's data is the
    // source name, KindRole its kind (a directory may share its name with a database profile).
    auto addSource = [this](const QString &icon, const QString &text, const QString &name, const QString &kind) {
        m_profile->addItem(QIcon(icon), text, name);
        m_profile->setItemData(m_profile->count() - 1, kind, KindRole);
    };
    for (const Profile &p : ctx->config().profiles())
        addSource(QStringLiteral(":/icons/server.svg"), p.name, p.name, QStringLiteral("database"));
    for (const FileSourceConfig &f : ctx->config().fileSources())
        addSource(QStringLiteral(":/icons/storage.svg"), tr("%1 (directory)").arg(f.name), f.name,
                  QStringLiteral("files"));
    for (const RedisSourceConfig &r : ctx->config().redisSources())
        addSource(QStringLiteral(":/icons/server.svg"), tr("%1 (Redis)").arg(r.name), r.name, QStringLiteral("redis"));
    const QString profile = adding ? ctx->currentProfile() : existing.profile;
    // A drill's and a base backup's source is a database profile.
    const QString kind =
        adding || existing.sourceKind.isEmpty() || existing.isDrill() || existing.sourceKind == QLatin1String("base")
            ? QStringLiteral("database")
            : existing.sourceKind;
    int current = -1;
    for (int i = 0; i < m_profile->count() && current < 0; ++i)
        if (m_profile->itemData(i).toString() == profile && m_profile->itemData(i, KindRole).toString() == kind)
            current = i;
    if (current < 0 && !profile.isEmpty()) {
        addSource(QString(), tr("%1 (not configured)").arg(profile), profile, kind);
        current = m_profile->count() - 1;
    }
    m_profile->setCurrentIndex(qMax(0, current));

    m_name = new QLineEdit(
        adding ? (profile.isEmpty() ? QString() : QStringLiteral("%1-nightly").arg(profile)) : existing.name, this);
    m_name->setAccessibleName(tr("Schedule name"));
    m_name->setPlaceholderText(tr("letters, digits, - and _"));
    form->addRow(tr("&Name:"), m_name);
    m_kind = new QComboBox(this);
    m_kind->setAccessibleName(tr("What the schedule does"));
    m_kind->addItem(tr("Back up"), QStringLiteral("backup"));
    m_kind->addItem(tr("Verify the newest backup (recovery drill)"), QStringLiteral("verify"));
    m_kind->addItem(tr("Base backup (point-in-time recovery)"), QStringLiteral("base"));
    m_kind->setCurrentIndex(existing.isDrill() ? 1 : existing.sourceKind == QLatin1String("base") ? 2 : 0);
    form->addRow(tr("&Kind:"), m_kind);
    form->addRow(tr("&Source:"), m_profile);
    m_verifyOn = new QComboBox(this);
    m_verifyOn->setAccessibleName(tr("Verify on"));
    m_verifyOn->addItem(tr("The profile's own server (temporary database)"), QString());
    m_verifyOn->addItem(tr("A throwaway local cluster (sandbox)"), QLatin1String(ScheduleRecord::kVerifySandbox));
    for (const Profile &p : ctx->config().profiles())
        m_verifyOn->addItem(tr("The server of profile %1").arg(p.name), p.name);
    m_verifyOn->setCurrentIndex(qMax(0, m_verifyOn->findData(existing.isDrill() ? existing.verifyTarget : QString())));
    form->addRow(tr("&Verify on:"), m_verifyOn);

    auto *cronRow = new QHBoxLayout;
    // The default for a new profile's schedule: daily at 01:00.
    m_cron = new QLineEdit(adding ? QStringLiteral("0 1 * * *") : existing.cron, this);
    m_cron->setAccessibleName(tr("Cron expression"));
    m_editCron = new QPushButton(QIcon(QStringLiteral(":/icons/edit.svg")), tr("&Edit…"), this);
    m_editCron->setAccessibleName(tr("Open the cron editor"));
    cronRow->addWidget(m_cron, 1);
    cronRow->addWidget(m_editCron);
    auto *cronLabel = new QLabel(tr("&When (cron):"), this);
    cronLabel->setBuddy(m_cron);
    form->addRow(cronLabel, cronRow);
    m_cronInfo = new QLabel(this);
    m_cronInfo->setWordWrap(true);
    m_cronInfo->setAccessibleName(tr("Cron description and next run"));
    form->addRow(QString(), m_cronInfo);

    m_zone = new QLineEdit(existing.timeZone, this);
    m_zone->setAccessibleName(tr("Time zone"));
    m_zone->setPlaceholderText(tr("system (%1)").arg(QString::fromUtf8(QTimeZone::systemTimeZoneId())));
    form->addRow(tr("&Time zone:"), m_zone);

    m_storages = new QListWidget(this);
    m_storages->setAccessibleName(tr("Storages"));
    m_storages->setMaximumHeight(110);
    form->addRow(tr("S&torages:"), m_storages);

    m_compression = new QComboBox(this);
    m_compression->setAccessibleName(tr("Compression"));
    BackupNowDialog::addCompressionChoices(m_compression, existing.compression);
    form->addRow(tr("Com&pression:"), m_compression);

    m_missed = new QComboBox(this);
    m_missed->setAccessibleName(tr("Missed runs"));
    m_missed->addItem(tr("Run once at the next chance"), QStringLiteral("catch-up"));
    m_missed->addItem(tr("Skip runs missed by more than 5 minutes"), QStringLiteral("skip"));
    m_missed->setCurrentIndex(qMax(0, m_missed->findData(existing.missedPolicy)));
    form->addRow(tr("&Missed runs:"), m_missed);

    m_enabled = new QCheckBox(tr("Enabled"), this);
    m_enabled->setChecked(existing.enabled);
    form->addRow(QString(), m_enabled);

    // The schedule's own retention rules (kept as they are when it is saved); the counts are edited in the
    // Retention panel, the other rules with `lifeboatctl schedule add --keep-hourly …`.
    QStringList rules;
    const std::pair<int, QString> counts[] = {
        {existing.keepLast, tr("last %1")},       {existing.keepHourly, tr("%1 hourly")},
        {existing.keepDaily, tr("%1 daily")},     {existing.keepWeekly, tr("%1 weekly")},
        {existing.keepMonthly, tr("%1 monthly")}, {existing.keepYearly, tr("%1 yearly")}};
    for (const auto &[n, text] : counts)
        if (n >= 0)
            rules << text.arg(n);
    if (existing.keepWithinSeconds >= 0)
        rules << tr("all within %1").arg(RetentionPolicy::formatDuration(existing.keepWithinSeconds));
    auto *retention = new QLabel(
        rules.isEmpty() ? tr("The policy in effect (settings, environment); set counts in the Retention panel.")
                        : tr("Keeps %1 (newest backup of each hour, day, week, month or year in this time zone); "
                             "other rules from the policy in effect.")
                              .arg(rules.join(QStringLiteral(", "))),
        this);
    retention->setWordWrap(true);
    retention->setObjectName(QStringLiteral("scheduleRetention"));
    retention->setAccessibleName(tr("Retention rules of this schedule"));
    form->addRow(tr("Retention:"), retention);
    layout->addLayout(form);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->setAccessibleName(tr("Error"));
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &ScheduleDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_editCron, &QPushButton::clicked, this, &ScheduleDialog::openCronEditor);
    connect(m_cron, &QLineEdit::textChanged, this, &ScheduleDialog::updateCronInfo);
    connect(m_zone, &QLineEdit::textChanged, this, &ScheduleDialog::updateCronInfo);
    connect(m_profile, &QComboBox::currentIndexChanged, this, &ScheduleDialog::fillStorages);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ScheduleDialog::updateKind);
    connect(m_profile, &QComboBox::currentIndexChanged, this, &ScheduleDialog::updateCompression);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ScheduleDialog::updateCompression);
    fillStorages();
    updateKind();
    updateCompression();
    updateCronInfo();
}

void ScheduleDialog::updateCompression() {
    // Database backups only: a file or Redis source compresses its own way, a drill writes nothing, a base backup is
    // always zstd.
    m_compression->setEnabled(m_profile->currentData(KindRole).toString() == QLatin1String("database") &&
                              m_kind->currentData().toString() == QLatin1String("backup"));
}

void ScheduleDialog::fillStorages() {
    QStringList chosen = m_base.storages;
    const QString name = m_profile->currentData().toString();
    const QString kind = m_profile->currentData(KindRole).toString();
    if (chosen.isEmpty()) {
        if (kind == QLatin1String("files")) {
            if (const auto f = m_ctx->config().fileSource(name))
                chosen = f->storages;
        } else if (kind == QLatin1String("redis")) {
            if (const auto r = m_ctx->config().redisSource(name))
                chosen = r->storages;
        } else if (const auto profile = m_ctx->config().profile(name)) {
            chosen = profile->defaultStorages;
        }
    }
    m_storages->clear();
    for (const StorageConfig &s : m_ctx->config().storages()) {
        auto *item = new QListWidgetItem(QIcon(QStringLiteral(":/icons/storage.svg")), s.name, m_storages);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(chosen.contains(s.name) ? Qt::Checked : Qt::Unchecked);
        item->setData(Qt::UserRole, s.name);
    }
}

void ScheduleDialog::updateKind() {
    const bool drill = m_kind->currentData().toString() == QLatin1String("verify");
    // A drill writes nothing: the storages are those of the backup it reads.
    m_storages->setEnabled(!drill);
    m_verifyOn->setEnabled(drill);
    if (!m_base.name.isEmpty())
        return;
    // A new drill starts weekly (Sunday 03:00, after the night's backup) under a name that says what it is.
    const QString from = drill ? QStringLiteral("0 1 * * *") : QStringLiteral("0 3 * * 0");
    const QString to = drill ? QStringLiteral("0 3 * * 0") : QStringLiteral("0 1 * * *");
    if (m_cron->text().simplified() == from)
        m_cron->setText(to);
    // The suggested name follows the kind: NAME-nightly, NAME-drill, NAME-base.
    const QString suffix = drill                                                       ? QStringLiteral("-drill")
                           : m_kind->currentData().toString() == QLatin1String("base") ? QStringLiteral("-base")
                                                                                       : QStringLiteral("-nightly");
    const QString name = m_name->text();
    for (const QString &old : {QStringLiteral("-nightly"), QStringLiteral("-drill"), QStringLiteral("-base")})
        if (old != suffix && name.endsWith(old)) {
            m_name->setText(name.chopped(old.size()) + suffix);
            break;
        }
}

void ScheduleDialog::updateCronInfo() {
    // A refusal of Save is about what was typed then: an edit of the expression or zone makes it stale.
    m_error->hide();
    const CronExpression cron = CronExpression::parse(m_cron->text().simplified());
    if (!cron.isValid()) {
        m_cronInfo->setStyleSheet(QStringLiteral("color: #c62828;"));
        m_cronInfo->setText(cron.error());
        return;
    }
    m_cronInfo->setStyleSheet(QString());
    ScheduleRecord s;
    s.cron = cron.text();
    s.timeZone = m_zone->text().trimmed();
    const QDateTime next = ScheduleListModel::nextRun(s);
    m_cronInfo->setText(next.isValid() ? tr("%1 — next: %2").arg(cron.describe(), CronEditorDialog::formatFire(next))
                                       : tr("%1 — unknown time zone “%2”").arg(cron.describe(), s.timeZone));
}

void ScheduleDialog::openCronEditor() {
    auto *d = new CronEditorDialog(m_cron->text(), m_zone->text().trimmed(), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &CronEditorDialog::expressionAccepted, m_cron, &QLineEdit::setText);
    d->open();
}

ScheduleRecord ScheduleDialog::schedule(QString *error) const {
    ScheduleRecord s = m_base;
    s.name = m_name->text().trimmed();
    s.profile = m_profile->currentData().toString();
    s.sourceKind = m_profile->currentData(KindRole).toString();
    if (s.sourceKind.isEmpty())
        s.sourceKind = QStringLiteral("database");
    s.cron = m_cron->text().simplified();
    s.timeZone = m_zone->text().trimmed();
    s.enabled = m_enabled->isChecked();
    s.missedPolicy = m_missed->currentData().toString();
    s.storages.clear();
    const bool drill = m_kind->currentData().toString() == QLatin1String("verify");
    const bool base = m_kind->currentData().toString() == QLatin1String("base");
    const bool fromDatabase = s.sourceKind == QLatin1String("database");
    s.verifyTarget.clear();
    s.compression = fromDatabase && !drill && !base ? m_compression->currentData().toString() : QString();
    if (base && fromDatabase)
        s.sourceKind = QStringLiteral("base");
    if (drill) {
        s.sourceKind = QStringLiteral("verify");
        s.verifyTarget = m_verifyOn->currentData().toString();
    } else {
        for (int i = 0; i < m_storages->count(); ++i)
            if (m_storages->item(i)->checkState() == Qt::Checked)
                s.storages << m_storages->item(i)->data(Qt::UserRole).toString();
    }
    const CronExpression cron = CronExpression::parse(s.cron);
    if (!ConfigStore::isValidName(s.name))
        *error = tr("Give the schedule a name of letters, digits, - and _.");
    else if (m_taken.contains(s.name))
        *error = tr("A schedule named “%1” exists already.").arg(s.name);
    else if (s.profile.isEmpty())
        *error = tr("Choose the server profile to back up (add one in Settings first).");
    else if (!cron.isValid())
        *error = tr("Cron: %1").arg(cron.error());
    else if (!s.timeZone.isEmpty() && !QTimeZone(s.timeZone.toUtf8()).isValid())
        *error =
            tr("Unknown time zone “%1”: use an IANA name such as Europe/Berlin, or leave it empty.").arg(s.timeZone);
    else if (drill && !fromDatabase)
        *error = tr("A drill verifies a database backup: choose a database profile as the source.");
    else if (base && !fromDatabase)
        *error = tr("A base backup copies a PostgreSQL cluster: choose a database profile as the source.");
    else if (!drill && s.storages.isEmpty())
        *error = tr("Choose at least one storage to write the backups to.");
    else
        error->clear();
    if (cron.isValid())
        s.cron = cron.text();
    return s;
}

void ScheduleDialog::accept() {
    if (m_saving)
        return;
    QString why;
    ScheduleRecord s = schedule(&why);
    if (!why.isEmpty()) {
        m_error->setText(why);
        m_error->show();
        return;
    }
    // Fire times owed start now: a new schedule does not catch up on the past (as `schedule add`).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!s.created.isValid())
        s.created = now;
    if (!s.lastCheck.isValid())
        s.lastCheck = now;
    m_saving = true;
    m_error->hide();
    const QString oldName = m_base.name;
    runAsync(
        this,
        [catalog = m_ctx->catalog(), s, oldName]() mutable {
            QString err;
            if (!catalog->saveSchedule(s, &err))
                return err.isEmpty() ? QStringLiteral("the catalog refused the schedule") : err;
            if (!oldName.isEmpty() && oldName != s.name && !catalog->removeSchedule(oldName, &err))
                return err;
            return QString();
        },
        [this, name = s.name](const QString &err) {
            m_saving = false;
            if (!err.isEmpty()) {
                m_error->setText(tr("Not saved: %1").arg(err));
                m_error->show();
                return;
            }
            emit saved(name);
            QDialog::accept();
        },
        catalogPool());
}

} // namespace lifeboat
