#pragma once

#include <QDate>
#include <QSortFilterProxyModel>

namespace lifeboat {

class BackupHistoryModel;
struct BackupRecord;

// Sorts BackupHistoryModel on its raw values (dates as dates, sizes as numbers) and filters the loaded rows by
// type, status, profile, a date range (local dates, inclusive) and free text. The history page also pushes the
// structured filters down to the catalog query so rare matches need not be scrolled for; this proxy keeps the
// view exact for rows already loaded and does the free-text part the catalog cannot.
class HistoryFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit HistoryFilterProxy(QObject *parent = nullptr);

    void setTypeFilter(const QString &type);     // "" = any; DAILY matches "DAILY,WEEKLY"
    void setStatusFilter(const QString &status); // "" = any
    void setProfileFilter(const QString &profile);
    void setDateRange(const QDate &from, const QDate &to); // invalid = open end
    void setText(const QString &text);

    QString typeFilter() const { return m_type; }
    QString statusFilter() const { return m_status; }
    QString profileFilter() const { return m_profile; }
    QString text() const { return m_text; }

    void setSourceModel(QAbstractItemModel *model) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    bool accepts(const BackupRecord &r, const QString *search) const;
    void refilter();

    const BackupHistoryModel *m_history = nullptr; // the source, when it is one: rows read without QVariant
    QString m_type;
    QString m_status;
    QString m_profile;
    QDate m_from;
    QDate m_to;
    QString m_text;
    QStringList m_words;
};

} // namespace lifeboat
