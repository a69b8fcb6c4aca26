#include "ops/Notify.h"

#include "catalog/Catalog.h"
#include "core/CredentialStore.h"
#include "notify/NotificationDispatcher.h"

namespace lifeboat {

QStringList Notify::send(Catalog &catalog, CredentialStore *secrets, const Notification &n) {
    const QList<NotifierRecord> channels = catalog.notifiers();
    if (channels.isEmpty())
        return {};
    return NotificationDispatcher::dispatch(channels, n, [secrets](const QString &key) {
        return secrets ? secrets->read(key).value_or(QString()) : QString();
    });
}

} // namespace lifeboat
