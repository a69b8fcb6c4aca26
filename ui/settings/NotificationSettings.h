#pragma once

#include "catalog/ScheduleRecord.h"

#include <QList>
#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace lifeboat {

class AppContext;

// The notification channels (webhooks and e-mail, from the catalog so headless runners share them), with
// add/edit/remove, "Send test" on the selected one (result inline), and when the tray shows desktop notifications
// (setting "desktopNotify", read by the tray: failures and stalls by default, or every backup).
class NotificationSettings : public QWidget {
    Q_OBJECT
public:
    explicit NotificationSettings(AppContext *ctx, QWidget *parent = nullptr);

    QListWidget *channelList() const { return m_list; }
    QComboBox *desktopField() const { return m_desktop; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *testButton() const { return m_test; }
    QLabel *resultLabel() const { return m_result; }
    bool isLoaded() const { return m_loaded; }

    // The channel list as last loaded.
    const QList<NotifierRecord> &channels() const { return m_channels; }

public slots:
    void reload();
    void addChannel();
    void editChannel();
    void removeChannel();
    void sendTest();

signals:
    void loaded();
    void testFinished(bool ok, const QString &message);

private:
    const NotifierRecord *selected() const;

    AppContext *m_ctx;
    QList<NotifierRecord> m_channels;
    QListWidget *m_list;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_test;
    QLabel *m_result;
    QComboBox *m_desktop;
    bool m_loaded = false;
};

} // namespace lifeboat
