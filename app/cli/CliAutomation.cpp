#include "CliAutomation.h"

#include "CliContext.h"
#include "CliSecrets.h"

#include "jobs/StallWatch.h"
#include "notify/NotificationDispatcher.h"
#include "schedule/DueRunner.h"

using namespace lifeboat;

QDateTime CliAutomation::parseTime(const QString &text) {
    QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text.trimmed(), Qt::ISODate);
    return t;
}

void CliAutomation::notify(CliContext &ctx, const Notification &n) {
    const QList<NotifierRecord> channels = ctx.catalog()->notifiers();
    if (channels.isEmpty())
        return;
    CliSecrets secrets(ctx);
    const QStringList problems = NotificationDispatcher::dispatch(
        channels, n, [&](const QString &key) { return secrets.secret(key, false, QString()); });
    for (const QString &p : problems)
        ctx.err() << "lifeboatctl: warning: notification not delivered: " << p << Qt::endl;
}

std::unique_ptr<StallWatch> CliAutomation::watchStalls(CliContext &ctx, Job *job, const QString &profile,
                                                       const QString &what) {
    auto watch =
        std::make_unique<StallWatch>(job, DueRunner::stallLimitMs(ctx.config()), DueRunner::stallCancel(ctx.config()));
    QObject::connect(watch.get(), &StallWatch::stallDetected, watch.get(), [&ctx, profile, what](const QString &m) {
        ctx.err() << "lifeboatctl: stalled: " << m << Qt::endl;
        Notification n;
        n.event = QStringLiteral("job.stalled");
        n.failure = true;
        n.profile = profile;
        n.subject = QStringLiteral("[Lifeboat] STALLED: %1").arg(what);
        n.text = m;
        notify(ctx, n);
    });
    return watch;
}
