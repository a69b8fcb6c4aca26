#pragma once

#include "core/ExitCode.h"
#include "notify/Notification.h"

#include <QByteArray>
#include <QUrl>

namespace lifeboat {

// Posts a notification as JSON. The body has a top-level "text" (what Slack and Microsoft Teams incoming webhooks
// display) plus structured fields ("event", "failure", "profile", "subject", "details", "host", "time" and the
// notification's own fields) for anything that parses it.
class WebhookNotifier {
public:
    static QByteArray payload(const Notification &n);

    // Blocking POST with a private QNetworkAccessManager and a local event loop, so it is for worker threads and
    // the CLI's main thread only: on a GUI thread it refuses (Usage) instead of spinning a nested loop. Any 2xx
    // answer is success; anything else, a timeout or a network error is a Transfer error naming the cause.
    static Error send(const QUrl &url, const Notification &n, int timeoutMs = 15000);
};

} // namespace lifeboat
