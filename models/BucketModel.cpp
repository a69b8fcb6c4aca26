#include "models/BucketModel.h"

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
        case StorageClassColumn:
            return n->info.storageClass;
        }
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
                                           : QLocale().formattedDataSize(n->info.size);
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
        fresh.push_back(std::move(c));
    }
    // State first: views and QAbstractItemModelTester call canFetchMore()/fetchMore() from inside endInsertRows().
    n->token = page.truncated ? page.nextContinuationToken : QString();
    n->complete = n->token.isEmpty();
    const QModelIndex parentIndex = indexFor(n);
    if (!fresh.empty()) {
        const int first = int(n->children.size());
        beginInsertRows(parentIndex, first, first + int(fresh.size()) - 1);
        for (auto &c : fresh)
            n->children.push_back(std::move(c));
        endInsertRows();
    } else if (n->complete && n->children.empty() && parentIndex.isValid()) {
        emit dataChanged(parentIndex, parentIndex); // an empty folder: hasChildren() turned false
    }
    emit pageLoaded(n->key);
}

} // namespace lifeboat
