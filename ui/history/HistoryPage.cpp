#include "ui/history/HistoryPage.h"

#include "catalog/RecordJson.h"
#include "jobs/JobRunner.h"
#include "jobs/StoreFactory.h"
#include "models/Async.h"
#include "models/BackupActions.h"
#include "models/BackupHistoryModel.h"
#include "models/HistoryFilterProxy.h"
#include "models/JobListModel.h"
#include "models/PinnedCatalog.h"
#include "ops/Verify.h"
#include "secrets/KeychainCredentialStore.h"
#include "secrets/MemoryCredentialStore.h"
#include "storage/S3Client.h"
#include "storage/S3Session.h"
#include "ui/AppContext.h"
#include "ui/history/WalRangesPanel.h"
#include "ui/widgets/BadgeDelegate.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace lifeboat {

HistoryPage::HistoryPage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx)
    , m_model(new BackupHistoryModel(ctx->catalog(), this))
    , m_proxy(new HistoryFilterProxy(this)) {
    m_proxy->setSourceModel(m_model);
    auto *layout = new QVBoxLayout(this);

    auto *bar = new QToolBar(tr("History actions"), this);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(18, 18));
    auto act = [&](const QString &icon, const QString &text, const QKeySequence &key = {}) {
        auto *a = new QAction(QIcon(icon), text, this);
        if (!key.isEmpty()) {
            a->setShortcut(key);
            a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        }
        addAction(a);
        return a;
    };
    m_backupNow = act(QStringLiteral(":/icons/backup.svg"), tr("Back up now…"));
    m_download = act(QStringLiteral(":/icons/download.svg"), tr("Download…"), QKeySequence(tr("Ctrl+D")));
    m_restore = act(QStringLiteral(":/icons/restore.svg"), tr("Restore…"));
    m_verify = act(QStringLiteral(":/icons/verify.svg"), tr("Verify"));
    m_manifest = act(QStringLiteral(":/icons/manifest.svg"), tr("Show manifest"), QKeySequence(tr("Ctrl+M")));
    m_copy = act(QStringLiteral(":/icons/copy.svg"), tr("Copy details"), QKeySequence::Copy);
    m_link = act(QStringLiteral(":/icons/link.svg"), tr("Copy presigned link"));
    m_delete = act(QStringLiteral(":/icons/delete.svg"), tr("Delete…"), QKeySequence::Delete);
    m_refresh = act(QStringLiteral(":/icons/refresh.svg"), tr("Refresh"), QKeySequence::Refresh);
    m_restore->setToolTip(tr("Open the restore wizard on this backup."));
    m_verify->setToolTip(tr("Restore this backup into a temporary database and check it (row counts, foreign keys, "
                            "readability, object counts). Production profiles verify on a throwaway local cluster."));
    m_link->setToolTip(tr("Copy a download link to the S3 copy, valid for 15 minutes."));
    for (QAction *a : {m_backupNow, m_download, m_restore, m_verify, m_manifest, m_copy, m_link, m_delete})
        bar->addAction(a);
    bar->addSeparator();
    bar->addAction(m_refresh);
    layout->addWidget(bar);

    auto *filters = new QHBoxLayout;
    auto combo = [&](const QString &name, const QList<QPair<QString, QString>> &items) {
        auto *c = new QComboBox(this);
        c->setAccessibleName(name);
        c->setToolTip(name);
        for (const auto &it : items)
            c->addItem(it.first, it.second);
        filters->addWidget(c);
        return c;
    };
    m_type = combo(tr("Type filter"), {{tr("All types"), QString()},
                                       {tr("Manual"), QStringLiteral("MANUAL")},
                                       {tr("Daily"), QStringLiteral("DAILY")},
                                       {tr("Weekly"), QStringLiteral("WEEKLY")},
                                       {tr("Monthly"), QStringLiteral("MONTHLY")}});
    m_status = combo(tr("Status filter"), {{tr("All statuses"), QString()},
                                           {tr("Completed"), BackupRecord::statusCompleted()},
                                           {tr("Failed"), BackupRecord::statusFailed()},
                                           {tr("Cancelled"), BackupRecord::statusCancelled()},
                                           {tr("In progress"), BackupRecord::statusInProgress()},
                                           {tr("Deleted"), BackupRecord::statusDeleted()}});
    m_profile = combo(tr("Profile filter"), {{tr("All profiles"), QString()}});
    m_useDates = new QCheckBox(tr("From"), this);
    m_useDates->setAccessibleName(tr("Limit to a date range"));
    m_from = new QDateEdit(QDate::currentDate().addDays(-30), this);
    m_to = new QDateEdit(QDate::currentDate(), this);
    for (QDateEdit *d : {m_from, m_to}) {
        d->setCalendarPopup(true);
        d->setEnabled(false);
    }
    m_from->setAccessibleName(tr("From date"));
    m_to->setAccessibleName(tr("To date"));
    filters->addWidget(m_useDates);
    filters->addWidget(m_from);
    filters->addWidget(new QLabel(tr("to"), this));
    filters->addWidget(m_to);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search database, file, label, error…"));
    m_search->setAccessibleName(tr("Search history"));
    m_search->setClearButtonEnabled(true);
    filters->addWidget(m_search, 1);
    layout->addLayout(filters);

    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setAccessibleName(tr("Backup history"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(BackupHistoryModel::DateColumn, Qt::DescendingOrder);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    auto *badges = new BadgeDelegate(m_view);
    m_view->setItemDelegateForColumn(BackupHistoryModel::TypeColumn, badges);
    m_view->setItemDelegateForColumn(BackupHistoryModel::StatusColumn, badges);
    QHeaderView *h = m_view->horizontalHeader();
    h->setStretchLastSection(true);
    const QList<QPair<int, int>> widths = {
        {BackupHistoryModel::DateColumn, 145},     {BackupHistoryModel::ProfileColumn, 100},
        {BackupHistoryModel::DatabaseColumn, 100}, {BackupHistoryModel::KindColumn, 70},
        {BackupHistoryModel::TypeColumn, 90},      {BackupHistoryModel::SizeColumn, 80},
        {BackupHistoryModel::DurationColumn, 75},  {BackupHistoryModel::StatusColumn, 110},
        {BackupHistoryModel::StorageColumn, 90}};
    for (const auto &w : widths)
        h->resizeSection(w.first, w.second);
    layout->addWidget(m_view, 1);

    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    layout->addWidget(m_empty);
    m_count = new QLabel(this);
    layout->addWidget(m_count);
    m_walRanges = new WalRangesPanel(ctx, this);
    layout->addWidget(m_walRanges);

    connect(m_backupNow, &QAction::triggered, this, &HistoryPage::backupNowRequested);
    connect(m_download, &QAction::triggered, this, &HistoryPage::downloadSelected);
    connect(m_delete, &QAction::triggered, this, &HistoryPage::deleteSelected);
    connect(m_manifest, &QAction::triggered, this, &HistoryPage::showManifest);
    connect(m_copy, &QAction::triggered, this, &HistoryPage::copyDetails);
    connect(m_restore, &QAction::triggered, this, &HistoryPage::restoreSelected);
    connect(m_verify, &QAction::triggered, this, &HistoryPage::verifySelected);
    connect(m_link, &QAction::triggered, this, &HistoryPage::copyPresignedLink);
    connect(m_refresh, &QAction::triggered, this, &HistoryPage::reload);
    connect(m_view, &QTableView::doubleClicked, this, &HistoryPage::showManifest);
    connect(m_view, &QTableView::customContextMenuRequested, this, [this](const QPoint &pos) {
        // popup() returns at once (no nested loop); the menu deletes itself when closed.
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addActions({m_download, m_restore, m_verify, m_manifest, m_copy, m_link});
        menu->addSeparator();
        menu->addAction(m_delete);
        menu->popup(m_view->viewport()->mapToGlobal(pos));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPage::updateActions);
    for (QComboBox *c : {m_type, m_status, m_profile})
        connect(c, &QComboBox::currentIndexChanged, this, &HistoryPage::applyFilters);
    connect(m_useDates, &QCheckBox::toggled, this, [this](bool on) {
        m_from->setEnabled(on);
        m_to->setEnabled(on);
        applyFilters();
    });
    connect(m_from, &QDateEdit::dateChanged, this, &HistoryPage::applyFilters);
    connect(m_to, &QDateEdit::dateChanged, this, &HistoryPage::applyFilters);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &HistoryFilterProxy::setText);
    connect(m_search, &QLineEdit::textChanged, this, &HistoryPage::updateCount);
    connect(m_model, &BackupHistoryModel::totalCountChanged, this, &HistoryPage::updateCount);
    connect(m_model, &BackupHistoryModel::pageLoaded, this, &HistoryPage::updateCount);
    connect(m_model, &BackupHistoryModel::modelReset, this, &HistoryPage::updateActions);
    connect(m_ctx, &AppContext::catalogChanged, this, &HistoryPage::reload);
    connect(m_ctx, &AppContext::configChanged, this, &HistoryPage::reloadProfiles);
    reloadProfiles();
    updateActions();
    m_model->reload();
    m_walRanges->reload();
}

void HistoryPage::reloadProfiles() {
    const QString current = m_profile->currentData().toString();
    QSignalBlocker block(m_profile);
    while (m_profile->count() > 1)
        m_profile->removeItem(1);
    for (const Profile &p : m_ctx->config().profiles())
        m_profile->addItem(p.name, p.name);
    const int i = m_profile->findData(current);
    m_profile->setCurrentIndex(i < 0 ? 0 : i);
}

void HistoryPage::reload() {
    m_model->reload();
    m_walRanges->reload();
}

void HistoryPage::applyFilters() {
    CatalogFilter f;
    f.type = m_type->currentData().toString();
    f.status = m_status->currentData().toString();
    f.profile = m_profile->currentData().toString();
    const bool dates = m_useDates->isChecked();
    if (dates) {
        f.since = m_from->date().startOfDay().toUTC();
        f.until = m_to->date().addDays(1).startOfDay().toUTC();
    }
    m_proxy->setTypeFilter(f.type);
    m_proxy->setStatusFilter(f.status);
    m_proxy->setProfileFilter(f.profile);
    m_walRanges->setProfileFilter(f.profile);
    m_proxy->setDateRange(dates ? m_from->date() : QDate(), dates ? m_to->date() : QDate());
    // The catalog narrows the query too, so a rare match does not need every page loaded first.
    m_model->setCatalogFilter(f);
}

void HistoryPage::updateCount() {
    const int shown = m_proxy->rowCount();
    const int total = m_model->totalCount();
    if (m_search->text().isEmpty())
        m_count->setText(tr("%L1 backups · %L2 loaded").arg(total).arg(m_model->loadedCount()));
    else
        m_count->setText(tr("%L1 matches among %L2 loaded of %L3").arg(shown).arg(m_model->loadedCount()).arg(total));
    const bool filtered = m_type->currentIndex() > 0 || m_status->currentIndex() > 0 || m_profile->currentIndex() > 0 ||
                          m_useDates->isChecked() || !m_search->text().isEmpty();
    if (shown == 0 && !m_model->isLoading()) {
        m_empty->setText(filtered ? tr("No backup matches these filters.")
                                  : tr("No backups yet. Use “Back up now” to make the first one."));
        m_empty->show();
    } else {
        m_empty->hide();
    }
}

const BackupRecord *HistoryPage::selected() const {
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return nullptr;
    return m_model->record(m_proxy->mapToSource(rows.first()).row());
}

bool HistoryPage::selectRecord(qint64 id) {
    const int row = m_model->rowOfId(id);
    if (row < 0)
        return false;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!idx.isValid())
        return false;
    m_view->selectRow(idx.row());
    m_view->scrollTo(idx);
    return true;
}

