#pragma once

#include <QString>

namespace lifeboat {

// Where the desktop app finds lifeboatctl, for what it runs as a separate process (recover's restore_command, the
// continuous WAL receivers): LIFEBOAT_CTL when set (tests, unusual installs), beside this program when installed,
// in the build tree's app/cli otherwise, or on PATH. Empty when none is found.
class CtlLocator {
public:
    static QString path();
};

} // namespace lifeboat
