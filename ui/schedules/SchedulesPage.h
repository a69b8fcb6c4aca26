#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace lifeboat {

class AppContext;
struct DrillSuggestion;
struct ScheduleRecord;
class Job;
class RetentionPanel;
class ScheduleListModel;

// The schedules of every source: a table (name, source, cron and what it means, next run in the user's locale,
// last run and outcome, storages, enabled), add/edit/remove (removal confirmed), "Run now" (a backup with the
// schedule's storages and today's promotion type, through AppContext::startBackup), and below it the retention
// of the selected profile with its preview and "Prune now".
class SchedulesPage : public QWidget {
    Q_OBJECT
public:
    explicit SchedulesPage(AppContext *ctx, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    ScheduleListModel *model() const { return m_model; }
    RetentionPanel *retentionPanel() const { return m_retention; }
    QLabel *messageLabel() const { return m_message; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *runNowButton() const { return m_runNow; }

    // The schedule selected in the table; empty when none.
    QString selectedName() const;
    void selectSchedule(const QString &name);

public slots:
    void addSchedule();
    void editSchedule();
    void removeSchedule();
    void runNow();
    void runSourceNow(const ScheduleRecord &s, const QString &type);
    void reload();

signals:
    // Run now started a job (or failed to: job is null and error says why).
    void runStarted(lifeboat::Job *job, const QString &error);

private:
    void updateActions();
    void showMessage(const QString &text, bool error);
    // When a Run now job ends, the schedule's "Last run" shows it (the runners' last check stays theirs).
    void recordRunWhenDone(Job *job, const QString &schedule);
    // After a profile's first backup schedule: asks (MessageBox) whether to add the suggested weekly drill.
    void offerDrill(const DrillSuggestion &drill);

    AppContext *m_ctx;
    ScheduleListModel *m_model;
    QTableView *m_view;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_runNow;
    QLabel *m_message;
    RetentionPanel *m_retention;
};

} // namespace lifeboat
