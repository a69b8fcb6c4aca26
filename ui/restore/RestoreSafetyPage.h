#pragma once

#include "restore/SafetyCheck.h"

#include <QStringList>
#include <QWizardPage>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTreeWidget;

namespace lifeboat {

class RestoreJob;
class RestoreWizard;

// Step 4: the safety checks, before anything is touched. The engine's own checks (a dry-run RestoreJob on a
// worker: integrity, archive, client tools, target reachable, database exists or not, active connections, the
// production safety backup) are listed with their outcomes, and the page adds what only the operator can give:
// ending the listed connections, the typed database name for an existing database, and for a production target
// either the safety backup or an explicit, typed override. Next (“Restore”) stays disabled until everything
// passes; the real run checks all of it again and refuses with nothing changed if anything moved.
class RestoreSafetyPage : public QWizardPage {
    Q_OBJECT
public:
    explicit RestoreSafetyPage(RestoreWizard *wizard);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;
    bool validatePage() override;

    void runChecks();
    void cancelWork();
    bool isChecking() const { return m_checking; }
    // The checks as shown (engine checks with the operator's choices applied).
    QList<SafetyCheck> shownChecks() const;
    // Why Next is disabled, empty when it is not.
    QString blocker() const;

    QTreeWidget *checkList() const { return m_list; }
    QLineEdit *confirmField() const { return m_confirm; }
    QCheckBox *terminateBox() const { return m_terminate; }
    QCheckBox *safetyBackupBox() const { return m_safetyBackup; }
    QCheckBox *overrideBox() const { return m_override; }
    QListWidget *connectionsList() const { return m_connections; }
    QLabel *blockerLabel() const { return m_blocker; }
    QLabel *productionLabel() const { return m_production; }
    // The target is production: its profile says so, or the dry run's production guard found (or could not rule
    // out) a production profile's server behind a typed connection string.
    bool production() const;

signals:
    void checksFinished();

private:
    void refresh();
    bool databaseExists() const;
    bool productionExisting() const;

    RestoreWizard *m_wizard;
    QLabel *m_production;
    QTreeWidget *m_list;
    QLabel *m_connectionsLabel;
    QListWidget *m_connections;
    QCheckBox *m_terminate;
    QLabel *m_confirmLabel;
    QLineEdit *m_confirm;
    QCheckBox *m_safetyBackup;
    QCheckBox *m_override;
    QLabel *m_blocker;
    QPushButton *m_again;

    QList<SafetyCheck> m_checks; // from the dry run
    QStringList m_activeConnections;
    int m_rolesToCreate = 0;   // "Create missing roles first": what the confirmation also covers
    QString m_runError;        // the dry run could not run at all
    QString m_guardProduction; // the production guard's finding for a target not marked production, else empty
    std::shared_ptr<RestoreJob> m_job;
    int m_generation = 0;
    bool m_checking = false;
};

} // namespace lifeboat
