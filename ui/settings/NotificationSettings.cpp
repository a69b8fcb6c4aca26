#include "ui/settings/NotificationSettings.h"

#include "models/Async.h"
#include "notify/NotificationDispatcher.h"
#include "secrets/KeychainCredentialStore.h"
#include "ui/AppContext.h"
#include "ui/settings/NotificationDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace lifeboat {

NotificationSettings::NotificationSettings(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("Notification channels"));
    m_list->setMinimumHeight(80);
    m_list->setMaximumHeight(100);
    row->addWidget(m_list, 1);
    auto *col = new QVBoxLayout;
    m_add = new QPushButton(QIcon(QStringLiteral(":/icons/add.svg")), tr("Add…"), this);
    m_edit = new QPushButton(QIcon(QStringLiteral(":/icons/edit.svg")), tr("Edit…"), this);
    m_remove = new QPushButton(QIcon(QStringLiteral(":/icons/delete.svg")), tr("Remove"), this);
    m_test = new QPushButton(tr("Send test"), this);
    for (QPushButton *b : {m_add, m_edit, m_remove, m_test}) {
        b->setAccessibleName(b->text().remove(QStringLiteral("…")) + tr(" notification channel"));
        col->addWidget(b);
    }
    col->addStretch(1);
    row->addLayout(col);
    layout->addLayout(row);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setAccessibleName(tr("Notification test result"));
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);
    m_desktop = new QComboBox(this);
    m_desktop->setAccessibleName(tr("Desktop notifications"));
    m_desktop->addItem(tr("Failures and stalled jobs"), QStringLiteral("failure"));
    m_desktop->addItem(tr("Every backup"), QStringLiteral("always"));
    m_desktop->addItem(tr("Off"), QStringLiteral("off"));
    m_desktop->setCurrentIndex(qMax(0, m_desktop->findData(m_ctx->config().option(QStringLiteral("desktopNotify")))));
    auto *desktopRow = new QHBoxLayout;
    desktopRow->addWidget(new QLabel(tr("Desktop notifications from the tray:"), this));
    desktopRow->addWidget(m_desktop);
    desktopRow->addStretch(1);
    layout->addLayout(desktopRow);

    connect(m_add, &QPushButton::clicked, this, &NotificationSettings::addChannel);
    connect(m_edit, &QPushButton::clicked, this, &NotificationSettings::editChannel);
    connect(m_list, &QListWidget::itemActivated, this, &NotificationSettings::editChannel);
    connect(m_remove, &QPushButton::clicked, this, &NotificationSettings::removeChannel);
    connect(m_test, &QPushButton::clicked, this, &NotificationSettings::sendTest);
    connect(m_list, &QListWidget::currentRowChanged, this, [this] {
        for (QPushButton *b : {m_edit, m_remove, m_test})
            b->setEnabled(selected() != nullptr);
    });
    connect(m_desktop, &QComboBox::activated, this, [this] {
        QString error;
        const QString value = m_desktop->currentData().toString();
        if (!m_ctx->updateConfig([value](ConfigStore &c) { c.setOption(QStringLiteral("desktopNotify"), value); },
                                 &error))
            MessageBox::critical(this, tr("Settings not saved"), error);
    });
    for (QPushButton *b : {m_edit, m_remove, m_test})
        b->setEnabled(false);
    reload();
}