void HistoryPage::updateActions() {
    const BackupRecord *r = selected();
    const bool any = r != nullptr;
    const bool completed = any && r->status == BackupRecord::statusCompleted();
    m_download->setEnabled(completed);
    m_manifest->setEnabled(completed);
    m_copy->setEnabled(any);
    m_delete->setEnabled(any && r->status != BackupRecord::statusInProgress() &&
                         r->status != BackupRecord::statusDeleted());
    const bool database = completed && r->kind == QLatin1String("database");
    m_restore->setEnabled(database);
    m_verify->setEnabled(database);
    m_link->setEnabled(completed && std::any_of(r->locations.cbegin(), r->locations.cend(),
                                                [](const BackupLocation &l) { return l.kind == QLatin1String("s3"); }));
}

void HistoryPage::downloadSelected() {
    const BackupRecord *sel = selected();
    if (!sel || sel->status != BackupRecord::statusCompleted())
        return;
    const BackupRecord record = *sel;
    const QString start = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    FileDialog::getExistingDirectory(
        this, tr("Download backup #%1 to").arg(record.id), start, [this, record](const QString &dir) {
            if (dir.isEmpty())
                return;
            emit statusMessage(tr("Downloading backup #%1…").arg(record.id));
            const QList<StorageConfig> storages = m_ctx->config().storages();
            const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
            runAsync(
                this,
                [catalog = m_ctx->catalog(), record, storages, dir, keychain] {
                    return BackupActions::download(catalog, record, storages, dir, keychain);
                },
                [this, record](const BackupActions::Outcome &o) {
                    if (o.error) {
                        emit statusMessage(tr("Download of backup #%1 failed").arg(record.id));
                        MessageBox::critical(this, tr("Download failed"), o.error.message);
                        return;
                    }
                    emit statusMessage(
                        tr("Backup #%1 downloaded and verified (SHA-256): %2").arg(record.id).arg(o.path));
                    if (!o.gaps.isEmpty())
                        MessageBox::warning(this, tr("Downloaded without everything beside it"),
                                            tr("%1 is verified, but not everything a restore of the file reads "
                                               "beside it was copied:\n\n%2")
                                                .arg(o.path, o.gaps.join(QLatin1Char('\n'))));
                });
        });
}

