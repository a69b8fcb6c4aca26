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
    // The SMTP password of a notifier (credential store key "smtp/NAME"); empty when it has none.
    using PasswordLookup = std::function<QString(const QString &notifierName)>;

    static bool wants(const NotifierRecord &channel, const Notification &n);
    static Error sendOne(const NotifierRecord &channel, const Notification &n, const QString &password);
    // Returns one line per channel that failed ("NAME: why").
    static QStringList dispatch(const QList<NotifierRecord> &channels, const Notification &n,
                                const PasswordLookup &passwordFor);

    static QString passwordKey(const QString &notifierName) { return QStringLiteral("smtp/") + notifierName; }
};

} // namespace lifeboat
