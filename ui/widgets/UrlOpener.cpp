#include "ui/widgets/UrlOpener.h"

#include <QDesktopServices>

namespace lifeboat {

namespace {
UrlOpener::Handler &handler() {
    static UrlOpener::Handler h;
    return h;
}
} // namespace

void UrlOpener::setHandler(Handler h) {
    handler() = std::move(h);
}

bool UrlOpener::open(const QUrl &url) {
    if (handler())
        return handler()(url);
    return QDesktopServices::openUrl(url);
}

} // namespace lifeboat
