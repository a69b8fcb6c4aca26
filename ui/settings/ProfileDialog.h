#pragma once

#include "catalog/Profile.h"
#include "ui/settings/EditorDialog.h"

class QCheckBox;
class QListWidget;
class QSpinBox;

namespace lifeboat {

// Adds or edits a server profile. Test connection connects with libpq on a worker and shows the server version.
// A password typed here goes to the keychain (on a worker), never into the settings file. "Continuous protection"
// marks the profile for WAL capture by the app's tray runner (WalCaptureRunner); "Check replication access" probes
// what that needs on the server (ReplicationAccess) and shows the grant and pg_hba.conf line to add.
class ProfileDialog : public EditorDialog {
    Q_OBJECT
public:
    // existing: empty name = a new profile.
    ProfileDialog(AppContext *ctx, const Profile &existing, QWidget *parent = nullptr);

    QLineEdit *conninfoField() const { return m_conninfo; }
    QLineEdit *passwordField() const { return m_password; }
    QListWidget *storageList() const { return m_storages; }
    QCheckBox *continuousField() const { return m_continuous; }
    QCheckBox *globalsField() const { return m_globals; }
    QSpinBox *partialUploadField() const { return m_partialUpload; }
    QPushButton *replicationButton() const { return m_checkReplication; }
    QLabel *replicationResult() const { return m_replication; }

    Profile profile() const;

public slots:
    void testConnection();
    void checkReplication();
    void accept() override;

signals:
    void testFinished(bool ok);
    void replicationChecked(bool ok);

private:
    Profile m_base;
    QLineEdit *m_conninfo;
    QLineEdit *m_password;
    QCheckBox *m_production;
    QListWidget *m_storages;
    QLineEdit *m_exclude;
    QCheckBox *m_continuous;
    QCheckBox *m_globals; // Profile::globals: the server's roles with every backup
    QSpinBox *m_partialUpload;
    QPushButton *m_checkReplication;
    QLabel *m_replication;
};

} // namespace lifeboat