void HistoryPage::deleteSelected() {
    const BackupRecord *sel = selected();
    if (!sel)
        return;
    const qint64 id = sel->id;
    QString text = tr("Delete backup #%1 of %2 (%3)? Every copy and its manifest is removed from its storage "
                      "(local folder or S3 bucket) and the record is marked DELETED.")
                       .arg(id)
                       .arg(sel->database, sel->filename);
    const bool young = BackupActions::isYoungerThanGuard(*sel);
    if (young)
        text += QStringLiteral("\n\n") + tr("This backup is younger than 24 hours. lifeboatctl refuses to delete it "
                                            "without --force; delete it anyway?");
    MessageBox::ask(this, young ? QMessageBox::Warning : QMessageBox::Question, tr("Delete backup"), text,
                    QMessageBox::Yes | QMessageBox::No, QMessageBox::No, [this, id, young](MessageBox::Button b) {
                        if (b == QMessageBox::Yes)
                            removeRecord(id, young);
                    });
}

void HistoryPage::removeRecord(qint64 id, bool force) {
    runAsync(
        this,
        [catalog = m_ctx->catalog(), storages = m_ctx->config().storages(), id, force,
         keychain = m_ctx->keychainKnown() && m_ctx->keychain().available()] {
            return BackupActions::remove(catalog, storages, id, force, keychain);
        },
        [this, id](const BackupActions::Outcome &o) {
            if (o.error) {
                MessageBox::critical(this, tr("Delete failed"), o.error.message, o.missing.join(QLatin1Char('\n')));
                emit m_ctx->catalogChanged();
                return;
            }
            emit statusMessage(o.missing.isEmpty() ? tr("Backup #%1 deleted.").arg(id)
                                                   : tr("Backup #%1 deleted (already missing: %2).")
                                                         .arg(id)
                                                         .arg(o.missing.join(QStringLiteral(", "))));
            emit m_ctx->catalogChanged();
        },
        catalogPool());
}

