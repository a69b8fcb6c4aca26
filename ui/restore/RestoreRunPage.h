#pragma once

#include "jobs/JobProgress.h"

#include <QPointer>
#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace lifeboat {

class Job;
class RestoreWizard;

// Step 5: the restore itself, a RestoreJob on the application's JobRunner (listed on the Jobs page too): progress
// as TOC items and bytes, the tail of its log, and Cancel. When it ends, the page says what state the target is
// in — untouched, dropped again, or partly restored — and the wizard moves on only then.
class RestoreRunPage : public QWizardPage {
    Q_OBJECT
public:
    explicit RestoreRunPage(RestoreWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;

    bool isRunning() const { return m_running; }
    bool isFinished() const { return m_finished; }
    void cancelRestore();

    QProgressBar *progressBar() const { return m_bar; }
    QLabel *phaseLabel() const { return m_phase; }
    QLabel *stateLabel() const { return m_state; }
    QPlainTextEdit *logView() const { return m_log; }
    QPushButton *cancelButton() const { return m_cancel; }

signals:
    void restoreFinished(bool ok);

private:
    void start();
    void onProgress(const JobProgress &p);
    void onFinished(const JobResult &r);

    RestoreWizard *m_wizard;
    QLabel *m_phase;
    QProgressBar *m_bar;
    QLabel *m_bytes;
    QPlainTextEdit *m_log;
    QPushButton *m_cancel;
    QLabel *m_state;
    QPointer<Job> m_job;
    bool m_running = false;
    bool m_finished = false;
    bool m_cancelRequested = false;
    bool m_created = false; // the log said the database was created
};

} // namespace lifeboat
