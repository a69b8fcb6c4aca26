#include "ui/buckets/BucketsPage.h"

#include "core/CredentialStore.h"
#include "jobs/BucketArtifacts.h"
#include "models/Async.h"
#include "models/BucketModel.h"
#include "models/BucketOperations.h"
#include "models/BucketSortProxy.h"
#include "models/Format.h"
#include "storage/S3Client.h"
#include "ui/AppContext.h"
#include "ui/buckets/BucketBreadcrumb.h"
#include "ui/buckets/BucketMessageBar.h"
#include "ui/buckets/BucketTransferPanel.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QShortcut>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace lifeboat {

BucketsPage::BucketsPage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx)
    , m_storage(new QComboBox(this))
    , m_crumbs(new BucketBreadcrumb(this))
    , m_filter(new QLineEdit(this))
    , m_bar(new BucketMessageBar(this))
    , m_view(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_transfer(new BucketTransferPanel(this))
    , m_proxy(new BucketSortProxy(this)) {
    auto *layout = new QVBoxLayout(this);
    buildActions();

    auto *bar = new QToolBar(tr("Bucket actions"), this);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(18, 18));
    auto *storageLabel = new QLabel(tr("&Storage:"), this);
    storageLabel->setBuddy(m_storage);
    bar->addWidget(storageLabel);
    m_storage->setAccessibleName(tr("Storage"));
    m_storage->setToolTip(tr("The S3 storage to browse (from Settings)"));
    m_storage->setMinimumContentsLength(14);
    bar->addWidget(m_storage);
    bar->addSeparator();
    bar->addActions({m_up, m_refresh});
    bar->addSeparator();
    bar->addActions({m_download, m_link, m_restore, m_import, m_delete});
    layout->addWidget(bar);

    auto *nav = new QHBoxLayout;
    nav->addWidget(m_crumbs, 1);
    m_filter->setPlaceholderText(tr("Filter names in this folder…"));
    m_filter->setAccessibleName(tr("Filter objects by name"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(240);
    m_filter->setMaximumWidth(320);
    nav->addWidget(m_filter);
    layout->addLayout(nav);
    layout->addWidget(m_bar);

    m_proxy->setObjectName(QStringLiteral("bucketProxy"));
    m_view->setModel(m_proxy);
    m_view->setAccessibleName(tr("Objects in the bucket"));
    // A table, not a tree: QTreeView fetches every page on each relayout, a table only when its end is in sight.
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setTabKeyNavigation(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(BucketModel::NameColumn, Qt::AscendingOrder);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_view, 1);

    layout->addWidget(m_transfer);
    m_summary->setAccessibleName(tr("Listing summary"));
    m_summary->setWordWrap(true);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_summary, 1);
    auto *loadAll = new QToolButton(this);
    loadAll->setDefaultAction(m_loadAll);
    loadAll->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    loadAll->setAutoRaise(true);
    bottom->addWidget(loadAll);
    // A lone tool button follows its action's text and state but not its visibility.
    connect(m_loadAll, &QAction::visibleChanged, loadAll,
            [this, loadAll] { loadAll->setVisible(m_loadAll->isVisible()); });
    layout->addLayout(bottom);

    // Backspace goes up only from the listing (in the filter box it edits text).
    auto *back = new QShortcut(QKeySequence(Qt::Key_Backspace), m_view, nullptr, nullptr, Qt::WidgetShortcut);
    connect(back, &QShortcut::activated, this, &BucketsPage::goUp);
    auto *find = new QShortcut(QKeySequence::Find, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, m_filter, qOverload<>(&QWidget::setFocus));

    connect(m_storage, &QComboBox::currentIndexChanged, this,
            [this] { openStorage(m_storage->currentData().toString()); });
    connect(m_crumbs, &BucketBreadcrumb::prefixActivated, this, &BucketsPage::setPrefix);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        updateSummary();
    });
    // activated: Enter, and a double click (or the platform's single click) — a folder opens.
    connect(m_view, &QTableView::activated, this, &BucketsPage::activate);
    connect(m_view, &QTableView::customContextMenuRequested, this, &BucketsPage::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BucketsPage::updateActions);
    connect(m_transfer, &BucketTransferPanel::finished, this, [this](const BucketDownloader::Outcome &o) {
        updateActions();
        bool error = false;
        const QString text = BucketTransferPanel::describe(o, &error);
        m_bar->showMessage(error ? BucketMessageBar::Kind::Error : BucketMessageBar::Kind::Information, text,
                           (error ? o.problems : o.files).join(QLatin1Char('\n')));
        emit downloadsFinished(o.files, o.problems, o.cancelled);
    });
    connect(m_ctx, &AppContext::configChanged, this, &BucketsPage::reloadStorages);
    connect(m_ctx, &AppContext::catalogChanged, this, &BucketsPage::loadCatalogIndex);
    m_staleTimer = new QTimer(this);
    m_staleTimer->setSingleShot(true);
    m_staleTimer->setInterval(1500); // one listing for a burst of changes (a set's members, a prune)
    connect(m_staleTimer, &QTimer::timeout, this, &BucketsPage::refreshIfStale);
    connect(m_ctx, &AppContext::catalogChanged, this, [this] {
        m_listingStale = true;
        m_staleTimer->start();
    });
    // Until the keychain has answered, a storage whose secret lives there cannot connect: retry once it has.
    connect(m_ctx, &AppContext::keychainChanged, this, [this] {
        if (!m_model && !m_storageName.isEmpty())
            openStorage(m_storageName);
    });
    // The connection holds the secret it was made with: a secret changed in the storage editor reconnects.
    connect(m_ctx, &AppContext::secretChanged, this, [this](const QString &key) {
        if (!m_storageName.isEmpty() && key == CredentialStore::storageSecretKey(m_storageName))
            openStorage(m_storageName, currentPrefix());
    });
    reloadStorages();
    updateActions();
}

