#pragma once

#include "notify/Notification.h"

#include <QStringList>

#include <memory>

namespace lifeboat {

class Catalog;
class CredentialStore;
class Job;
class StallWatch;
struct UseCaseContext;

// Sends one notification to every channel in the catalog that wants it (NotificationDispatcher), a channel's own
// secret (SMTP password, webhook token) read from `secrets`. Blocks on the catalog and the network: a worker or a
// CLI. Delivery problems come back as text for the front end to show; a failed delivery never fails the operation.
class Notify {
public:
    static QStringList send(Catalog &catalog, CredentialStore *secrets, const Notification &n);
    // Watches `job` for stalls (settings stallMinutes, default 10, and stallCancel): a stall goes to ctx.stalled
    // and, as job.stalled about `source` ("[Lifeboat] STALLED: " + what), to ctx.notify. Null when
    // ctx.watchStalls is off. Keep it until the job is done.
    static std::shared_ptr<StallWatch> watchStalls(const UseCaseContext &ctx, Job *job, const QString &source,
                                                   const QString &what);
};

} // namespace lifeboat
