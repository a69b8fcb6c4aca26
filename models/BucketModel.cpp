#include "models/BucketModel.h"

#include "models/Format.h"
#include "storage/S3Call.h"
#include "storage/S3Client.h"

#include <QLocale>

namespace lifeboat {

BucketModel::BucketModel(S3Client *client, QObject *parent)
    : QAbstractItemModel(parent)
    , m_client(client)
    , m_root(std::make_unique<Node>()) {
    m_root->folder = true;
}

BucketModel::~BucketModel() {
    cancelAll(m_root.get());
}

void BucketModel::cancelAll(Node *node) {
    if (node->call) {
        node->call->disconnect(this);
        node->call->cancel();
        node->call->deleteLater();
    }
    for (auto &child : node->children)
        cancelAll(child.get());
}

void BucketModel::setRootPrefix(const QString &prefix) {
    QString p = prefix;
    if (!p.isEmpty() && !p.endsWith(QLatin1Char('/')))
        p += QLatin1Char('/');
    beginResetModel();
    cancelAll(m_root.get());
    ++m_generation;
    m_loading = 0;
    m_root = std::make_unique<Node>();
    m_root->folder = true;
    m_root->key = p;
    endResetModel();
    emit loadingChanged(false);
}

QString BucketModel::rootPrefix() const {
    return m_root->key;
}

void BucketModel::refresh() {
    setRootPrefix(m_root->key);
}

BucketModel::Node *BucketModel::nodeFor(const QModelIndex &index) const {
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex BucketModel::indexFor(Node *node, int column) const {
    if (!node || node == m_root.get() || !node->parent)
        return {};
    const auto &siblings = node->parent->children;
    for (size_t i = 0; i < siblings.size(); ++i)
        if (siblings[i].get() == node)
            return createIndex(int(i), column, node);
    return {};
}

QString BucketModel::key(const QModelIndex &index) const {
    return nodeFor(index)->key;
}

bool BucketModel::isFolder(const QModelIndex &index) const {
    return nodeFor(index)->folder;
}

qint64 BucketModel::recordId(const QModelIndex &index) const {
    const Node *n = nodeFor(index);
    return n->folder ? 0 : m_catalog.value(n->key);
}

bool BucketModel::hasManifest(const Node *n) const {
    return !n->folder && n->parent && !n->key.endsWith(QLatin1String(".manifest.json")) &&
           n->parent->byKey.contains(n->key + QStringLiteral(".manifest.json"));
}

bool BucketModel::isArtifact(const Node *n) const {
    return !n->folder && (hasManifest(n) || m_catalog.contains(n->key));
}

bool BucketModel::hasManifest(const QModelIndex &index) const {
    return hasManifest(nodeFor(index));
}

bool BucketModel::isArtifact(const QModelIndex &index) const {
    return isArtifact(nodeFor(index));
}

qint64 BucketModel::size(const QModelIndex &index) const {
    const Node *n = nodeFor(index);
    return n->folder ? -1 : n->info.size;
}

void BucketModel::setCatalogIndex(QHash<QString, qint64> keyToRecordId) {
    m_catalog = std::move(keyToRecordId);
    emitCatalogChanged(m_root.get());
}

void BucketModel::emitCatalogChanged(Node *node) {
    if (node->children.empty())
        return;
    const QModelIndex parent = indexFor(node);
    emit dataChanged(index(0, CatalogColumn, parent), index(int(node->children.size()) - 1, CatalogColumn, parent));
    for (auto &c : node->children)
        if (c->folder)
            emitCatalogChanged(c.get());
}

void BucketModel::setIcons(const QIcon &folder, const QIcon &object) {
    m_folderIcon = folder;
    m_objectIcon = object;
}

void BucketModel::removeKeys(const QStringList &keys) {
    for (const QString &k : keys)
        removeKey(m_root.get(), k);
}

bool BucketModel::removeKey(Node *node, const QString &key) {
    if (!key.startsWith(node->key))
        return false;
    if (Node *hit = node->byKey.value(key)) {
        int row = -1;
        for (size_t i = 0; i < node->children.size(); ++i)
            if (node->children[i].get() == hit)
                row = int(i);
        if (hit->call) {
            hit->call->disconnect(this);
            hit->call->cancel();
            hit->call->deleteLater();
            if (--m_loading == 0)
                emit loadingChanged(false);
        }
        const QModelIndex parent = indexFor(node);
        beginRemoveRows(parent, row, row);
        node->byKey.remove(key);
        node->children.erase(node->children.begin() + row);
        endRemoveRows();
        // The artifact beside a removed manifest is no longer recognized by it.
        if (key.endsWith(QLatin1String(".manifest.json"))) {
            if (Node *artifact = node->byKey.value(key.chopped(int(qstrlen(".manifest.json"))))) {
                const QModelIndex a = indexFor(artifact, CatalogColumn);
                emit dataChanged(a, a);
            }
        }
        return true;
    }
    for (auto &c : node->children)
        if (c->folder && removeKey(c.get(), key))
            return true;
    return false;
}

QModelIndex BucketModel::index(int row, int column, const QModelIndex &parent) const {
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (parent.isValid() && parent.column() != 0)
        return {};
    Node *p = nodeFor(parent);
    if (size_t(row) >= p->children.size())
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex BucketModel::parent(const QModelIndex &child) const {
    if (!child.isValid())
        return {};
    return indexFor(nodeFor(child)->parent);
}

int BucketModel::rowCount(const QModelIndex &parent) const {
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeFor(parent)->children.size());
}

int BucketModel::columnCount(const QModelIndex &) const {
    return ColumnCount;
}

bool BucketModel::hasChildren(const QModelIndex &parent) const {
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *n = nodeFor(parent);
    if (!n->folder)
        return false;
    // Unknown until listed: show an expander so the view asks (fetchMore) when the user opens it.
    return !n->children.empty() || !n->complete;
}

QVariant BucketModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid())
        return {};
    const Node *n = nodeFor(index);
    if (role == KeyRole)
        return n->key;
    if (role == IsFolderRole)
        return n->folder;
    const int column = index.column();
    if (role == RawValueRole) {
        switch (column) {
        case NameColumn:
            return n->name;
        case SizeColumn:
            return n->folder ? qint64(-1) : n->info.size;
        case ModifiedColumn:
            return n->folder ? QDateTime() : n->info.lastModified;
        case CatalogColumn:
            return m_catalog.contains(n->key) ? m_catalog.value(n->key) : qint64(isArtifact(n) ? 0 : -1);
        case StorageClassColumn:
            return n->info.storageClass;
        }
        return {};
    }
    if (role == RecordIdRole)
        return n->folder ? qint64(0) : m_catalog.value(n->key);
    if (role == IsArtifactRole)
        return isArtifact(n);
    if (role == HasManifestRole)
        return hasManifest(n);
    if (role == Qt::DecorationRole && column == NameColumn) {
        const QIcon &icon = n->folder ? m_folderIcon : m_objectIcon;
        return icon.isNull() ? QVariant() : QVariant(icon);
    }
    if (column == CatalogColumn && (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
        if (n->folder)
            return {};
        if (const qint64 id = m_catalog.value(n->key))
            return role == Qt::DisplayRole ? tr("Backup #%1").arg(id)
                                           : tr("The catalog knows this artifact as backup #%1").arg(id);
        if (hasManifest(n))
            return role == Qt::DisplayRole ? tr("Not in catalog")
                                           : tr("A Lifeboat artifact with its manifest; use “Import into catalog”");
        if (n->key.endsWith(QLatin1String(".manifest.json")))
            return role == Qt::DisplayRole ? tr("Manifest") : tr("The manifest describing the artifact beside it");
        return {};
    }
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (column) {
        case NameColumn:
            return role == Qt::ToolTipRole ? n->key : n->name;
        case SizeColumn:
            if (n->folder)
                return {};
            return role == Qt::ToolTipRole ? QLocale().toString(n->info.size) + QStringLiteral(" bytes")
                                           : Format::size(n->info.size);
        case ModifiedColumn:
            return n->folder || !n->info.lastModified.isValid()
                       ? QVariant()
                       : QVariant(QLocale().toString(n->info.lastModified.toLocalTime(), QLocale::ShortFormat));
        case StorageClassColumn:
            return n->info.storageClass;
        }
    }
    if (role == Qt::TextAlignmentRole && column == SizeColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant BucketModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case SizeColumn:
        return tr("Size");
    case ModifiedColumn:
        return tr("Modified");
    case CatalogColumn:
        return tr("In catalog");
    case StorageClassColumn:
        return tr("Storage class");
    }
    return {};
}

