#include "ui/dashboard/BackupNowDialog.h"

#include "models/Async.h"
#include "models/Format.h"
#include "models/JobListModel.h"
#include "pg/PgSession.h"
#include "secrets/KeychainCredentialStore.h"
#include "ui/AppContext.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
struct TableList {
    QList<PgSession::TableInfo> tables;
    QString error;
};

TableList fetchTables(const Profile &profile, bool keychain) {
    TableList out;
    Error err;
    const Conninfo info = Conninfo::parse(profile.conninfo, &err);
    if (!info.isValid()) {
        out.error = err.message;
        return out;
    }
    QString password;
    if (keychain) {
        KeychainCredentialStore store;
        password = store.read(CredentialStore::profilePasswordKey(profile.name)).value_or(QString());
    }
    PgSession s;
    if (!s.connect(info, password, 10)) {
        out.error = s.error().message;
        return out;
    }
    out.tables = s.tables();
    if (!s.error().message.isEmpty() && out.tables.isEmpty())
        out.error = s.error().message;
    return out;
}
} // namespace

void BackupNowDialog::addCompressionChoices(QComboBox *box, const QString &current) {
    // The same choices as lifeboatctl backup --compress (docs/cli.md): Lifeboat's zstd is the default.
    box->addItem(tr("zstd by Lifeboat, fast (default)"), QString());
    box->addItem(tr("zstd by Lifeboat, smaller (9)"), QStringLiteral("zstd:9"));
    box->addItem(tr("None"), QStringLiteral("none"));
    box->addItem(tr("gzip (6): plain .sql.gz, else pg_dump's"), QStringLiteral("gzip:6"));
    box->addItem(tr("pg_dump's own gzip (classic archive)"), QStringLiteral("pg:gzip"));
    box->addItem(tr("pg_dump's own zstd (pg_dump 16+)"), QStringLiteral("pg:zstd"));
    box->addItem(tr("pg_dump's own lz4 (pg_dump 16+)"), QStringLiteral("pg:lz4"));
    int i = box->findData(current);
    if (i < 0) {
        box->addItem(current, current);
        i = box->count() - 1;
    }
    box->setCurrentIndex(i);
}

