#include "models/BackupHistoryModel.h"

#include "models/Async.h"
#include "models/Format.h"

#include <QColor>
#include <QLocale>
#include <QStringList>

namespace lifeboat {

BackupHistoryModel::BackupHistoryModel(std::shared_ptr<Catalog> catalog, QObject *parent)
    : QAbstractTableModel(parent)
    , m_catalog(std::move(catalog)) {}

void BackupHistoryModel::setCatalogFilter(const CatalogFilter &filter) {
    m_filter = filter;
    m_filter.limit = -1;
    m_filter.offset = 0;
    reload();
}

void BackupHistoryModel::reload() {
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_search.clear();
    m_rowOfId.clear();
    m_total = 0;
    endResetModel();
    emit totalCountChanged(0);
    startLoad(0, true);
}

void BackupHistoryModel::startLoad(int offset, bool withCount) {
    setLoading(true);
    const quint64 generation = m_generation;
    CatalogFilter f = m_filter;
    f.limit = m_pageSize;
    f.offset = offset;
    runAsync(
        this,
        [catalog = m_catalog, f, withCount] {
            Page p;
            if (withCount) {
                CatalogFilter all = f;
                all.limit = -1;
                all.offset = 0;
                p.total = catalog->count(all);
            }
            p.records = catalog->list(f);
            p.search.reserve(p.records.size());
            for (const BackupRecord &r : std::as_const(p.records))
                p.search << searchText(r);
            return p;
        },
        [this, generation](const Page &p) { applyPage(generation, p); }, catalogPool());
}

void BackupHistoryModel::applyPage(quint64 generation, const Page &page) {
    if (generation != m_generation)
        return; // a reload started meanwhile; its own answer is on the way
    if (page.total >= 0 && page.total != m_total) {
        m_total = page.total;
        emit totalCountChanged(m_total);
    }
    // Offsets shift when records are added between pages; never show one twice.
    QList<int> fresh;
    fresh.reserve(page.records.size());
    for (int i = 0; i < page.records.size(); ++i) {
        if (!m_rowOfId.contains(page.records.at(i).id))
            fresh.append(i);
    }
    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        for (int i : std::as_const(fresh)) {
            m_rowOfId.insert(page.records.at(i).id, int(m_rows.size()));
            m_rows.append(page.records.at(i));
            m_search.append(page.search.value(i));
        }
        endInsertRows();
    }
    // A short page means the end, whatever the count said when it was taken.
    if (page.records.size() < m_pageSize && m_total != int(m_rows.size())) {
        m_total = int(m_rows.size());
        emit totalCountChanged(m_total);
    }
    setLoading(false);
    emit pageLoaded(int(fresh.size()));
}

