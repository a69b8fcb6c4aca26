#pragma once

#include "notify/Notification.h"

#include <QStringList>

namespace lifeboat {

class Catalog;
class CredentialStore;

// Sends one notification to every channel in the catalog that wants it (NotificationDispatcher), a channel's own
// secret (SMTP password, webhook token) read from `secrets`. Blocks on the catalog and the network: a worker or a
// CLI. Delivery problems come back as text for the front end to show; a failed delivery never fails the operation.
class Notify {
public:
    static QStringList send(Catalog &catalog, CredentialStore *secrets, const Notification &n);
};

} // namespace lifeboat