QPushButton *BucketsPage::cancelDownloadButton() const {
    return m_transfer->cancelButton();
}

QProgressBar *BucketsPage::downloadProgress() const {
    return m_transfer->progressBar();
}

BucketsPage::~BucketsPage() {
    m_proxy->setSourceModel(nullptr);
    delete m_model; // before the client it lists through
    delete m_client;
}

void BucketsPage::buildActions() {
    auto act = [&](const QString &icon, const QString &text, const QList<QKeySequence> &keys = {}) {
        auto *a = new QAction(QIcon(icon), text, this);
        if (!keys.isEmpty()) {
            a->setShortcuts(keys);
            a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        }
        addAction(a);
        return a;
    };
    m_up = act({}, tr("Up"), {QKeySequence(Qt::ALT | Qt::Key_Up)});
    m_up->setIcon(style()->standardIcon(QStyle::SP_FileDialogToParent));
    m_up->setToolTip(tr("Open the parent folder (Alt+Up, Backspace)"));
    m_refresh = act(QStringLiteral(":/icons/refresh.svg"), tr("Refresh"), {QKeySequence::Refresh});
    m_download = act(QStringLiteral(":/icons/download.svg"), tr("Download…"), {QKeySequence(tr("Ctrl+D"))});
    m_link = act(QStringLiteral(":/icons/link.svg"), tr("Copy link"), {QKeySequence(tr("Ctrl+Shift+C"))});
    m_link->setToolTip(tr("Copy a presigned download link to the clipboard"));
    m_restore = act(QStringLiteral(":/icons/restore.svg"), tr("Restore…"));
    m_import = act(QStringLiteral(":/icons/add.svg"), tr("Import into catalog"));
    m_import->setToolTip(tr("Add artifacts the catalog does not know, from the manifest beside them"));
    m_delete = act(QStringLiteral(":/icons/delete.svg"), tr("Delete…"), {QKeySequence::Delete});
    m_loadAll = act({}, tr("Load all"));
    m_loadAll->setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
    m_loadAll->setToolTip(tr("Keep listing until every object of this folder is loaded"));

    auto *expiry = new QMenu(this);
    auto *group = new QActionGroup(expiry);
    const QList<QPair<QString, qint64>> choices = {
        {tr("Valid for 15 minutes"), 900},
        {tr("Valid for 1 hour"), 3600},
        {tr("Valid for 1 day"), 86400},
        {tr("Valid for 7 days (the maximum)"), S3Client::kMaxPresignSeconds}};
    for (const auto &c : choices) {
        QAction *a = expiry->addAction(c.first);
        a->setCheckable(true);
        a->setChecked(c.second == m_linkExpiry);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, secs = c.second] {
            m_linkExpiry = secs;
            copyLink();
        });
    }
    m_link->setMenu(expiry);

    connect(m_up, &QAction::triggered, this, &BucketsPage::goUp);
    // Refresh connects anew, so a secret corrected (or broken) since the last listing is the one used.
    connect(m_refresh, &QAction::triggered, this, [this] {
        const QString name = m_storage->currentData().toString();
        openStorage(name, name == m_storageName ? currentPrefix() : QString());
    });
    connect(m_loadAll, &QAction::triggered, this, [this] {
        m_fetchAll = true;
        if (m_model && !m_model->isLoading() && m_model->canFetchMore({}))
            m_model->fetchMore({});
    });
    connect(m_download, &QAction::triggered, this, &BucketsPage::downloadSelected);
    connect(m_link, &QAction::triggered, this, &BucketsPage::copyLink);
    connect(m_restore, &QAction::triggered, this, &BucketsPage::restoreSelected);
    connect(m_import, &QAction::triggered, this, &BucketsPage::importSelected);
    connect(m_delete, &QAction::triggered, this, &BucketsPage::deleteSelected);
}