void HistoryPage::showManifest() {
    const BackupRecord *sel = selected();
    if (!sel || sel->status != BackupRecord::statusCompleted())
        return;
    const BackupRecord record = *sel;
    runAsync(
        this, [record] { return BackupActions::readManifest(record); },
        [this, record](const BackupActions::Outcome &o) {
            if (o.error) {
                MessageBox::warning(this, tr("Manifest"), o.error.message);
                return;
            }
            auto *d = new QDialog(this);
            d->setAttribute(Qt::WA_DeleteOnClose);
            d->setObjectName(QStringLiteral("manifestDialog"));
            d->setWindowTitle(tr("Manifest of backup #%1").arg(record.id));
            auto *l = new QVBoxLayout(d);
            auto *path = new QLabel(o.path, d);
            path->setTextInteractionFlags(Qt::TextSelectableByMouse);
            l->addWidget(path);
            auto *text = new QPlainTextEdit(d);
            text->setReadOnly(true);
            text->setAccessibleName(tr("Manifest JSON"));
            text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
            const QJsonDocument doc = QJsonDocument::fromJson(o.bytes);
            text->setPlainText(doc.isNull() ? QString::fromUtf8(o.bytes)
                                            : QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
            l->addWidget(text);
            auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, d);
            connect(buttons, &QDialogButtonBox::rejected, d, &QDialog::close);
            l->addWidget(buttons);
            d->resize(640, 560);
            d->show();
        });
}

void HistoryPage::copyDetails() {
    const BackupRecord *sel = selected();
    if (!sel)
        return;
    const QByteArray json = QJsonDocument(RecordJson::toJson(*sel)).toJson(QJsonDocument::Indented);
    QApplication::clipboard()->setText(QString::fromUtf8(json));
    emit statusMessage(tr("Details of backup #%1 copied.").arg(sel->id));
}