void BackupHistoryModel::setLoading(bool loading) {
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

bool BackupHistoryModel::canFetchMore(const QModelIndex &parent) const {
    return !parent.isValid() && !m_loading && m_rows.size() < m_total;
}

void BackupHistoryModel::fetchMore(const QModelIndex &parent) {
    if (canFetchMore(parent))
        startLoad(int(m_rows.size()), false);
}

const BackupRecord *BackupHistoryModel::record(int row) const {
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int BackupHistoryModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BackupHistoryModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QColor BackupHistoryModel::statusColor(const QString &status) {
    if (status == BackupRecord::statusCompleted())
        return QColor(0x2e, 0x8b, 0x57);
    if (status == BackupRecord::statusFailed())
        return QColor(0xc6, 0x28, 0x28);
    if (status == BackupRecord::statusInProgress())
        return QColor(0x2e, 0x7d, 0xd7);
    if (status == BackupRecord::statusCancelled())
        return QColor(0xb2, 0x6a, 0x00);
    return QColor(0x75, 0x75, 0x75); // EXPIRED, DELETED
}

QColor BackupHistoryModel::typeColor(const QString &type) {
    if (type.contains(QLatin1String("MONTHLY")))
        return QColor(0x6a, 0x3d, 0x9a);
    if (type.contains(QLatin1String("WEEKLY")))
        return QColor(0x00, 0x83, 0x8f);
    if (type.contains(QLatin1String("DAILY")))
        return QColor(0x2e, 0x7d, 0xd7);
    return QColor(0x60, 0x6c, 0x7a);
}

namespace {
QString storages(const BackupRecord &r) {
    QStringList names;
    for (const BackupLocation &l : r.locations)
        names << l.storage;
    return names.join(QStringLiteral(", "));
}
QString verifiedText(const BackupRecord &r) {
    if (r.verifyOutcome.isEmpty())
        return BackupHistoryModel::tr("not yet");
    if (r.verifyOutcome == QLatin1String("PASSED"))
        return BackupHistoryModel::tr("passed %1").arg(Format::dateTime(r.verifiedAt));
    return BackupHistoryModel::tr("FAILED %1").arg(Format::dateTime(r.verifiedAt));
}
} // namespace

QString BackupHistoryModel::searchText(const BackupRecord &r) {
    return QStringList{
        QString::number(r.id), r.profile, r.database, r.kind,         r.type, r.filename, r.status, r.label, r.error,
        storages(r),           r.sha256,  r.format,   r.serverVersion}
        .join(QLatin1Char('\n'))
        .toLower();
}

QVariant BackupHistoryModel::display(const BackupRecord &r, int column) const {
    switch (column) {
    case DateColumn:
        return Format::dateTime(r.started);
    case ProfileColumn:
        return r.profile;
    case DatabaseColumn:
        return r.database;
    case KindColumn:
        return r.kind;
    case TypeColumn:
        return r.type;
    case SizeColumn:
        return sizeText(r);
    case DurationColumn:
        return Format::duration(r.durationMs);
    case StatusColumn:
        return r.status;
    case StorageColumn:
        return storages(r);
    case VerifiedColumn:
        return verifiedText(r);
    }
    return {};
}

QVariant BackupHistoryModel::raw(const BackupRecord &r, int column) const {
    switch (column) {
    case DateColumn:
        return r.started;
    case ProfileColumn:
        return r.profile;
    case DatabaseColumn:
        return r.database;
    case KindColumn:
        return r.kind;
    case TypeColumn:
        return r.type;
    case SizeColumn:
        return r.size;
    case DurationColumn:
        return r.durationMs;
    case StatusColumn:
        return r.status;
    case StorageColumn:
        return storages(r);
    case VerifiedColumn:
        return r.verifiedAt.isValid() ? QVariant(r.verifiedAt) : QVariant(QDateTime());
    }
    return {};
}

int BackupHistoryModel::compareRaw(const BackupRecord &a, const BackupRecord &b, int column) {
    auto cmp = [](const auto &x, const auto &y) { return x < y ? -1 : (y < x ? 1 : 0); };
    auto dates = [](const QDateTime &x, const QDateTime &y) {
        // Missing dates (never verified) sort before any real one.
        if (x.isValid() != y.isValid())
            return x.isValid() ? 1 : -1;
        return x < y ? -1 : (y < x ? 1 : 0);
    };
    switch (column) {
    case DateColumn:
        return dates(a.started, b.started);
    case ProfileColumn:
        return a.profile.compare(b.profile);
    case DatabaseColumn:
        return a.database.compare(b.database);
    case KindColumn:
        return a.kind.compare(b.kind);
    case TypeColumn:
        return a.type.compare(b.type);
    case SizeColumn:
        return cmp(a.size, b.size);
    case DurationColumn:
        return cmp(a.durationMs, b.durationMs);
    case StatusColumn:
        return a.status.compare(b.status);
    case StorageColumn:
        return storages(a).compare(storages(b));
    case VerifiedColumn:
        return dates(a.verifiedAt, b.verifiedAt);
    }
    return 0;
}

QVariant BackupHistoryModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BackupRecord &r = m_rows.at(index.row());
    const int c = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(r, c);
    case Qt::AccessibleTextRole:
        return display(r, c).toString();
    case RawRole:
        return raw(r, c);
    case RecordIdRole:
        return r.id;
    case BadgeColorRole:
        if (c == StatusColumn)
            return statusColor(r.status);
        if (c == TypeColumn)
            return typeColor(r.type);
        return {};
    case SearchTextRole:
        return m_search.at(index.row());
    case CompressionRatioRole:
        return r.bytesRead > 0 ? QVariant(double(r.size) / double(r.bytesRead)) : QVariant();
    case Qt::TextAlignmentRole:
        if (c == SizeColumn || c == DurationColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (c == StatusColumn && !r.error.isEmpty())
            return r.error;
        if (c == DateColumn)
            return tr("#%1 %2%3")
                .arg(r.id)
                .arg(r.filename, r.label.isEmpty() ? QString() : QStringLiteral(" — ") + r.label);
        if (c == SizeColumn && r.bytesRead > 0)
            return tr("%L1 bytes stored, %L2 bytes read before compression (%3)")
                .arg(r.size)
                .arg(r.bytesRead)
                .arg(r.compression.isEmpty() ? tr("no compression recorded") : r.compression);
        if (c == SizeColumn)
            return tr("%L1 bytes").arg(r.size);
        return {};
    }
    return {};
}

QString BackupHistoryModel::sizeText(const BackupRecord &r) {
    if (r.size <= 0)
        return {};
    if (r.bytesRead <= 0)
        return Format::size(r.size);
    return QStringLiteral("%1 (%2)").arg(Format::size(r.size),
                                         QLocale().toString(double(r.size) / double(r.bytesRead), 'f', 2));
}

QVariant BackupHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case DateColumn:
        return tr("Date");
    case ProfileColumn:
        return tr("Profile");
    case DatabaseColumn:
        return tr("Database");
    case KindColumn:
        return tr("Kind");
    case TypeColumn:
        return tr("Type");
    case SizeColumn:
        return tr("Size");
    case DurationColumn:
        return tr("Duration");
    case StatusColumn:
        return tr("Status");
    case StorageColumn:
        return tr("Storage");
    case VerifiedColumn:
        return tr("Verified");
    }
    return {};
}

} // namespace lifeboat
