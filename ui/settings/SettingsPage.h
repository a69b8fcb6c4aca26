#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace lifeboat {

class AppContext;
class KeysPanel;
class NotificationSettings;

// Server profiles, storages, notification channels, encryption keys, the pg tool folder, the catalog location,
// the keychain status and where the home is.
class SettingsPage : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPage(AppContext *ctx, QWidget *parent = nullptr);

    QListWidget *profileList() const { return m_profiles; }
    QListWidget *storageList() const { return m_storages; }
    QLabel *keychainLabel() const { return m_keychain; }
    NotificationSettings *notifications() const { return m_notifications; }
    KeysPanel *keys() const { return m_keys; }
    QLineEdit *catalogField() const { return m_catalogUri; }
    QLabel *catalogLabel() const { return m_catalogNow; }

public slots:
    void addProfile();
    void editProfile();
    void addStorage();
    void editStorage();

private:
    void reload();
    void updateKeychain();
    void reloadCatalogInfo();
    void removeSelected(bool profile);

    AppContext *m_ctx;
    QString m_catalogAtStart; // the catalogUri AppContext opened (settings are read once, at start)
    QListWidget *m_profiles;
    QListWidget *m_storages;
    QLineEdit *m_toolDir;
    QLabel *m_toolNote;
    QLabel *m_keychain;
    QPushButton *m_recheck;
    NotificationSettings *m_notifications;
    KeysPanel *m_keys;
    QLineEdit *m_catalogUri;
    QLabel *m_catalogNow;
};

} // namespace lifeboat
