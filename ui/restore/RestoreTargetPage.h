#pragma once

#include "ui/restore/MissingRolesBox.h"

#include <QWizardPage>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace lifeboat {

class RestoreWizard;

// Step 3: where to. A server profile (or a connection URI), the database, and how: create it or restore into an
// existing one (optionally dropping the backup's objects first), data and/or schema, parallel jobs, privileges.
class RestoreTargetPage : public QWizardPage {
    Q_OBJECT
public:
    explicit RestoreTargetPage(RestoreWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    QComboBox *serverField() const { return m_server; }
    QLineEdit *uriField() const { return m_uri; }
    QLineEdit *databaseField() const { return m_db; }
    QCheckBox *createBox() const { return m_create; }
    QCheckBox *cleanBox() const { return m_clean; }
    QComboBox *contentField() const { return m_content; }
    QSpinBox *jobsField() const { return m_jobs; }
    QCheckBox *noAclBox() const { return m_noAcl; }
    QCheckBox *createRolesBox() const { return m_createRoles; }
    // Selects a profile by name ("" selects the URI entry).
    void setServer(const QString &profile);

private:
    void updateState();

    RestoreWizard *m_wizard;
    QComboBox *m_server;
    QLineEdit *m_uri;
    QLabel *m_production;
    QLineEdit *m_db;
    QCheckBox *m_create;
    QCheckBox *m_clean;
    QComboBox *m_content;
    QSpinBox *m_jobs;
    QCheckBox *m_noAcl;
    MissingRolesBox *m_createRoles; // enabled only for a backup that keeps its server's roles (profile --globals)
    QLabel *m_note;
    QString m_defaultedFor; // the source the database name was last defaulted for
};

} // namespace lifeboat
