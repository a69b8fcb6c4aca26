#include "ui/settings/NotificationDialog.h"

#include "catalog/AuditTrail.h"
#include "catalog/ConfigStore.h"
#include "models/Async.h"
#include "notify/NotificationDispatcher.h"
#include "notify/SmtpNotifier.h"
#include "secrets/KeychainCredentialStore.h"
#include "ui/AppContext.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/FormBuilder.h"
#include "ui/widgets/MessageBox.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStackedWidget>
#include <QSysInfo>
#include <QUrl>
#include <QVBoxLayout>

namespace lifeboat {

NotificationDialog::NotificationDialog(AppContext *ctx, const NotifierRecord &existing, QWidget *parent)
    : EditorDialog(ctx, existing.name, QStringLiteral("notificationDialog"),
                   existing.name.isEmpty() ? tr("Add a notification channel")
                                           : tr("Edit notification channel “%1”").arg(existing.name),
                   parent)
    , m_existing(existing) {
    QVBoxLayout *layout = column();
    FormBuilder top = nameRow(existing.name, tr("e.g. ops-chat or oncall-mail"), tr("Channel name"));
    m_kind = new QComboBox(this);
    m_kind->setAccessibleName(tr("Channel kind"));
    m_kind->addItem(tr("Webhook (Slack, Teams, any JSON endpoint)"), QStringLiteral("webhook"));
    m_kind->addItem(tr("E-mail (SMTP)"), QStringLiteral("smtp"));
    m_kind->setCurrentIndex(existing.kind == QLatin1String("smtp") ? 1 : 0);
    top.row(tr("&Kind:"), m_kind);

    m_pages = new QStackedWidget(this);
    auto *hook = new QWidget(m_pages);
    FormBuilder hf(hook, FormBuilder::Margins::Flush);
    // A webhook URL usually is its own secret (the Slack/Teams path): it is never shown again once saved, like the
    // SMTP password; left empty, the channel keeps the URL it has (in the credential store or, for a channel saved
    // before, in the catalog).
    const QString urlPlaceholder = existing.kind == QLatin1String("webhook") && !existing.url.isEmpty()
                                       ? tr("unchanged: %1…")
                                             .arg(QUrl(existing.url)
                                                      .toString(QUrl::RemoveUserInfo | QUrl::RemovePath |
                                                                QUrl::RemoveQuery | QUrl::RemoveFragment))
                                       : QStringLiteral("https://hooks.slack.com/services/…");
    m_url = hf.line(tr("&URL:"), QString(), urlPlaceholder, tr("Webhook URL"));
    m_url->setMinimumWidth(380);
    m_pages->addWidget(hook);

    auto *mail = new QWidget(m_pages);
    FormBuilder mf(mail, FormBuilder::Margins::Flush);
    const QUrl smtpUrl(existing.kind == QLatin1String("smtp") ? existing.url : QString());
    m_host = new QLineEdit(smtpUrl.host(), mail);
    m_host->setAccessibleName(tr("SMTP host"));
    m_host->setPlaceholderText(tr("smtp.example.com"));
    m_port = new QSpinBox(mail);
    m_port->setRange(1, 65535);
    m_port->setAccessibleName(tr("SMTP port"));
    m_tls = new QComboBox(mail);
    m_tls->setAccessibleName(tr("TLS mode"));
    m_tls->addItem(tr("STARTTLS (required)"), QStringLiteral("starttls"));
    m_tls->addItem(tr("Implicit TLS (smtps)"), QStringLiteral("implicit"));
    m_tls->addItem(tr("None — plain text, local relays only"), QStringLiteral("none"));
    QString tls = existing.tls;
    if (tls.isEmpty())
        tls = smtpUrl.scheme() == QLatin1String("smtps") ? QStringLiteral("implicit") : QStringLiteral("starttls");
    m_tls->setCurrentIndex(qMax(0, m_tls->findData(tls)));
    m_port->setValue(smtpUrl.port(tls == QLatin1String("implicit") ? 465 : 587));
    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    hostRow->addWidget(new QLabel(tr("Port:"), mail));
    hostRow->addWidget(m_port);
    mf.row(tr("&Host:"), hostRow, m_host);
    mf.row(tr("&TLS:"), m_tls);
    m_from = mf.line(tr("&From:"), existing.mailFrom, tr("lifeboat@example.com"), tr("Sender address"));
    m_to = mf.line(tr("T&o:"), existing.mailTo.join(QStringLiteral(", ")), tr("ops@example.com, oncall@example.com"),
                   tr("Recipient addresses"));
    m_user = mf.line(tr("&User:"), existing.user, tr("empty: no login"), tr("SMTP user"));
    m_password = mf.secret(
        tr("&Password:"), existing.user.isEmpty() ? tr("kept in the keychain") : tr("unchanged (kept in the keychain)"),
        tr("SMTP password"));
    auto *caRow = new QHBoxLayout;
    m_caFile = new QLineEdit(existing.caFile, mail);
    m_caFile->setAccessibleName(tr("CA certificate file"));
    m_caFile->setPlaceholderText(tr("optional: PEM bundle for a private relay"));
    auto *browse = new QPushButton(tr("Browse…"), mail);
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(browse);
    mf.row(tr("&CA file:"), caRow, m_caFile);
    m_pages->addWidget(mail);
    m_pages->setCurrentIndex(m_kind->currentIndex());
    layout->addWidget(m_pages);

    FormBuilder rules(this, layout);
    m_on = new QComboBox(this);
    m_on->setAccessibleName(tr("When to notify"));
    m_on->addItem(tr("Only failures and stalled jobs"), QStringLiteral("failure"));
    m_on->addItem(tr("Every backup"), QStringLiteral("always"));
    m_on->setCurrentIndex(existing.on == QLatin1String("always") ? 1 : 0);
    rules.row(tr("&When:"), m_on);
    m_profiles = new QListWidget(this);
    m_profiles->setAccessibleName(tr("Sources to notify about"));
    m_profiles->setMaximumHeight(90);
    for (const Profile &p : ctx->config().profiles()) {
        auto *item = new QListWidgetItem(p.name, m_profiles);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(existing.profiles.contains(p.name) ? Qt::Checked : Qt::Unchecked);
    }
    rules.row(tr("&About:"), m_profiles);
    rules.row(new QLabel(tr("None ticked: every source."), this));

    addTestRow(tr("&Send test"));
    m_test->setAccessibleName(tr("Send a test notification"));
    m_testResult->setAccessibleName(tr("Test result"));
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    layout->addWidget(m_error);
    addSaveCancel();

    connect(m_kind, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_tls, &QComboBox::currentIndexChanged, this, [this] {
        // Follow the mode's usual port unless the user picked another.
        const QString mode = m_tls->currentData().toString();
        if (m_port->value() == 587 || m_port->value() == 465 || m_port->value() == 25)
            m_port->setValue(mode == QLatin1String("implicit") ? 465 : 587);
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        FileDialog::getOpenFileName(this, tr("CA certificate (PEM)"), m_caFile->text(),
                                    tr("Certificates (*.pem *.crt);;All files (*)"), [this](const QString &f) {
                                        if (!f.isEmpty())
                                            m_caFile->setText(f);
                                    });
    });
    connect(m_test, &QPushButton::clicked, this, &NotificationDialog::sendTest);
}

Notification NotificationDialog::testMessage(const QString &notifierName) {
    Notification msg;
    msg.event = QStringLiteral("test");
    msg.subject = QStringLiteral("[Lifeboat] Test notification from %1").arg(QSysInfo::machineHostName());
    msg.text = QStringLiteral("This is a test of the Lifeboat notifier \"%1\". If you can read it, failures will "
                              "reach you here.")
                   .arg(notifierName);
    msg.fields = {{QStringLiteral("notifier"), notifierName}};
    return msg;
}

NotifierRecord NotificationDialog::notifier(QString *error) const {
    NotifierRecord n;
    n.name = m_name->text().trimmed();
    n.kind = m_kind->currentData().toString();
    n.on = m_on->currentData().toString();
    for (int i = 0; i < m_profiles->count(); ++i)
        if (m_profiles->item(i)->checkState() == Qt::Checked)
            n.profiles << m_profiles->item(i)->text();
    error->clear();
    if (!ConfigStore::isValidName(n.name)) {
        *error = tr("Give the channel a name of letters, digits, - and _.");
        return n;
    }
    if (n.kind == QLatin1String("webhook")) {
        const QString typed = m_url->text().trimmed();
        if (typed.isEmpty() && keepsExistingUrl()) {
            n.url = m_existing.url;
            return n;
        }
        const QUrl u(typed, QUrl::StrictMode);
        if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) ||
            u.host().isEmpty())
            *error = tr("The webhook needs an http:// or https:// URL.");
        else // the URL itself goes to the credential store (webhookUrl()), as with lifeboatctl --webhook-stdin
            n.url = NotificationDispatcher::storedWebhookReference(u);
        return n;
    }
    n.tls = m_tls->currentData().toString();
    const QString host = m_host->text().trimmed();
    n.url = QStringLiteral("%1://%2:%3")
                .arg(n.tls == QLatin1String("implicit") ? QStringLiteral("smtps") : QStringLiteral("smtp"), host)
                .arg(m_port->value());
    n.mailFrom = m_from->text().trimmed();
    n.mailTo = m_to->text().split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    n.user = m_user->text().trimmed();
    n.caFile = m_caFile->text().trimmed();
    if (host.isEmpty()) {
        *error = tr("Enter the SMTP server's host name.");
        return n;
    }
    SmtpNotifier::Settings s{n.url, n.tls, n.mailFrom, n.mailTo, n.user, {}, n.caFile, 30000};
    if (const Error e = SmtpNotifier::validate(s))
        *error = e.message;
    return n;
}