void NotificationSettings::reload() {
    runAsync(
        this, [catalog = m_ctx->catalog()] { return catalog->notifiers(); },
        [this](const QList<NotifierRecord> &channels) {
            const QString keep = selected() ? selected()->name : QString();
            m_channels = channels;
            m_list->clear();
            for (const NotifierRecord &n : channels) {
                // Webhook URLs usually carry their secret in the path: show scheme and host only (also of a URL
                // kept in the catalog before the credential store held them).
                QString shown = QUrl(n.url).toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery |
                                                     QUrl::RemoveFragment);
                if (NotificationDispatcher::webhookInStore(n))
                    shown += tr(" (URL in the credential store)");
                const QString about = n.profiles.isEmpty() ? tr("every source") : n.profiles.join(QStringLiteral(", "));
                auto *item = new QListWidgetItem(
                    tr("%1 — %2 %3, %4, about %5")
                        .arg(n.name, n.kind == QLatin1String("smtp") ? tr("e-mail via") : tr("webhook"), shown,
                             n.on == QLatin1String("always") ? tr("every backup") : tr("failures only"), about),
                    m_list);
                item->setData(Qt::UserRole, n.name);
                if (n.name == keep)
                    m_list->setCurrentItem(item);
            }
            if (m_list->count() == 0)
                m_result->setText(tr("No channels yet: add a webhook or an e-mail relay to hear about failures."));
            m_loaded = true;
            emit loaded();
        },
        catalogPool());
}

const NotifierRecord *NotificationSettings::selected() const {
    const QListWidgetItem *item = m_list->currentItem();
    if (!item)
        return nullptr;
    for (const NotifierRecord &n : m_channels)
        if (n.name == item->data(Qt::UserRole).toString())
            return &n;
    return nullptr;
}

void NotificationSettings::addChannel() {
    auto *d = new NotificationDialog(m_ctx, NotifierRecord{}, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &NotificationDialog::saved, this, &NotificationSettings::reload);
    d->open();
}

void NotificationSettings::editChannel() {
    const NotifierRecord *n = selected();
    if (!n)
        return;
    auto *d = new NotificationDialog(m_ctx, *n, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &NotificationDialog::saved, this, &NotificationSettings::reload);
    d->open();
}

void NotificationSettings::removeChannel() {
    const NotifierRecord *n = selected();
    if (!n)
        return;
    const QString name = n->name;
    // The SMTP password or the webhook URL the channel keeps in the credential store.
    const QString secretKey = NotificationDispatcher::secretKey(*n);
    const bool hasPassword = !secretKey.isEmpty();
    MessageBox::question(this, tr("Remove notification channel"),
                         tr("Remove “%1”? Nobody will be told about backups through it any more.").arg(name),
                         [this, name, hasPassword, secretKey](bool yes) {
                             if (!yes)
                                 return;
                             runAsync(
                                 this,
                                 [catalog = m_ctx->catalog(), name] {
                                     QString err;
                                     return catalog->removeNotifier(name, &err) ? QString() : err;
                                 },
                                 [this, hasPassword, secretKey](const QString &err) {
                                     if (!err.isEmpty())
                                         MessageBox::critical(this, tr("Not removed"), err);
                                     else if (hasPassword && m_ctx->keychainKnown() && m_ctx->keychain().available())
                                         m_ctx->storeSecret(secretKey, QString(), [](const QString &) {});
                                     reload();
                                 },
                                 catalogPool());
                         });
}

void NotificationSettings::sendTest() {
    const NotifierRecord *sel = selected();
    if (!sel)
        return;
    const NotifierRecord n = *sel;
    m_test->setEnabled(false);
    m_result->setStyleSheet(QString());
    m_result->setText(tr("Sending a test through “%1”…").arg(n.name));
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    runAsync(
        this,
        [n, keychain] {
            QString pw;
            const QString key = NotificationDispatcher::secretKey(n); // SMTP password or a stored webhook URL
            if (keychain && !key.isEmpty()) {
                KeychainCredentialStore store;
                pw = store.read(key).value_or(QString());
            }
            return NotificationDispatcher::sendOne(n, NotificationDialog::testMessage(n.name), pw).message;
        },
        [this, name = n.name](const QString &err) {
            m_test->setEnabled(selected() != nullptr);
            m_result->setStyleSheet(err.isEmpty() ? QStringLiteral("color: #2e7d32;")
                                                  : QStringLiteral("color: #c62828;"));
            m_result->setText(err.isEmpty() ? tr("✓ Test sent through “%1”.").arg(name)
                                            : tr("✗ %1: %2").arg(name, err));
            emit testFinished(err.isEmpty(), err);
        });
}

} // namespace lifeboat