void BucketsPage::reloadStorages() {
    const QString current = m_storage->currentData().toString();
    QSignalBlocker block(m_storage);
    m_storage->clear();
    for (const StorageConfig &sc : m_ctx->config().storages())
        if (sc.isS3())
            m_storage->addItem(QIcon(QStringLiteral(":/icons/storage.svg")), sc.name, sc.name);
    const int i = m_storage->findData(current);
    m_storage->setCurrentIndex(i < 0 ? 0 : i);
    const QString chosen = m_storage->currentData().toString();
    const auto sc = m_ctx->config().storage(chosen);
    // Reconnect when another storage is chosen or the settings of this one changed (endpoint, prefix, keys…).
    const auto connection = [](const StorageConfig &c) {
        return QStringList{
            c.endpoint,    c.bucket,     c.region, c.prefix, c.pathStyle ? QStringLiteral("path-style") : QString(),
            c.accessKeyId, c.awsProfile, c.caFile};
    };
    if (chosen != m_storageName || !sc || connection(*sc) != connection(m_opened))
        openStorage(chosen);
}

void BucketsPage::openStorage(const QString &name, const QString &prefix) {
    ++m_generation;
    m_proxy->setSourceModel(nullptr);
    delete m_model;
    delete m_client;
    m_model = nullptr;
    m_client = nullptr;
    m_storageName = name;
    m_listingStale = false;
    m_bar->dismiss();
    m_crumbs->setPath(name, {}, {});
    updateActions();
    const auto sc = m_ctx->config().storage(name);
    m_opened = sc.value_or(StorageConfig{});
    if (name.isEmpty() || !sc) {
        m_summary->setText(tr("No S3 storage is configured. Add one in Settings → Storages to browse its bucket. "
                              "(Local storages are ordinary folders and are not browsed here.)"));
        return;
    }
    if (!sc->accessKeyId.isEmpty() && !m_ctx->keychainKnown()) {
        // Its secret is in the keychain, which has not answered yet: keychainChanged opens it then. Resolving now
        // would claim the storage has no credentials.
        m_summary->setText(tr("Reading the secret of “%1” from the keychain…").arg(name));
        return;
    }
    m_summary->setText(tr("Connecting to “%1”…").arg(name));
    const quint64 generation = m_generation;
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    runAsync(
        this, [sc = *sc, keychain] { return BucketOperations::resolve(sc, keychain); },
        [this, generation, name, prefix](const BucketOperations::Resolved &r) {
            if (generation != m_generation)
                return;
            if (!r.config) {
                m_summary->setText(tr("Storage “%1” cannot be opened.").arg(name));
                m_bar->showError(tr("Cannot open storage “%1”. Check its settings and credentials.").arg(name),
                                 r.error.message);
                return;
            }
            m_config = *r.config;
            m_client = new S3Client(m_config, this);
            m_model = new BucketModel(m_client, this);
            m_model->setIcons(style()->standardIcon(QStyle::SP_DirIcon), style()->standardIcon(QStyle::SP_FileIcon));
            connect(m_model, &BucketModel::loadFailed, this, [this](const QString &prefix, const QString &message) {
                m_fetchAll = false;
                m_listFailed = true;
                m_bar->showError(tr("Listing “%1” in bucket %2 failed. Refresh to try again.")
                                     .arg(prefix.isEmpty() ? QStringLiteral("/") : prefix, m_config.bucket),
                                 message);
                updateSummary();
            });
            connect(m_model, &BucketModel::pageLoaded, this, [this](const QString &prefix) {
                if (m_fetchAll && prefix == m_model->rootPrefix() && m_model->canFetchMore({}))
                    m_model->fetchMore({});
                updateSummary();
            });
            connect(m_model, &BucketModel::loadingChanged, this, &BucketsPage::updateSummary);
            connect(m_model, &BucketModel::rowsRemoved, this, &BucketsPage::updateSummary);
            m_proxy->setSourceModel(m_model);
            const QList<QPair<int, int>> widths = {{BucketModel::NameColumn, 420},
                                                   {BucketModel::SizeColumn, 90},
                                                   {BucketModel::ModifiedColumn, 150},
                                                   {BucketModel::CatalogColumn, 130}};
            for (const auto &w : widths)
                m_view->horizontalHeader()->resizeSection(w.first, w.second);
            m_base = m_config.keyFor(QString());
            if (!m_base.isEmpty() && !m_base.endsWith(QLatin1Char('/')))
                m_base += QLatin1Char('/');
            setPrefix(prefix.isEmpty() ? m_base : prefix);
            loadCatalogIndex();
            emit storageReady(name);
        });
}