bool NotificationDialog::keepsExistingUrl() const {
    return !m_originalName.isEmpty() && m_existing.kind == QLatin1String("webhook") && !m_existing.url.isEmpty();
}

QString NotificationDialog::webhookUrl() const {
    const QString typed = m_url->text().trimmed();
    return typed.isEmpty() ? QString() : QUrl(typed, QUrl::StrictMode).toString(QUrl::FullyEncoded);
}

QString NotificationDialog::noCredentialStoreMessage() const {
    return tr("No credential store is available (%1), so the webhook was not saved: its URL usually carries its "
              "secret, and Lifeboat keeps it only in the credential store, never in the catalog. Unlock or start "
              "the keychain (Secret Service) and try again, or add it with `lifeboatctl notify add %2 "
              "--webhook-stdin` after choosing a store with `lifeboatctl secrets use keychain|file`.")
        .arg(m_ctx->keychainKnown() ? m_ctx->keychain().message : tr("not checked yet"),
             m_name->text().trimmed().isEmpty() ? QStringLiteral("NAME") : m_name->text().trimmed());
}

void NotificationDialog::sendTest() {
    if (m_testing)
        return;
    QString why;
    const NotifierRecord n = notifier(&why);
    if (!why.isEmpty()) {
        m_testResult->setStyleSheet(QStringLiteral("color: #c62828;"));
        m_testResult->setText(tr("✗ %1").arg(why));
        emit testFinished(false, why);
        return;
    }
    m_testing = true;
    m_test->setEnabled(false);
    m_testResult->setStyleSheet(QString());
    m_testResult->setText(tr("Sending…"));
    const bool hook = n.kind == QLatin1String("webhook");
    const QString typedUrl = hook ? webhookUrl() : QString();
    NotifierRecord target = n;
    if (!typedUrl.isEmpty())
        target.url = typedUrl; // sent directly, nothing stored yet
    const QString typed = hook ? QString() : m_password->text();
    // A stored secret (password, or a webhook URL kept in the store) is read only when none was typed and the
    // channel needs one (on the worker: keychain calls block).
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    const bool readStored =
        !m_originalName.isEmpty() && keychain &&
        (hook ? typedUrl.isEmpty() && NotificationDispatcher::webhookInStore(n) : typed.isEmpty() && !n.user.isEmpty());
    const QString storedKey =
        hook ? NotificationDispatcher::webhookKey(m_originalName) : NotificationDispatcher::passwordKey(m_originalName);
    runAsync(
        this,
        [n = target, typed, readStored, storedKey] {
            QString pw = typed;
            if (readStored) {
                KeychainCredentialStore store;
                pw = store.read(storedKey).value_or(QString());
            }
            const Error e = NotificationDispatcher::sendOne(n, testMessage(n.name), pw);
            return e.message;
        },
        [this](const QString &err) {
            m_testing = false;
            m_test->setEnabled(true);
            m_testResult->setStyleSheet(err.isEmpty() ? QStringLiteral("color: #2e7d32;")
                                                      : QStringLiteral("color: #c62828;"));
            m_testResult->setText(err.isEmpty() ? tr("✓ Test notification sent.") : tr("✗ %1").arg(err));
            emit testFinished(err.isEmpty(), err);
        });
}

