#include "notify/SmtpNotifier.h"

#include <QLocale>
#include <QSysInfo>
#include <QUrl>
#include <QUuid>

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace lifeboat {

namespace {
// Header values must never carry a line break: that would let a profile name or error text inject headers.
QString oneLine(QString s) {
    s.replace(QLatin1Char('\r'), QLatin1Char(' '));
    s.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return s.trimmed();
}

QByteArray encodedWord(const QString &s) {
    bool ascii = true;
    for (QChar c : s)
        if (c.unicode() > 126 || c.unicode() < 32)
            ascii = false;
    if (ascii)
        return s.toLatin1();
    return "=?UTF-8?B?" + s.toUtf8().toBase64() + "?=";
}

QString tlsMode(const SmtpNotifier::Settings &s) {
    if (!s.tls.isEmpty())
        return s.tls;
    return QUrl(s.url).scheme() == QLatin1String("smtps") ? QStringLiteral("implicit") : QStringLiteral("starttls");
}

struct Upload {
    QByteArray data;
    qsizetype pos = 0;
};

extern "C" size_t readPayload(char *buffer, size_t size, size_t nitems, void *userdata) {
    auto *u = static_cast<Upload *>(userdata);
    const qsizetype room = qsizetype(size * nitems);
    const qsizetype n = std::min(room, u->data.size() - u->pos);
    if (n > 0)
        std::memcpy(buffer, u->data.constData() + u->pos, size_t(n));
    u->pos += n;
    return size_t(n);
}

struct CurlDeleter {
    void operator()(CURL *c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};
} // namespace

Error SmtpNotifier::validate(const Settings &s) {
    const QUrl url(s.url);
    if (!url.isValid() || (url.scheme() != QLatin1String("smtp") && url.scheme() != QLatin1String("smtps")) ||
        url.host().isEmpty())
        return {ExitCode::Usage, QStringLiteral("SMTP URL must look like smtp://host:587 or smtps://host:465")};
    const QString tls = tlsMode(s);
    if (tls != QLatin1String("implicit") && tls != QLatin1String("starttls") && tls != QLatin1String("none"))
        return {ExitCode::Usage, QStringLiteral("TLS mode must be implicit, starttls or none, not \"%1\"").arg(tls)};
    if (url.scheme() == QLatin1String("smtps") && tls != QLatin1String("implicit"))
        return {ExitCode::Usage, QStringLiteral("smtps:// is implicit TLS; use smtp:// for starttls or none")};
    if (!s.from.contains(QLatin1Char('@')))
        return {ExitCode::Usage, QStringLiteral("the sender address \"%1\" is not an e-mail address").arg(s.from)};
    if (s.to.isEmpty())
        return {ExitCode::Usage, QStringLiteral("no recipient: pass --to ADDRESS")};
    for (const QString &t : s.to)
        if (!t.contains(QLatin1Char('@')))
            return {ExitCode::Usage, QStringLiteral("the recipient \"%1\" is not an e-mail address").arg(t)};
    return {};
}

QByteArray SmtpNotifier::message(const Settings &s, const Notification &n, const QDateTime &date) {
    QByteArray m;
    const QString host = QSysInfo::machineHostName();
    m += "Date: " + QLocale::c().toString(date.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss")).toLatin1() +
         " +0000\r\n";
    m += "From: <" + oneLine(s.from).toUtf8() + ">\r\n";
    QStringList to;
    for (const QString &t : s.to)
        to << QStringLiteral("<%1>").arg(oneLine(t));
    m += "To: " + to.join(QStringLiteral(", ")).toUtf8() + "\r\n";
    m += "Subject: " + encodedWord(oneLine(n.subject)) + "\r\n";
    m += "Message-ID: <" + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1() + "@" +
         (host.isEmpty() ? QByteArray("lifeboat") : oneLine(host).toUtf8()) + ">\r\n";
    m += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n";
    m += "X-Lifeboat-Event: " + oneLine(n.event).toUtf8() + "\r\n\r\n";
    QString body = n.text.isEmpty() ? n.subject : n.text;
    body.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    for (const QString &line : body.split(QLatin1Char('\n')))
        m += line.toUtf8() + "\r\n"; // libcurl dot-stuffs lines that start with '.'
    return m;
}

Error SmtpNotifier::send(const Settings &s, const Notification &n) {
    if (const Error e = validate(s))
        return e;
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        return {ExitCode::Transfer, QStringLiteral("SMTP: libcurl could not start")};
    const QString tls = tlsMode(s);
    const QByteArray url = s.url.toUtf8();
    const QByteArray from = "<" + oneLine(s.from).toUtf8() + ">";
    std::unique_ptr<curl_slist, SlistDeleter> rcpt;
    for (const QString &t : s.to) {
        const QByteArray addr = "<" + oneLine(t).toUtf8() + ">";
        rcpt.reset(curl_slist_append(rcpt.release(), addr.constData()));
    }
    Upload upload{message(s, n, QDateTime::currentDateTimeUtc())};
    const QByteArray user = s.user.toUtf8();
    const QByteArray password = s.password.toUtf8();
    const QByteArray ca = s.caFile.toUtf8();
    char errbuf[CURL_ERROR_SIZE] = {};
    CURL *c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &readPayload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(s.timeoutMs));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(std::min(s.timeoutMs, 15000)));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    // starttls: CURLUSESSL_ALL makes a server without STARTTLS a failure instead of a silent plain-text send.
    curl_easy_setopt(c, CURLOPT_USE_SSL, tls == QLatin1String("none") ? long(CURLUSESSL_NONE) : long(CURLUSESSL_ALL));
    if (!user.isEmpty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(c, CURLOPT_PASSWORD, password.constData());
    }
    if (!ca.isEmpty())
        curl_easy_setopt(c, CURLOPT_CAINFO, ca.constData());
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        const QString why = errbuf[0] ? QString::fromUtf8(errbuf) : QString::fromUtf8(curl_easy_strerror(rc));
        const QUrl u(s.url);
        const ExitCode code = rc == CURLE_LOGIN_DENIED ? ExitCode::Usage : ExitCode::Transfer;
        return {code, QStringLiteral("SMTP %1:%2: %3")
                          .arg(u.host())
                          .arg(u.port(tls == QLatin1String("implicit") ? 465 : 25))
                          .arg(why)};
    }
    return {};
}

} // namespace lifeboat
