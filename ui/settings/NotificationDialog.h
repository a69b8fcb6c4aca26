#pragma once

#include "catalog/ScheduleRecord.h"
#include "core/ExitCode.h"
#include "notify/Notification.h"
#include "ui/settings/EditorDialog.h"

class QComboBox;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QStackedWidget;

namespace lifeboat {

// Adds or edits a notification channel: a webhook (JSON POST, Slack/Teams "text") or e-mail over SMTP (host,
// port, STARTTLS / implicit TLS / none, login), when to speak (failures only or always) and about which sources.
// The SMTP password goes to the credential store (key smtp/NAME), never to the settings or the catalog; so does a
// webhook URL (key webhook/NAME, the catalog keeps only "scheme://host/#credential-store", like lifeboatctl's
// --webhook-stdin), and without a usable store the dialog refuses to save it. "Send
// test" really sends, on a worker, and shows the outcome under the button.
class NotificationDialog : public EditorDialog {
    Q_OBJECT
public:
    NotificationDialog(AppContext *ctx, const NotifierRecord &existing, QWidget *parent = nullptr);

    QComboBox *kindField() const { return m_kind; }
    QLineEdit *urlField() const { return m_url; }
    QLineEdit *hostField() const { return m_host; }
    QSpinBox *portField() const { return m_port; }
    QComboBox *tlsField() const { return m_tls; }
    QLineEdit *fromField() const { return m_from; }
    QLineEdit *toField() const { return m_to; }
    QLineEdit *userField() const { return m_user; }
    QLineEdit *passwordField() const { return m_password; }
    QLineEdit *caFileField() const { return m_caFile; }
    QComboBox *onField() const { return m_on; }
    bool isTesting() const { return m_testing; }

    // The channel the fields describe; *error says what is missing.
    NotifierRecord notifier(QString *error) const;
    // The test message "Send test" sends (also what `lifeboatctl notify test` sends).
    static Notification testMessage(const QString &notifierName);

public slots:
    void accept() override;
    void sendTest();

signals:
    void testFinished(bool ok, const QString &message);

private:
    // Editing a webhook whose URL field was left empty keeps the URL it has.
    bool keepsExistingUrl() const;
    // The typed webhook URL (fully encoded), empty when none was typed.
    QString webhookUrl() const;
    QString noCredentialStoreMessage() const;

    NotifierRecord m_existing;
    QComboBox *m_kind;
    QStackedWidget *m_pages;
    QLineEdit *m_url;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QComboBox *m_tls;
    QLineEdit *m_from;
    QLineEdit *m_to;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_caFile;
    QComboBox *m_on;
    QListWidget *m_profiles;
    bool m_testing = false;
    bool m_saving = false;
};

} // namespace lifeboat