BackupNowDialog::BackupNowDialog(AppContext *ctx, const QString &profile, QWidget *parent)
    : QDialog(parent)
    , m_ctx(ctx) {
    setWindowTitle(tr("Back up now"));
    setObjectName(QStringLiteral("backupNowDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_profile = new QComboBox(this);
    m_profile->setAccessibleName(tr("Profile"));
    for (const Profile &p : ctx->config().profiles())
        m_profile->addItem(QIcon(QStringLiteral(":/icons/server.svg")), p.name, p.name);
    const int pi = m_profile->findData(profile);
    if (pi >= 0)
        m_profile->setCurrentIndex(pi);
    form->addRow(tr("&Profile:"), m_profile);

    m_storages = new QListWidget(this);
    m_storages->setAccessibleName(tr("Storages"));
    m_storages->setMaximumHeight(80);
    for (const StorageConfig &s : ctx->config().storages()) {
        auto *item = new QListWidgetItem(QIcon(QStringLiteral(":/icons/storage.svg")), s.name, m_storages);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
        item->setData(Qt::UserRole, s.name);
        item->setToolTip(s.isS3() ? QStringLiteral("s3://%1/%2").arg(s.bucket, s.prefix) : s.localDir);
    }
    form->addRow(tr("&Storages:"), m_storages);

    auto *fmtRow = new QHBoxLayout;
    m_format = new QComboBox(this);
    m_format->setAccessibleName(tr("Format"));
    m_format->addItem(tr("Custom (pg_restore, selective restore)"), QStringLiteral("custom"));
    m_format->addItem(tr("Plain SQL"), QStringLiteral("plain"));
    m_format->addItem(tr("Directory (parallel)"), QStringLiteral("directory"));
    m_jobs = new QSpinBox(this);
    m_jobs->setRange(1, 16);
    m_jobs->setPrefix(tr("jobs: "));
    m_jobs->setAccessibleName(tr("Parallel dump jobs"));
    m_jobs->setEnabled(false);
    fmtRow->addWidget(m_format, 1);
    fmtRow->addWidget(m_jobs);
    auto *fmtLabel = new QLabel(tr("&Format:"), this);
    fmtLabel->setBuddy(m_format);
    form->addRow(fmtLabel, fmtRow);

    m_compression = new QComboBox(this);
    m_compression->setAccessibleName(tr("Compression"));
    addCompressionChoices(m_compression);
    form->addRow(tr("&Compression:"), m_compression);

    auto *tablesBox = new QVBoxLayout;
    m_tables = new QListWidget(this);
    m_tables->setAccessibleName(tr("Tables to back up"));
    m_tables->setMinimumHeight(120);
    m_tablesState = new QLabel(this);
    m_tablesState->setWordWrap(true);
    tablesBox->addWidget(m_tables);
    tablesBox->addWidget(m_tablesState);
    auto *tablesLabel = new QLabel(tr("&Tables:"), this);
    tablesLabel->setBuddy(m_tables);
    form->addRow(tablesLabel, tablesBox);

    m_recipients = new QLineEdit(this);
    m_recipients->setPlaceholderText(tr("age1… public keys, comma-separated; empty: not encrypted"));
    m_recipients->setAccessibleName(tr("Encryption recipients"));
    form->addRow(tr("&Encrypt to:"), m_recipients);

    m_label = new QLineEdit(this);
    m_label->setPlaceholderText(tr("optional, e.g. before-migration"));
    m_label->setAccessibleName(tr("Label"));
    form->addRow(tr("&Label:"), m_label);
    layout->addLayout(form);

    m_busy = new QLabel(this);
    m_busy->setWordWrap(true);
    QPalette p = m_busy->palette();
    p.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_busy->setPalette(p);
    layout->addWidget(m_busy);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_run = buttons->addButton(tr("&Run backup"), QDialogButtonBox::AcceptRole);
    m_run->setIcon(QIcon(QStringLiteral(":/icons/backup.svg")));
    m_run->setDefault(true);
    layout->addWidget(buttons);
    resize(580, 520);

    connect(m_run, &QPushButton::clicked, this, &BackupNowDialog::start);
    connect(buttons, &QDialogButtonBox::rejected, this, &BackupNowDialog::reject);
    connect(m_profile, &QComboBox::currentIndexChanged, this, &BackupNowDialog::profileChanged);
    connect(m_format, &QComboBox::currentIndexChanged, this,
            [this] { m_jobs->setEnabled(m_format->currentData().toString() == QLatin1String("directory")); });
    connect(m_storages, &QListWidget::itemChanged, this, &BackupNowDialog::updateRunState);
    connect(ctx->jobs(), &JobListModel::activeCountChanged, this, &BackupNowDialog::updateRunState);
    profileChanged();
}

void BackupNowDialog::profileChanged() {
    const auto profile = m_ctx->config().profile(m_profile->currentData().toString());
    for (int i = 0; i < m_storages->count(); ++i) {
        QListWidgetItem *item = m_storages->item(i);
        const bool def = profile && profile->defaultStorages.contains(item->data(Qt::UserRole).toString());
        item->setCheckState(def && (item->flags() & Qt::ItemIsEnabled) ? Qt::Checked : Qt::Unchecked);
    }
    m_recipients->setText(profile ? profile->recipients.join(QStringLiteral(", ")) : QString());
    loadTables();
    updateRunState();
}

void BackupNowDialog::loadTables() {
    m_tables->clear();
    m_tablesLoaded = false;
    const auto profile = m_ctx->config().profile(m_profile->currentData().toString());
    if (!profile) {
        m_tablesState->setText(tr("Add a server profile first."));
        return;
    }
    m_tablesState->setText(tr("Listing the tables of %1…").arg(profile->name));
    const quint64 request = ++m_tableRequest;
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    runAsync(
        this, [p = *profile, keychain] { return fetchTables(p, keychain); },
        [this, request, excluded = profile->excludeTables](const TableList &list) {
            if (request != m_tableRequest)
                return; // the profile changed meanwhile
            if (!list.error.isEmpty()) {
                m_tablesState->setText(tr("Could not list the tables: %1. The backup can still include all of "
                                          "them.")
                                           .arg(list.error));
                emit tablesReady();
                return;
            }
            for (const PgSession::TableInfo &t : list.tables) {
                const QString name = t.qualified();
                // Row estimates stay 0 until the table is analyzed: say nothing rather than "0 rows".
                const QString text =
                    t.estimatedRows > 0
                        ? tr("%1  (%2, ~%L3 rows)").arg(name, Format::size(t.bytes)).arg(t.estimatedRows)
                        : tr("%1  (%2)").arg(name, Format::size(t.bytes));
                auto *item = new QListWidgetItem(text, m_tables);
                item->setData(Qt::UserRole, name);
                item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
                const bool skip = excluded.contains(name) || excluded.contains(t.name);
                item->setCheckState(skip ? Qt::Unchecked : Qt::Checked);
                if (skip)
                    item->setToolTip(tr("Always excluded by the profile."));
            }
            m_tablesLoaded = true;
            m_tablesState->setText(list.tables.isEmpty() ? tr("The database has no tables; the schema is still "
                                                              "backed up.")
                                                         : tr("%n table(s). Uncheck the ones to leave out.", nullptr,
                                                              int(list.tables.size())));
            emit tablesReady();
        });
}

QStringList BackupNowDialog::recipients() const {
    QStringList out;
    for (const QString &r :
         m_recipients->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
        out << r;
    return out;
}

QStringList BackupNowDialog::selectedStorages() const {
    QStringList out;
    for (int i = 0; i < m_storages->count(); ++i) {
        if (m_storages->item(i)->checkState() == Qt::Checked)
            out << m_storages->item(i)->data(Qt::UserRole).toString();
    }
    return out;
}

BackupOptions BackupNowDialog::options() const {
    BackupOptions o;
    o.format = m_format->currentData().toString();
    o.jobs = o.format == QLatin1String("directory") ? m_jobs->value() : 1;
    o.compression = m_compression->currentData().toString();
    o.label = m_label->text().trimmed();
    // All checked: no list (new tables are included too). Some unchecked: exclude exactly those.
    if (m_tablesLoaded) {
        for (int i = 0; i < m_tables->count(); ++i) {
            if (m_tables->item(i)->checkState() != Qt::Checked)
                o.excludeTables << m_tables->item(i)->data(Qt::UserRole).toString();
        }
    }
    return o;
}

void BackupNowDialog::updateRunState() {
    const QString profile = m_profile->currentData().toString();
    QString why;
    if (profile.isEmpty())
        why = tr("Add a server profile in Settings first.");
    else if (m_ctx->isBackupBusy(profile))
        why = tr("A backup of “%1” is already running; wait for it or cancel it on the Jobs page.").arg(profile);
    else if (selectedStorages().isEmpty())
        why = tr("Check at least one storage.");
    m_busy->setText(why);
    m_run->setEnabled(why.isEmpty() && !m_starting);
}

void BackupNowDialog::start() {
    if (!m_run->isEnabled())
        return;
    m_starting = true;
    updateRunState();
    const QString profile = m_profile->currentData().toString();
    QPointer<BackupNowDialog> self(this);
    m_ctx->startBackup(profile, selectedStorages(), options(), recipients(), [self](Job *job, const QString &error) {
        if (!self)
            return; // closed meanwhile; the job (if any) is on the Jobs page
        self->m_starting = false;
        if (!job) {
            self->updateRunState();
            self->m_busy->setText(error);
            return;
        }
        emit self->started(job);
        self->accept();
    });
}

} // namespace lifeboat
