#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace lifeboat {

class ActivityModel;
class AppContext;

// The audit trail (issue 18): who backed up, restored, verified, downloaded, deleted or changed what, from which
// program, newest first. A filter line narrows it (action, target or detail text; "user:NAME" for one OS user);
// rows load a page at a time as the table scrolls. Reloads when shown and when the catalog or settings change.
class ActivityPage : public QWidget {
    Q_OBJECT
public:
    explicit ActivityPage(AppContext *ctx, QWidget *parent = nullptr);

    ActivityModel *model() const { return m_model; }
    QLineEdit *filterField() const { return m_filter; }
    QTableView *view() const { return m_view; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    void applyFilter();
    void updateCount();

    AppContext *m_ctx;
    ActivityModel *m_model;
    QLineEdit *m_filter;
    QTableView *m_view;
    QLabel *m_count;
    QTimer *m_debounce;
};

} // namespace lifeboat
