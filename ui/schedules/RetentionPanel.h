#pragma once

#include "jobs/RetentionPruner.h"

#include <QDateTime>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace lifeboat {

class AppContext;
class ScheduleRetentionModel;

// Retention for one profile: its keep-hourly/daily/weekly/monthly/yearly/last counts and keep-within (stored on the
// profile's schedules; "default" follows settings and the BACKUP_RETENTION_* environment, which is shown when set), a
// preview of what retention would keep and delete with every reason (RetentionPruner::plan on a worker), and "Prune
// now" (after a confirmation) through the same RetentionPruner/BackupDeleter path as `lifeboatctl prune`.
class RetentionPanel : public QWidget {
    Q_OBJECT
public:
    explicit RetentionPanel(AppContext *ctx, QWidget *parent = nullptr);

    QComboBox *profileField() const { return m_profile; }
    QSpinBox *dailyField() const { return m_daily; }
    QSpinBox *weeklyField() const { return m_weekly; }
    QSpinBox *monthlyField() const { return m_monthly; }
    QSpinBox *hourlyField() const { return m_hourly; }
    QSpinBox *yearlyField() const { return m_yearly; }
    QSpinBox *lastField() const { return m_last; }
    QLineEdit *withinField() const { return m_within; }
    QLabel *policyLabel() const { return m_policyNote; }
    QLabel *summaryLabel() const { return m_summary; }
    QPushButton *previewButton() const { return m_previewButton; }
    QPushButton *pruneButton() const { return m_pruneButton; }
    QPushButton *applyButton() const { return m_apply; }
    QTableView *view() const { return m_view; }
    ScheduleRetentionModel *model() const { return m_model; }
    bool isBusy() const { return m_busy; }
    // Decide as if it were this time (tests); invalid: now.
    void setAsOf(const QDateTime &t) { m_asOf = t; }

public slots:
    void preview();
    void pruneNow();
    void applyCounts();
    void reloadProfiles();

signals:
    void previewReady();
    void pruned(int deleted, int failed);

private:
    void loadCounts();
    void setBusy(bool busy, const QString &text);

    AppContext *m_ctx;
    QComboBox *m_profile;
    QSpinBox *m_daily;
    QSpinBox *m_weekly;
    QSpinBox *m_monthly;
    QSpinBox *m_hourly;
    QSpinBox *m_yearly;
    QSpinBox *m_last;
    QLineEdit *m_within; // a duration ("7d", "36h"); empty: default
    QPushButton *m_apply;
    QLabel *m_policyNote;
    QPushButton *m_previewButton;
    QPushButton *m_pruneButton;
    QLabel *m_summary;
    QTableView *m_view;
    ScheduleRetentionModel *m_model;
    QDateTime m_asOf;
    bool m_busy = false;
};

} // namespace lifeboat
