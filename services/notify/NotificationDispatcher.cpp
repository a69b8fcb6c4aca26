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

Error NotificationDispatcher::sendOne(const NotifierRecord &channel, const Notification &n, const QString &password) {
    if (channel.kind == QLatin1String("webhook"))
        return WebhookNotifier::send(QUrl(channel.url), n);
    if (channel.kind == QLatin1String("smtp")) {
        SmtpNotifier::Settings s;
        s.url = channel.url;
        s.tls = channel.tls;
        s.from = channel.mailFrom;
        s.to = channel.mailTo;
        s.user = channel.user;
        s.password = password;
        s.caFile = channel.caFile;
        return SmtpNotifier::send(s, n);
    }
    return {ExitCode::Usage, QStringLiteral("unknown notifier kind \"%1\"").arg(channel.kind)};
}

QStringList NotificationDispatcher::dispatch(const QList<NotifierRecord> &channels, const Notification &n,
                                             const PasswordLookup &passwordFor) {
    QStringList problems;
    for (const NotifierRecord &c : channels) {
        if (!wants(c, n))
            continue;
        const QString pw =
            (c.kind == QLatin1String("smtp") && !c.user.isEmpty() && passwordFor) ? passwordFor(c.name) : QString();
        if (const Error e = sendOne(c, n, pw))
            problems << QStringLiteral("%1: %2").arg(c.name, e.message);
    }
    return problems;
}

} // namespace lifeboat
