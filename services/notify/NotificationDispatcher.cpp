#include "notify/NotificationDispatcher.h"

#include "notify/SmtpNotifier.h"
#include "notify/WebhookNotifier.h"

#include <QUrl>

namespace lifeboat {

bool NotificationDispatcher::wants(const NotifierRecord &channel, const Notification &n) {
    if (!channel.profiles.isEmpty() && !n.profile.isEmpty() && !channel.profiles.contains(n.profile))
        return false;
    if (n.event == QLatin1String("test"))
        return true;
    return channel.on == QLatin1String("always") || n.failure;
}

namespace {
const QLatin1StringView kStoreFragment{"credential-store"};
}

QString NotificationDispatcher::storedWebhookReference(const QUrl &url) {
    QUrl ref;
    ref.setScheme(url.scheme());
    ref.setHost(url.host());
    ref.setPort(url.port());
    ref.setPath(QStringLiteral("/"));
    ref.setFragment(kStoreFragment);
    return ref.toString();
}

bool NotificationDispatcher::webhookInStore(const NotifierRecord &channel) {
    return channel.kind == QLatin1String("webhook") && QUrl(channel.url).fragment() == kStoreFragment;
}

QString NotificationDispatcher::secretKey(const NotifierRecord &channel) {
    if (channel.kind == QLatin1String("smtp") && !channel.user.isEmpty())
        return passwordKey(channel.name);
    if (webhookInStore(channel))
        return webhookKey(channel.name);
    return {};
}

QString NotificationDispatcher::secretInWebhookUrl(const QUrl &url) {
    if (!url.userInfo().isEmpty())
        return QStringLiteral("it carries user info (a login or password)");
    // Slack, Teams and Discord put the secret in the path, and a query can hold one under any name: only a bare
    // scheme://host[:port][/] is known to hold none.
    const QString path = url.path(QUrl::FullyEncoded);
    if (!path.isEmpty() && path != QLatin1String("/"))
        return QStringLiteral("it has a path, where webhooks keep their secret (Slack, Teams, Discord)");
    if (url.hasQuery())
        return QStringLiteral("it has a query, which may hold a token");
    return {};
}

Error NotificationDispatcher::sendOne(const NotifierRecord &channel, const Notification &n, const QString &secret) {
    if (webhookInStore(channel)) {
        if (secret.isEmpty())
            return {ExitCode::Usage,
                    QStringLiteral("the URL of webhook \"%1\" (%2) is kept in the credential store, which has none for "
                                   "it here — unlock the store (see `lifeboatctl secrets status`) or add it again with "
                                   "`lifeboatctl notify add %1 --webhook-stdin`")
                        .arg(channel.name, QUrl(channel.url).toString(QUrl::RemovePath | QUrl::RemoveFragment))};
        return WebhookNotifier::send(QUrl(secret), n);
    }
    if (channel.kind == QLatin1String("webhook"))
        return WebhookNotifier::send(QUrl(channel.url), n);
    if (channel.kind == QLatin1String("smtp")) {
        SmtpNotifier::Settings s;
        s.url = channel.url;
        s.tls = channel.tls;
        s.from = channel.mailFrom;
        s.to = channel.mailTo;
        s.user = channel.user;
        s.password = secret;
        s.caFile = channel.caFile;
        return SmtpNotifier::send(s, n);
    }
    return {ExitCode::Usage, QStringLiteral("unknown notifier kind \"%1\"").arg(channel.kind)};
}

QStringList NotificationDispatcher::dispatch(const QList<NotifierRecord> &channels, const Notification &n,
                                             const SecretLookup &secretFor) {
    QStringList problems;
    for (const NotifierRecord &c : channels) {
        if (!wants(c, n))
            continue;
        const QString key = secretKey(c);
        const QString secret = (!key.isEmpty() && secretFor) ? secretFor(key) : QString();
        if (const Error e = sendOne(c, n, secret))
            problems << QStringLiteral("%1: %2").arg(c.name, e.message);
    }
    return problems;
}

} // namespace lifeboat
