#pragma once

#include "catalog/Profile.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace lifeboat {

class AppContext;

// Adds or edits a server profile. Test connection connects with libpq on a worker and shows the server version.
// A password typed here goes to the keychain (on a worker), never into the settings file.
class ProfileDialog : public QDialog {
    Q_OBJECT
public:
    // existing: empty name = a new profile.
    ProfileDialog(AppContext *ctx, const Profile &existing, QWidget *parent = nullptr);

    QLineEdit *nameField() const { return m_name; }
    QLineEdit *conninfoField() const { return m_conninfo; }
    QLineEdit *passwordField() const { return m_password; }
    QPushButton *testButton() const { return m_test; }
    QLabel *testResult() const { return m_result; }
    QLabel *errorLabel() const { return m_error; }
    QListWidget *storageList() const { return m_storages; }

    Profile profile() const;

public slots:
    void testConnection();
    void accept() override;

signals:
    void testFinished(bool ok);
    void saved(const QString &name);

private:
    AppContext *m_ctx;
    QString m_originalName;
    Profile m_base;
    QLineEdit *m_name;
    QLineEdit *m_conninfo;
    QLineEdit *m_password;
    QCheckBox *m_production;
    QListWidget *m_storages;
    QLineEdit *m_exclude;
    QPushButton *m_test;
    QLabel *m_result;
    QLabel *m_error;
};

} // namespace lifeboat
