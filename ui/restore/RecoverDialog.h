#pragma once

#include "jobs/JobProgress.h"
#include "ops/Recover.h"
#include "ops/UseCaseContext.h"

#include <QDateTime>
#include <QDialog>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace lifeboat {

class AppContext;
class CredentialStore;
class Job;
class RecoveryTimeline;

// Point-in-time recovery from the desktop app (`lifeboatctl recover`, the same RecoverJob): a profile with base
// backups and archived WAL, a target ("latest" or a date and time to the second, in this computer's time zone and
// labelled so), an absent or empty data directory and a free port on this machine. "Check" runs the job's dry run —
// every refusal recover makes (target outside the window or behind a missing segment, directory not empty, port in
// use, no server binaries of the backup's major version) — and draws the recoverable window; "Recover" is enabled
// only for the inputs that passed, runs on the Jobs page with its log here, and ends with the last replayed
// transaction against the target.
class RecoverDialog : public QDialog {
    Q_OBJECT
public:
    explicit RecoverDialog(AppContext *ctx, const QString &profile = {}, QWidget *parent = nullptr);
    ~RecoverDialog() override;

    QComboBox *profileField() const { return m_profile; }
    QRadioButton *latestButton() const { return m_latest; }
    QRadioButton *atTimeButton() const { return m_atTime; }
    QDateTimeEdit *timeField() const { return m_time; }
    QLineEdit *dataDirField() const { return m_dataDir; }
    QSpinBox *portField() const { return m_port; }
    QCheckBox *keepRunningBox() const { return m_keepRunning; }
    QPushButton *checkButton() const { return m_check; }
    QPushButton *recoverButton() const { return m_recover; }
    QLabel *planLabel() const { return m_plan; }
    QLabel *outcomeLabel() const { return m_outcome; }
    QPlainTextEdit *logView() const { return m_log; }
    RecoveryTimeline *timeline() const { return m_timeline; }
    bool isChecking() const { return m_checking; }
    // A recovery is under way: its secrets being read, or its job running.
    bool isRunning() const { return m_preparing || m_running != nullptr; }
    bool checkPassed() const { return m_checkedInputs == inputsKey() && m_checkOk; }
    JobResult lastResult() const { return m_result; }

public slots:
    void runCheck();
    void runRecovery();
    void reject() override;

signals:
    void checked(bool ok);
    void recoveryFinished(const lifeboat::JobResult &result);

private:
    QString inputsKey() const;
    QDateTime targetTime() const; // UTC; invalid for "latest"
    void inputsChanged();
    void showCheck(const JobResult &r, const QList<QDateTime> &bases);
    void onFinished(const JobResult &r);
    // The use case's request for the dialog's inputs, and its context (no secret for the check).
    Recover::Request request(const QString &profile) const;
    UseCaseContext useCaseContext(CredentialStore *secrets) const;
    void watchRun();

    AppContext *m_ctx;
    QComboBox *m_profile;
    QRadioButton *m_latest;
    QRadioButton *m_atTime;
    QDateTimeEdit *m_time;
    QLineEdit *m_dataDir;
    QSpinBox *m_port;
    QCheckBox *m_keepRunning;
    RecoveryTimeline *m_timeline;
    QLabel *m_plan;
    QPushButton *m_check;
    QPushButton *m_recover;
    QProgressBar *m_progress;
    QLabel *m_phase;
    QPlainTextEdit *m_log;
    QLabel *m_outcome;
    bool m_checking = false;
    bool m_checkOk = false;
    QString m_checkedInputs;
    int m_generation = 0;
    bool m_preparing = false; // the run's secrets are being read
    Job *m_running = nullptr;
    JobResult m_result;
};

} // namespace lifeboat