void HistoryPage::restoreSelected() {
    const BackupRecord *sel = selected();
    if (!sel || sel->status != BackupRecord::statusCompleted())
        return;
    m_ctx->requestRestore(QString::number(sel->id));
}

void HistoryPage::verifySelected() {
    const BackupRecord *sel = selected();
    if (!sel || sel->status != BackupRecord::statusCompleted())
        return;
    const BackupRecord record = *sel;
    if (record.encrypted) {
        // Verification needs the key; the restore wizard's Inspect step takes one, this one-click action does not.
        MessageBox::information(this, tr("Verify"),
                                tr("Backup #%1 is encrypted. Verify it with its key: `lifeboatctl verify %1 --identity "
                                   "FILE` (or --identity-name NAME), or restore it with the wizard, which checks the "
                                   "restored database.")
                                    .arg(record.id));
        return;
    }
    // Like `lifeboatctl verify`: the temporary database goes on the backup's own server — unless that is a
    // production server (or unknown), where a throwaway local cluster (--sandbox) keeps verification off it.
    const auto profile = m_ctx->config().profile(record.profile);
    const bool sandbox = !profile || profile->production;
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    Verify::Request request;
    request.source = QString::number(record.id);
    request.target = record.profile;
    request.sandbox = sandbox;
    const QStringList keys = Verify::secretKeys(m_ctx->config(), request);
    emit statusMessage(tr("Verifying backup #%1…").arg(record.id));
    // Keychain reads block: the secrets the use case reads are read on a worker first.
    runAsync(
        this,
        [keychain, keys] {
            if (!keychain)
                return std::make_shared<MemoryCredentialStore>();
            KeychainCredentialStore store;
            return std::make_shared<MemoryCredentialStore>(MemoryCredentialStore::readFrom(&store, keys));
        },
        [this, record, request](const std::shared_ptr<MemoryCredentialStore> &secrets) {
            UseCaseContext uc;
            uc.catalog = std::make_shared<PinnedCatalog>(m_ctx->catalog());
            uc.config = m_ctx->config();
            uc.secrets = secrets.get();
            PreparedJob prepared = Verify::prepare(request, uc);
            if (!prepared) {
                emit statusMessage(
                    tr("Verification of backup #%1 failed: %2").arg(record.id).arg(prepared.error.message));
                return;
            }
            Job *job = m_ctx->runner()->submit(std::move(prepared.job));
            m_ctx->jobs()->track(job, record.profile);
            connect(job, &Job::finished, this,
                    [this, id = record.id, finished = std::move(prepared.finished)](const JobResult &r) {
                        finished(r);
                        emit statusMessage(
                            r.ok() ? tr("Backup #%1 verified: every check passed.").arg(id)
                                   : tr("Verification of backup #%1 failed: %2").arg(id).arg(r.error.message));
                    });
        });
}

void HistoryPage::copyPresignedLink() {
    const BackupRecord *sel = selected();
    if (!sel)
        return;
    const auto loc = std::find_if(sel->locations.cbegin(), sel->locations.cend(),
                                  [](const BackupLocation &l) { return l.kind == QLatin1String("s3"); });
    if (loc == sel->locations.cend())
        return;
    const auto sc = m_ctx->config().storage(loc->storage);
    if (!sc) {
        MessageBox::warning(this, tr("Copy presigned link"),
                            tr("The storage “%1” is no longer configured.").arg(loc->storage));
        return;
    }
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    struct Link {
        QString url;
        QString error;
    };
    runAsync(
        this,
        [config = *sc, key = loc->path, keychain] {
            Link out;
            QString secret;
            if (keychain && !config.accessKeyId.isEmpty()) {
                KeychainCredentialStore store;
                secret = store.read(CredentialStore::storageSecretKey(config.name)).value_or(QString());
            }
            Error e;
            const auto session = StoreFactory::s3Session(config, secret, &e);
            const auto url = session ? session->presignGet(key, S3Client::kDefaultPresignSeconds, &e) : std::nullopt;
            if (url)
                out.url = url->toString(QUrl::FullyEncoded);
            else
                out.error = e.message;
            return out;
        },
        [this, id = sel->id](const Link &l) {
            if (!l.error.isEmpty()) {
                MessageBox::warning(this, tr("Copy presigned link"), l.error);
                return;
            }
            // The link is a bearer credential: to the clipboard only, never to a log or the status bar.
            QApplication::clipboard()->setText(l.url);
            emit statusMessage(tr("A download link for backup #%1 (valid 15 minutes) was copied.").arg(id));
        });
}

} // namespace lifeboat
