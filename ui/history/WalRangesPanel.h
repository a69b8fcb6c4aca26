#pragma once

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace lifeboat {

class AppContext;

// History's view of continuous WAL capture: per profile and timeline the archived range (first … last segment), the
// number of segments and their stored size, segments missing inside the range (a gap: recovery cannot pass it), the
// partial segment beyond, and when the newest WAL was stored. Computed by WalWindow from the catalog's WAL rows on
// the catalog thread; hidden while no profile has archived WAL.
class WalRangesPanel : public QWidget {
    Q_OBJECT
public:
    enum Column { ProfileColumn, TimelineColumn, RangeColumn, SegmentsColumn, MissingColumn, NewestColumn };

    explicit WalRangesPanel(AppContext *ctx, QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }
    // Empty: every profile (History's "All profiles").
    void setProfileFilter(const QString &profile);

public slots:
    void reload();

signals:
    void reloaded();

private:
    AppContext *m_ctx;
    QString m_filter;
    QLabel *m_title;
    QTreeWidget *m_tree;
};

} // namespace lifeboat
