#pragma once

#include "catalog/Catalog.h"
#include "catalog/ScheduleRecord.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

#include <memory>

namespace lifeboat {

// The catalog's schedules as a table: name, source, cron, its readable description, the next run in the user's
// locale and time zone, the last run with its outcome, storages and whether it is enabled. reload() reads the
// catalog on the catalog thread (catalogPool) and swaps the rows in when the answer comes; next fire times are
// computed from the cron text on the GUI thread (pure arithmetic, microseconds).
class ScheduleListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        SourceColumn,
        CronColumn,
        DescriptionColumn,
        NextRunColumn,
        LastRunColumn,
        StoragesColumn,
        EnabledColumn,
        ColumnCount
    };
    enum Role {
        RawRole = Qt::UserRole, // the unformatted value (QDateTime for times, bool for enabled)
        NameRole,               // the schedule's name on every column
    };

    explicit ScheduleListModel(std::shared_ptr<Catalog> catalog, QObject *parent = nullptr);

    void reload();
    // Replaces the rows directly (the answer of reload(); also for tests).
    void setSchedules(const QList<ScheduleRecord> &schedules);
    bool isLoaded() const { return m_loaded; }
    // The profiles' default storages, shown for schedules that name none.
    void setProfileStorages(const QHash<QString, QStringList> &storages);

    const ScheduleRecord &schedule(int row) const { return m_rows.at(row); }
    int rowOf(const QString &name) const;
    // The next fire time after `now` in the schedule's zone; invalid when disabled or the cron is broken.
    static QDateTime nextRun(const ScheduleRecord &s, const QDateTime &now = QDateTime::currentDateTimeUtc());

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void loaded();

private:
    std::shared_ptr<Catalog> m_catalog;
    QList<ScheduleRecord> m_rows;
    QList<QDateTime> m_next;
    QHash<QString, QStringList> m_profileStorages;
    bool m_loaded = false;
    quint64 m_generation = 0;
};

} // namespace lifeboat
