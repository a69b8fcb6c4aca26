#pragma once

#include "catalog/BackupRecord.h"
#include "jobs/JobProgress.h"
#include "ui/restore/MissingRolesBox.h"

#include <QDialog>
#include <QList>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace lifeboat {

class AppContext;
class Job;

// Restores a whole application backup set (issue 8): pick a capture, name the targets of its members, "Check" runs
// SetRestoreJob as a dry run (every member's safety check, nothing touched) and lists each member's outcome;
// "Restore" unlocks only after a passing check of exactly the current inputs and runs the set restore as a tracked
// job (Jobs page). The planning (SetPlanner, the same one `lifeboatctl set restore` uses) and keychain reads run on
// a worker, the jobs on the JobRunner: the GUI thread never waits.
class SetRestoreDialog : public QDialog {
    Q_OBJECT
public:
    struct Capture {
        QString setId;
        QList<BackupRecord> members;
        QString problem; // empty: complete and restorable; else why not
    };

    explicit SetRestoreDialog(AppContext *ctx, QWidget *parent = nullptr);
    ~SetRestoreDialog() override;

    bool isLoaded() const { return m_loaded; }
    bool isBusy() const { return !m_running.isEmpty(); }
    // "CHECKED", "REFUSED", "RESTORED", "FAILED" from the last job; empty before one finished.
    QString lastStatus() const { return m_lastStatus; }
    void selectSet(const QString &setId);

    QComboBox *setCombo() const { return m_sets; }
    QTreeWidget *memberList() const { return m_members; }
    QLabel *setNote() const { return m_setNote; }
    QComboBox *profileCombo() const { return m_profile; }
    QLineEdit *databaseField() const { return m_db; }
    QCheckBox *createBox() const { return m_create; }
    QCheckBox *cleanBox() const { return m_clean; }
    QCheckBox *rolesBox() const { return m_roles; }
    QLineEdit *confirmField() const { return m_confirm; }
    QLineEdit *filesField(const QString &source) const;
    QPushButton *filesBrowseButton(const QString &source) const;
    QComboBox *mirrorStorageCombo() const { return m_mirrorStorage; }
    QLineEdit *mirrorPrefixField() const { return m_mirrorPrefix; }
    QCheckBox *overwriteBox() const { return m_overwrite; }
    // Encrypted members: an age identity file (chosen through the FileDialog seam) and/or an identity kept in the
    // credential store under a name, as `--identity` and `--identity-name` give them to the CLI.
    QGroupBox *keysGroup() const { return m_keysGroup; }
    QPushButton *identityFileButton() const { return m_identityFile; }
    QString identityFilePath() const { return m_identityPath; }
    QLineEdit *identityNameField() const { return m_identityName; }
    QPushButton *checkButton() const { return m_check; }
    QPushButton *restoreButton() const { return m_restore; }
    QTreeWidget *outcomeList() const { return m_outcome; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *guidanceLabel() const { return m_guidance; }

signals:
    void loaded();
    void checkFinished(bool passed);
    void restoreFinished(bool ok);

private:
    void load();
    void showCapture();
    const Capture *current() const;
    QString fingerprint() const;
    void inputsChanged();
    void updateButtons();
    void start(bool dryRun);
    void onFinished(bool dryRun, const QString &fingerprint, const JobResult &r);
    void showOutcome(const QJsonObject &details);

    AppContext *m_ctx;
    QList<Capture> m_captures;
    bool m_loaded = false;
    QString m_running; // "check" or "restore" while a job (or its planning) is under way
    QString m_passedFingerprint;
    QString m_lastStatus;
    QPointer<Job> m_job;

    QComboBox *m_sets;
    QTreeWidget *m_members;
    QLabel *m_setNote;
    QGroupBox *m_dbGroup;
    QComboBox *m_profile;
    QLineEdit *m_db;
    QCheckBox *m_create;
    QCheckBox *m_clean;
    MissingRolesBox *m_roles;
    QLineEdit *m_confirm;
    QGroupBox *m_filesGroup;
    QFormLayout *m_filesForm;
    QList<QPair<QString, QLineEdit *>> m_filesTo;
    QGroupBox *m_mirrorGroup;
    QComboBox *m_mirrorStorage;
    QLineEdit *m_mirrorPrefix;
    QCheckBox *m_overwrite;
    QGroupBox *m_keysGroup;
    QPushButton *m_identityFile;
    QString m_identityPath;
    QLineEdit *m_identityName;
    QPushButton *m_check;
    QPushButton *m_restore;
    QTreeWidget *m_outcome;
    QLabel *m_status;
    QLabel *m_guidance;
    QPlainTextEdit *m_log;
};

} // namespace lifeboat
