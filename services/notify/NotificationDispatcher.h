#pragma once

#include "catalog/ScheduleRecord.h"
#include "core/ExitCode.h"
#include "notify/Notification.h"

#include <QList>
#include <QStringList>

#include <functional>

namespace lifeboat {

// Sends one notification to every configured channel that wants it: a channel set to "failure" gets failures and
// stalls only, "always" gets everything; a channel limited to some profiles hears only about those. One channel
// failing does not stop the others.
class NotificationDispatcher {
public:
    // Reads one entry of the credential store by its key (secretKey() of a channel); empty when there is none.
    using SecretLookup = std::function<QString(const QString &credentialKey)>;

    static bool wants(const NotifierRecord &channel, const Notification &n);
    // `secret` is what secretKey(channel) names: the SMTP password, or the URL of a webhook kept in the store.
    static Error sendOne(const NotifierRecord &channel, const Notification &n, const QString &secret);
    // Returns one line per channel that failed ("NAME: why").
    static QStringList dispatch(const QList<NotifierRecord> &channels, const Notification &n,
                                const SecretLookup &secretFor);

    static QString passwordKey(const QString &notifierName) { return QStringLiteral("smtp/") + notifierName; }
    static QString webhookKey(const QString &notifierName) { return QStringLiteral("webhook/") + notifierName; }
    // The credential-store key a channel needs to send; empty when it needs none.
    static QString secretKey(const NotifierRecord &channel);

    // A webhook URL usually carries its secret (a Slack/Teams path, a token in the query), and the catalog is
    // meant to be shareable: such a URL is kept in the credential store ("webhook/NAME") and the catalog holds only
    // a reference, "scheme://host[:port]/#credential-store", which shows where it posts and can't be used.
    static QString storedWebhookReference(const QUrl &url);
    static bool webhookInStore(const NotifierRecord &channel);
    // Why a webhook URL must not come from a command line (user info, a path other than "/", a query); empty if
    // none. Webhooks already in the catalog are not checked again.
    static QString secretInWebhookUrl(const QUrl &url);
};

} // namespace lifeboat
