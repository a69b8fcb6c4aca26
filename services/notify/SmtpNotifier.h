#pragma once

#include "core/ExitCode.h"
#include "notify/Notification.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace lifeboat {

// E-mail over SMTP through libcurl (a well-kept client; no hand-written SMTP here). TLS: "implicit" (smtps://,
// port 465), "starttls" (required: the send fails if the server does not offer it; the default for smtp://) or
// "none" (plain text, for a relay on localhost). Blocking; call it from a worker thread or the CLI.
class SmtpNotifier {
public:
    struct Settings {
        QString url; // smtp://host[:port] or smtps://host[:port]
        QString tls; // implicit | starttls | none; empty: by the URL's scheme
        QString from;
        QStringList to;
        QString user; // empty: no AUTH
        QString password;
        QString caFile; // extra CA bundle (self-signed relays)
        int timeoutMs = 30000;
    };

    // The RFC 5322 message: UTF-8 text/plain, RFC 2047 encoded subject, CRLF line ends.
    static QByteArray message(const Settings &s, const Notification &n, const QDateTime &date);
    static Error send(const Settings &s, const Notification &n);
    // Checks the settings without sending: URL scheme, TLS mode, addresses.
    static Error validate(const Settings &s);
};

} // namespace lifeboat
