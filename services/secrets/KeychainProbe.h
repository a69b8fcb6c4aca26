#pragma once

#include <QString>

namespace lifeboat {

// The answer of KeychainProbe::detect().
struct KeychainStatus {
    enum class State {
        Available,           // a Secret Service answers and its default keyring is unlocked
        NoSessionBus,        // no D-Bus session bus (typical for cron, ssh, containers)
        NoSecretService,     // a session bus, but nothing provides org.freedesktop.secrets
        NoDefaultCollection, // the Secret Service has no default keyring to store into
        Locked,              // the default keyring is locked
        NotResponding,       // no answer within the timeout
    };
    State state = State::NotResponding;
    QString message;  // one line for the operator, says what is missing and what to do
    QString provider; // the process behind the Secret Service when known, e.g. "gnome-keyring-daemon"

    bool available() const { return state == State::Available; }
};

// Does a Secret Service keychain answer? Asked at start-up so the CLI and the GUI can say visibly when secrets
// will have to be given each time. Talks D-Bus directly (org.freedesktop.Secret.Service) rather than through
// QtKeychain, because QtKeychain 0.13 cannot tell "no backend" apart from other failures and has no availability
// check. The whole probe runs on a helper thread and is abandoned after `timeoutMs`, so a wedged bus or a service
// that never finishes activating cannot hang the caller; the QCoreApplication's destructor joins the helper threads
// still running (up to 30 s), so none of them is inside QtDBus while the process tears down. Safe from any thread;
// blocks the caller up to timeoutMs. Known limit: with a bus that accepts the connection but never answers,
// QtDBus's own connection thread stays blocked in libdbus's 25 s default timeout, which can delay process exit by
// up to that long (the answer itself still comes after timeoutMs). No bus at all, or no Secret Service on it,
// answers within milliseconds.
class KeychainProbe {
public:
    // An answer less than 10 s old is reused (one probe per CLI run instead of one per secret) unless `fresh`.
    static KeychainStatus detect(int timeoutMs = 3000, bool fresh = false);

private:
    static KeychainStatus detectNow(int timeoutMs);
};

} // namespace lifeboat
