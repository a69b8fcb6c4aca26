#include "models/CatalogWatcher.h"

#include "models/Async.h"

#include <QFileInfo>
#include <QStringList>

namespace lifeboat {

namespace {
QString fileStamp(const QString &path) {
    const QFileInfo fi(path);
    if (!fi.exists())
        return QStringLiteral("-");
    return QStringLiteral("%1@%2").arg(fi.size()).arg(fi.lastModified().toMSecsSinceEpoch());
}

// Cheap on purpose: one COUNT, one newest row, the schedule rows (a handful) and two stat() calls.
QString fingerprint(const std::shared_ptr<Catalog> &catalog, const QString &path) {
    QStringList parts;
    parts << QString::number(catalog->count(CatalogFilter{}));
    CatalogFilter newest;
    newest.limit = 1;
    const QList<BackupRecord> top = catalog->list(newest);
    if (!top.isEmpty()) {
        const BackupRecord &r = top.first();
        parts << QString::number(r.id) << r.status << r.finished.toString(Qt::ISODateWithMs)
              << r.verifiedAt.toString(Qt::ISODateWithMs);
    }
    for (const ScheduleRecord &s : catalog->schedules())
        parts << s.name << s.lastCheck.toString(Qt::ISODate) << QString::number(s.lastBackupId);
    if (!path.isEmpty())
        parts << fileStamp(path) << fileStamp(path + QStringLiteral("-wal"));
    return parts.join(QLatin1Char('|'));
}
} // namespace

CatalogWatcher::CatalogWatcher(std::shared_ptr<Catalog> catalog, QString sqlitePath, QObject *parent)
    : QObject(parent)
    , m_catalog(std::move(catalog))
    , m_path(std::move(sqlitePath)) {
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &CatalogWatcher::poll);
}

void CatalogWatcher::start() {
    m_timer.start();
    poll(); // the baseline
}

void CatalogWatcher::poll() {
    if (m_busy || !m_catalog)
        return;
    m_busy = true;
    runAsync(
        this, [catalog = m_catalog, path = m_path] { return fingerprint(catalog, path); },
        [this](const QString &print) {
            m_busy = false;
            ++m_polls;
            const bool first = m_last.isNull();
            const bool differs = print != m_last;
            m_last = print;
            if (!first && differs)
                emit changed();
        },
        catalogPool());
}

} // namespace lifeboat