bool BucketModel::canFetchMore(const QModelIndex &parent) const {
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *n = nodeFor(parent);
    return n->folder && !n->complete && !n->failed && !n->call;
}

void BucketModel::fetchMore(const QModelIndex &parent) {
    if (!canFetchMore(parent))
        return;
    Node *n = nodeFor(parent);
    n->started = true;
    S3Call *call = m_client->listObjects(n->key, QStringLiteral("/"), n->token, m_pageSize);
    n->call = call;
    if (m_loading++ == 0)
        emit loadingChanged(true);
    const quint64 generation = m_generation;
    connect(call, &S3Call::finished, this, [this, n, call, generation] {
        call->deleteLater();
        if (generation != m_generation)
            return; // the node is gone (reset); cancelAll() normally disconnects first
        onPage(n, call);
    });
}

void BucketModel::onPage(Node *n, S3Call *call) {
    n->call = nullptr;
    if (--m_loading == 0)
        emit loadingChanged(false);
    if (call->error()) {
        n->failed = true;
        emit loadFailed(n->key, call->error().message);
        return;
    }
    const S3ListResult &page = call->listResult();
    std::vector<std::unique_ptr<Node>> fresh;
    for (const QString &prefix : page.commonPrefixes) {
        auto c = std::make_unique<Node>();
        c->parent = n;
        c->folder = true;
        c->key = prefix;
        c->name = prefix.mid(n->key.size());
        if (n->byKey.contains(c->key))
            continue; // a page boundary repeated it
        fresh.push_back(std::move(c));
    }
    for (const S3ObjectInfo &o : page.objects) {
        if (o.key == n->key)
            continue; // the "folder marker" object some tools create for a prefix
        auto c = std::make_unique<Node>();
        c->parent = n;
        c->key = o.key;
        c->name = o.key.mid(n->key.size());
        c->info = o;
        if (n->byKey.contains(c->key))
            continue;
        fresh.push_back(std::move(c));
    }
    // Manifests in this page may recognize artifacts listed in an earlier one.
    QList<Node *> recognized;
    for (const auto &c : fresh)
        if (c->key.endsWith(QLatin1String(".manifest.json")))
            if (Node *a = n->byKey.value(c->key.chopped(int(qstrlen(".manifest.json")))))
                recognized << a;
    // State first: views and QAbstractItemModelTester call canFetchMore()/fetchMore() from inside endInsertRows().
    n->token = page.truncated ? page.nextContinuationToken : QString();
    n->complete = n->token.isEmpty();
    const QModelIndex parentIndex = indexFor(n);
    if (!fresh.empty()) {
        const int first = int(n->children.size());
        beginInsertRows(parentIndex, first, first + int(fresh.size()) - 1);
        for (auto &c : fresh) {
            n->byKey.insert(c->key, c.get());
            n->children.push_back(std::move(c));
        }
        endInsertRows();
        for (Node *a : std::as_const(recognized)) {
            const QModelIndex i = indexFor(a, CatalogColumn);
            emit dataChanged(i, i);
        }
    } else if (n->complete && n->children.empty() && parentIndex.isValid()) {
        emit dataChanged(parentIndex, parentIndex); // an empty folder: hasChildren() turned false
    }
    emit pageLoaded(n->key);
}

} // namespace lifeboat
