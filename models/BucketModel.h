#pragma once

#include "storage/S3Types.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QIcon>
#include <QPointer>

#include <memory>
#include <vector>

namespace lifeboat {

class S3Call;
class S3Client;

// A bucket as a tree: common prefixes ("folders", delimiter '/') and objects under a root prefix. Folders load
// lazily, one ListObjectsV2 page per fetchMore() (canFetchMore stays true while a continuation token remains),
// through the asynchronous S3Client that lives in the model's thread — the GUI never waits. Columns: name,
// size, last modified, "in catalog", storage class; RawValueRole gives sortable values (qint64 size, QDateTime,
// record id) for proxies. An object is a recognized artifact when its manifest (KEY.manifest.json) is listed
// beside it or the catalog index (setCatalogIndex) names it.
class BucketModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, ModifiedColumn, CatalogColumn, StorageClassColumn, ColumnCount };
    enum Role {
        RawValueRole = Qt::UserRole + 1, // the column's value unformatted (size -1 for folders; catalog: the record
                                         // id, 0 for an artifact the catalog lacks, -1 for anything else)
        KeyRole,                         // full object key or prefix
        IsFolderRole,
        RecordIdRole,    // qint64: the catalog record of this object, 0 when none
        IsArtifactRole,  // bool: a manifest is listed beside it, or the catalog knows it
        HasManifestRole, // bool: KEY.manifest.json is listed in the same folder
    };

    // client must live in this model's thread and outlive the model.
    explicit BucketModel(S3Client *client, QObject *parent = nullptr);
    ~BucketModel() override;

    // Lists under prefix ("" = the whole bucket; "team/" = that folder). Resets the model.
    void setRootPrefix(const QString &prefix);
    QString rootPrefix() const;
    void setPageSize(int maxKeys) { m_pageSize = maxKeys; } // 0 = the server's default (1000)
    // Forgets everything loaded and starts again (also clears a failed folder).
    void refresh();

    // Object key → catalog record id for this bucket (see BucketArtifacts::catalogued). Updates the shown rows.
    void setCatalogIndex(QHash<QString, qint64> keyToRecordId);
    qint64 recordIdOf(const QString &key) const { return m_catalog.value(key); }
    // Icons for folders and objects in the name column (the view supplies its style's).
    void setIcons(const QIcon &folder, const QIcon &object);
    // Drops loaded rows whose key is in `keys` (after they were deleted), without listing again.
    void removeKeys(const QStringList &keys);

    QString key(const QModelIndex &index) const;
    bool isFolder(const QModelIndex &index) const;
    qint64 recordId(const QModelIndex &index) const;
    bool hasManifest(const QModelIndex &index) const;
    bool isArtifact(const QModelIndex &index) const;
    qint64 size(const QModelIndex &index) const;
    bool isLoading() const { return m_loading > 0; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void pageLoaded(const QString &prefix);
    // A listing failed (already redacted); the folder stops fetching until refresh().
    void loadFailed(const QString &prefix, const QString &message);
    void loadingChanged(bool loading);

private:
    struct Node {
        Node *parent = nullptr;
        QString key;  // prefix (ending in '/') for folders
        QString name; // shown: last segment
        bool folder = false;
        S3ObjectInfo info;
        std::vector<std::unique_ptr<Node>> children;
        QHash<QString, Node *> byKey; // children by key (manifest lookups)
        QString token;                // continuation token of the next page
        bool started = false;
        bool complete = false;
        bool failed = false;
        QPointer<S3Call> call;
    };

    Node *nodeFor(const QModelIndex &index) const;
    QModelIndex indexFor(Node *node, int column = 0) const;
    void onPage(Node *node, S3Call *call);
    void cancelAll(Node *node);
    bool hasManifest(const Node *node) const;
    bool isArtifact(const Node *node) const;
    void emitCatalogChanged(Node *node);
    bool removeKey(Node *node, const QString &key);

    S3Client *m_client;
    std::unique_ptr<Node> m_root;
    int m_pageSize = 0;
    int m_loading = 0;
    quint64 m_generation = 0; // answers from before a reset are dropped
    QHash<QString, qint64> m_catalog;
    QIcon m_folderIcon;
    QIcon m_objectIcon;
};

} // namespace lifeboat
