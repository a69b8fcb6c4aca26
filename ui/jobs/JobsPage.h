#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace lifeboat {

class AppContext;

// The jobs of this session: live progress, the log of the selected job (its tail while it runs, all of it after)
// and Cancel, which sets the job's cancel flag (Job::cancel) — the job then stops its child processes itself.
class JobsPage : public QWidget {
    Q_OBJECT
public:
    explicit JobsPage(AppContext *ctx, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPlainTextEdit *logView() const { return m_log; }
    void selectRow(int row);

private:
    int currentRow() const;
    void showLog();
    void updateOutcome();
    void updateButtons();

    AppContext *m_ctx;
    QTableView *m_view;
    QPlainTextEdit *m_log;
    QPushButton *m_cancel;
    QLabel *m_empty;
    QLabel *m_outcome;
};

} // namespace lifeboat