void NotificationDialog::accept() {
    if (m_saving)
        return;
    QString why;
    const NotifierRecord n = notifier(&why);
    if (!why.isEmpty()) {
        m_error->setText(why);
        m_error->show();
        return;
    }
    const QString oldName = m_originalName;
    const QString password = m_password->text();
    // A webhook URL goes to the credential store first (webhook/NAME) and the catalog gets only its reference, as
    // with `lifeboatctl notify add --webhook-stdin`; a renamed channel's stored URL moves with it. Without a store
    // nothing is saved: a channel whose URL was dropped would fail exactly when it is needed.
    const bool hook = n.kind == QLatin1String("webhook");
    const QString url = hook ? webhookUrl() : QString();
    const bool moveStored =
        hook && url.isEmpty() && NotificationDispatcher::webhookInStore(n) && !oldName.isEmpty() && oldName != n.name;
    if ((!url.isEmpty() || moveStored) && !(m_ctx->keychainKnown() && m_ctx->keychain().available())) {
        MessageBox::warning(this, tr("Webhook not saved"), noCredentialStoreMessage());
        return;
    }
    m_saving = true;
    runAsync(
        this,
        [catalog = m_ctx->catalog(), n, oldName, url, moveStored] {
            QString err;
            const QString key = NotificationDispatcher::webhookKey(n.name);
            const QString oldKey = NotificationDispatcher::webhookKey(oldName);
            if (!url.isEmpty() || moveStored) {
                KeychainCredentialStore store;
                QString secret = url;
                if (moveStored) {
                    secret = store.read(oldKey).value_or(QString());
                    if (secret.isEmpty())
                        return QStringLiteral("the credential store has no URL for “%1” to move: type the URL "
                                              "again")
                            .arg(oldName);
                }
                if (!store.write(key, secret)) {
                    AuditTrail::record(QStringLiteral("secret.set"), key, QStringLiteral("failed"), 0,
                                       store.error().message);
                    return QStringLiteral("the credential store did not keep the URL (%1)").arg(store.error().message);
                }
                AuditTrail::record(QStringLiteral("secret.set"), key, QStringLiteral("ok"));
            }
            if (!catalog->saveNotifier(n, &err))
                return err.isEmpty() ? QStringLiteral("the catalog refused the channel") : err;
            if (!oldName.isEmpty() && oldName != n.name) {
                if (!catalog->removeNotifier(oldName, &err))
                    return err;
                if (moveStored || !url.isEmpty()) {
                    KeychainCredentialStore store;
                    const bool removed = store.remove(oldKey);
                    AuditTrail::record(QStringLiteral("secret.remove"), oldKey,
                                       removed ? QStringLiteral("ok") : QStringLiteral("failed"), 0,
                                       removed ? QString() : store.error().message);
                }
            }
            return QString();
        },
        [this, n, password](const QString &err) {
            m_saving = false;
            if (!err.isEmpty()) {
                m_error->setText(tr("Not saved: %1").arg(err));
                m_error->show();
                return;
            }
            emit saved(n.name);
            // The channel is saved either way; a password the keychain could not keep is reported, not lost
            // silently.
            if (n.kind == QLatin1String("smtp") && !n.user.isEmpty())
                keepSecret(NotificationDispatcher::passwordKey(n.name), password, tr("Password not kept"));
            QDialog::accept();
        },
        catalogPool());
}

} // namespace lifeboat