void BucketsPage::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    refreshIfStale();
}

void BucketsPage::refreshIfStale() {
    if (!m_listingStale || !m_model || !isVisible() || m_model->isLoading() || m_busy > 0 || m_transfer->isRunning() ||
        m_view->selectionModel()->hasSelection())
        return;
    m_listingStale = false;
    m_model->refresh();
}

void BucketsPage::loadCatalogIndex() {
    if (!m_model)
        return;
    const quint64 generation = m_generation;
    runAsync(
        this,
        [catalog = m_ctx->catalog(), name = m_storageName] { return BucketOperations::catalogIndex(*catalog, name); },
        [this, generation](const QHash<QString, qint64> &index) {
            if (generation != m_generation || !m_model)
                return;
            m_model->setCatalogIndex(index);
            updateActions();
            emit catalogIndexLoaded();
        },
        catalogPool());
}

QString BucketsPage::currentPrefix() const {
    return m_model ? m_model->rootPrefix() : QString();
}

void BucketsPage::setPrefix(const QString &prefix) {
    if (!m_model)
        return;
    m_fetchAll = false;
    m_listFailed = false;
    const QString p = prefix.startsWith(m_base) ? prefix : m_base;
    {
        QSignalBlocker block(m_filter);
        m_filter->clear();
        m_proxy->setFilterFixedString({});
    }
    m_model->setRootPrefix(p);
    QString rootLabel = m_config.bucket;
    if (!m_base.isEmpty())
        rootLabel += QLatin1Char('/') + m_base.chopped(1);
    m_crumbs->setPath(rootLabel, m_base, m_model->rootPrefix());
    if (m_model->canFetchMore({}))
        m_model->fetchMore({});
    updateActions();
    updateSummary();
}

bool BucketsPage::selectKeys(const QStringList &keys) {
    QItemSelection selection;
    int found = 0;
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const QModelIndex i = m_proxy->index(r, 0);
        if (keys.contains(i.data(BucketModel::KeyRole).toString())) {
            selection.select(i, m_proxy->index(r, BucketModel::ColumnCount - 1));
            ++found;
        }
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (!selection.isEmpty())
        m_view->selectionModel()->setCurrentIndex(selection.indexes().first(), QItemSelectionModel::NoUpdate);
    return found == keys.size();
}

