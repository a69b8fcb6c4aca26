#pragma once

#include "catalog/StorageConfig.h"
#include "storage/S3Config.h"

#include <QHash>
#include <QModelIndexList>
#include <QWidget>

#include <memory>

class QAction;
class QComboBox;
class QTimer;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace lifeboat {

class AppContext;
class BucketBreadcrumb;
class BucketMessageBar;
class BucketModel;
class BucketSortProxy;
class BucketTransferPanel;
class S3Client;

// The bucket browser: pick an S3 storage, walk its folders (breadcrumb, double-click/Enter, Backspace or Alt+Up for
// the parent), see what the catalog knows, and act on objects — download several (verified against their
// manifests), copy a presigned link, delete (catalogued backups through BackupDeleter so the record becomes
// DELETED), restore a recognized artifact and import artifacts the catalog lacks. Listings page in lazily; every
// network and catalog call runs off the GUI thread; failures show in the inline message bar. Local storages are not
// listed here (they are plain folders).
class BucketsPage : public QWidget {
    Q_OBJECT
public:
    explicit BucketsPage(AppContext *ctx, QWidget *parent = nullptr);
    ~BucketsPage() override;

    QComboBox *storagePicker() const { return m_storage; }
    QTableView *view() const { return m_view; }
    BucketModel *model() const { return m_model; } // null until a storage is resolved
    BucketSortProxy *proxy() const { return m_proxy; }
    BucketBreadcrumb *breadcrumb() const { return m_crumbs; }
    BucketMessageBar *messageBar() const { return m_bar; }
    QLineEdit *filterField() const { return m_filter; }
    QLabel *summary() const { return m_summary; }
    QAction *upAction() const { return m_up; }
    QAction *refreshAction() const { return m_refresh; }
    QAction *loadAllAction() const { return m_loadAll; }
    QAction *downloadAction() const { return m_download; }
    QAction *linkAction() const { return m_link; }
    QAction *restoreAction() const { return m_restore; }
    QAction *importAction() const { return m_import; }
    QAction *deleteAction() const { return m_delete; }
    QPushButton *cancelDownloadButton() const;
    QProgressBar *downloadProgress() const;

    QString currentStorage() const { return m_storageName; }
    QString currentPrefix() const;
    bool isReady() const { return m_model != nullptr; }
    void setPrefix(const QString &prefix);
    // Selects the loaded rows with these keys (replacing the selection); false when one is not loaded.
    bool selectKeys(const QStringList &keys);
    // Presigned links last this long (seconds; the link menu's choice).
    void setLinkExpiry(qint64 seconds) { m_linkExpiry = seconds; }

signals:
    void storageReady(const QString &storage); // a storage's listing can start
    void catalogIndexLoaded();
    void downloadsFinished(const QStringList &files, const QStringList &problems, bool cancelled);
    void actionFinished(const QString &action, bool ok); // "delete", "import", "restore"

protected:
    void showEvent(QShowEvent *event) override;

private:
    // New backups (our jobs, or another process seen by CatalogWatcher) may have written to the bucket: list the
    // folder again when the page is shown and the operator is not in the middle of something (a selection, a
    // download).
    void refreshIfStale();
    void buildActions();
    void reloadStorages();
    // Connects anew (credentials re-read from the keychain); `prefix` is the folder to show, empty: the root.
    void openStorage(const QString &name, const QString &prefix = {});
    void loadCatalogIndex();
    void goUp();
    void activate(const QModelIndex &proxyIndex);
    void updateActions();
    void updateSummary();
    QModelIndexList selectedSource() const; // column 0, source model
    void showContextMenu(const QPoint &pos);

    // The object actions: BucketsPageActions.cpp
    void downloadSelected();
    void copyLink();
    void deleteSelected();
    void removeObjects(const QStringList &plainKeys, const QList<qint64> &recordIds);
    void importSelected();
    void restoreSelected();
    // Imports artifactKeys on a worker; then(ids) gets the record ids (also of artifacts already known).
    void importKeys(const QStringList &keys, std::function<void(const QList<qint64> &ids)> then);

    AppContext *m_ctx;
    QComboBox *m_storage;
    BucketBreadcrumb *m_crumbs;
    QLineEdit *m_filter;
    BucketMessageBar *m_bar;
    QTableView *m_view;
    QLabel *m_summary;
    BucketTransferPanel *m_transfer;
    QAction *m_up = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_loadAll = nullptr;
    QAction *m_download = nullptr;
    QAction *m_link = nullptr;
    QAction *m_restore = nullptr;
    QAction *m_import = nullptr;
    QAction *m_delete = nullptr;

    BucketSortProxy *m_proxy;
    S3Client *m_client = nullptr;
    BucketModel *m_model = nullptr;
    QString m_storageName;
    StorageConfig m_opened; // the settings m_config was made from
    S3Config m_config;      // with its secret, in memory only
    QString m_base;         // the storage's own prefix: the breadcrumb's root
    quint64 m_generation = 0;
    bool m_fetchAll = false;
    bool m_listFailed = false;   // the last listing of this folder failed: it is not "empty"
    int m_busy = 0;              // import/delete workers in flight
    bool m_listingStale = false; // the catalog changed since this folder was listed
    QTimer *m_staleTimer = nullptr;
    qint64 m_linkExpiry = 3600;
};

} // namespace lifeboat
