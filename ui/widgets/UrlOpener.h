#pragma once

#include <QUrl>

#include <functional>

namespace lifeboat {

// Every URL or file the application hands to the desktop (a browser, the file's viewer) goes through here, like
// MessageBox and FileDialog: tests install a handler and see what would have been opened, and nothing is launched.
class UrlOpener {
public:
    using Handler = std::function<bool(const QUrl &)>;

    // Replaces QDesktopServices::openUrl until reset with an empty handler.
    static void setHandler(Handler handler);
    // True when the desktop (or the handler) took the URL.
    static bool open(const QUrl &url);
};

} // namespace lifeboat