void BucketsPage::goUp() {
    const QString p = currentPrefix();
    if (!m_model || p == m_base || p.isEmpty())
        return;
    const QString trimmed = p.chopped(1);
    const int slash = trimmed.lastIndexOf(QLatin1Char('/'));
    const QString parent = slash < 0 ? QString() : trimmed.left(slash + 1);
    setPrefix(parent.size() < m_base.size() ? m_base : parent);
}

void BucketsPage::activate(const QModelIndex &proxyIndex) {
    if (!m_model || !proxyIndex.isValid())
        return;
    const QModelIndex source = m_proxy->mapToSource(proxyIndex.siblingAtColumn(0));
    if (m_model->isFolder(source))
        setPrefix(m_model->key(source));
}

QModelIndexList BucketsPage::selectedSource() const {
    QModelIndexList out;
    if (!m_model)
        return out;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows(0))
        out << m_proxy->mapToSource(i);
    return out;
}

void BucketsPage::updateActions() {
    const QModelIndexList rows = selectedSource();
    int objects = 0, importable = 0;
    for (const QModelIndex &i : rows) {
        if (m_model->isFolder(i))
            continue;
        ++objects;
        importable += m_model->hasManifest(i) && m_model->recordId(i) == 0;
    }
    const bool one = rows.size() == 1 && objects == 1;
    const bool idle = m_busy == 0;
    const bool artifact = one && !BucketArtifacts::isManifestKey(m_model->key(rows.first())) &&
                          (m_model->recordId(rows.first()) > 0 || m_model->hasManifest(rows.first()));
    m_download->setEnabled(objects > 0 && !m_transfer->isRunning());
    m_link->setEnabled(one);
    m_restore->setEnabled(artifact && idle);
    m_import->setEnabled(importable > 0 && idle);
    m_delete->setEnabled(objects > 0 && idle);
    m_up->setEnabled(m_model && currentPrefix() != m_base);
    m_refresh->setEnabled(!m_storageName.isEmpty());
    const bool more = m_model && m_model->canFetchMore({});
    m_loadAll->setVisible(more); // an invisible action is also disabled
    m_loadAll->setEnabled(more);
    m_restore->setToolTip(artifact && m_model->recordId(rows.first()) == 0
                              ? tr("Import this artifact into the catalog, then open the restore wizard on it")
                              : tr("Open the restore wizard on this backup"));
}

void BucketsPage::updateSummary() {
    if (!m_model)
        return;
    int folders = 0, objects = 0;
    qint64 bytes = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QModelIndex i = m_model->index(r, 0);
        if (m_model->isFolder(i)) {
            ++folders;
        } else {
            ++objects;
            bytes += m_model->size(i);
        }
    }
    QString text = tr("%L1 folders · %L2 objects · %3").arg(folders).arg(objects).arg(Format::size(bytes));
    if (!m_filter->text().isEmpty())
        text += QStringLiteral(" · ") + tr("%L1 match the filter").arg(m_proxy->rowCount());
    if (m_model->isLoading())
        text += QStringLiteral(" · ") + tr("loading…");
    else if (m_model->canFetchMore({}))
        text += QStringLiteral(" · ") + tr("more in the bucket: scroll down or “Load all”");
    else if (folders + objects == 0)
        text = m_listFailed ? tr("Nothing listed: the listing failed (see the message above).")
                            : tr("This folder is empty.");
    m_summary->setText(text);
    const bool more = m_model->canFetchMore({}) || (m_fetchAll && m_model->isLoading());
    m_loadAll->setVisible(more);
    m_loadAll->setEnabled(more);
}

void BucketsPage::showContextMenu(const QPoint &pos) {
    // popup() returns at once (no nested loop); the menu deletes itself when closed.
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const QModelIndex at = m_view->indexAt(pos);
    if (at.isValid() && m_model && m_model->isFolder(m_proxy->mapToSource(at.siblingAtColumn(0)))) {
        QAction *open = menu->addAction(tr("Open"));
        connect(open, &QAction::triggered, this, [this, at] { activate(at); });
        menu->addSeparator();
    }
    menu->addActions({m_download, m_link, m_restore, m_import});
    menu->addSeparator();
    menu->addAction(m_delete);
    menu->addSeparator();
    menu->addActions({m_up, m_refresh});
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

} // namespace lifeboat
