#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace lifeboat {

class AppContext;

// Server profiles, storages, the pg tool folder, the keychain status and where the home is.
class SettingsPage : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPage(AppContext *ctx, QWidget *parent = nullptr);

    QListWidget *profileList() const { return m_profiles; }
    QListWidget *storageList() const { return m_storages; }
    QLabel *keychainLabel() const { return m_keychain; }

public slots:
    void addProfile();
    void editProfile();
    void addStorage();
    void editStorage();

private:
    void reload();
    void updateKeychain();
    void removeSelected(bool profile);

    AppContext *m_ctx;
    QListWidget *m_profiles;
    QListWidget *m_storages;
    QLineEdit *m_toolDir;
    QLabel *m_toolNote;
    QLabel *m_keychain;
    QPushButton *m_recheck;
};

} // namespace lifeboat
