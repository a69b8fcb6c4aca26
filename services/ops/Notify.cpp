#include "ops/Notify.h"

#include "catalog/Catalog.h"
#include "core/CredentialStore.h"
#include "jobs/StallWatch.h"
#include "notify/NotificationDispatcher.h"
#include "ops/UseCaseContext.h"
#include "schedule/DueRunner.h"

namespace lifeboat {

QStringList Notify::send(Catalog &catalog, CredentialStore *secrets, const Notification &n) {
    const QList<NotifierRecord> channels = catalog.notifiers();
    if (channels.isEmpty())
        return {};
    return NotificationDispatcher::dispatch(channels, n, [secrets](const QString &key) {
        return secrets ? secrets->read(key).value_or(QString()) : QString();
    });
}

std::shared_ptr<StallWatch> Notify::watchStalls(const UseCaseContext &ctx, Job *job, const QString &source,
                                                const QString &what) {
    if (!ctx.watchStalls)
        return nullptr;
    auto watch =
        std::make_shared<StallWatch>(job, DueRunner::stallLimitMs(ctx.config), DueRunner::stallCancel(ctx.config));
    QObject::connect(watch.get(), &StallWatch::stallDetected, watch.get(),
                     [stalled = ctx.stalled, notify = ctx.notify, source, what](const QString &m) {
                         if (stalled)
                             stalled(m);
                         if (!notify)
                             return;
                         Notification n;
                         n.event = QStringLiteral("job.stalled");
                         n.failure = true;
                         n.profile = source;
                         n.subject = QStringLiteral("[Lifeboat] STALLED: %1").arg(what);
                         n.text = m;
                         notify(n);
                     });
    return watch;
}

} // namespace lifeboat
