#include "notify/WebhookNotifier.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSysInfo>
#include <QThread>
#include <QTimer>

namespace lifeboat {

QByteArray WebhookNotifier::payload(const Notification &n) {
    QJsonObject o = n.fields;
    QString text = n.subject;
    if (!n.text.isEmpty())
        text += QLatin1Char('\n') + n.text;
    o[QStringLiteral("text")] = text;
    o[QStringLiteral("event")] = n.event;
    o[QStringLiteral("failure")] = n.failure;
    o[QStringLiteral("profile")] = n.profile;
    o[QStringLiteral("subject")] = n.subject;
    o[QStringLiteral("details")] = n.text;
    o[QStringLiteral("host")] = QSysInfo::machineHostName();
    o[QStringLiteral("time")] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Error WebhookNotifier::send(const QUrl &url, const Notification &n, int timeoutMs) {
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return {ExitCode::Usage,
                QStringLiteral("webhook URL must be http:// or https://, not \"%1:\"").arg(url.scheme())};
    auto *app = QCoreApplication::instance();
    if (app && QThread::currentThread() == app->thread() && app->inherits("QGuiApplication"))
        return {ExitCode::Usage, QStringLiteral("webhook: blocking send refused on the GUI thread")};

    QNetworkAccessManager nam;
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Lifeboat"));
    req.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = nam.post(req, payload(n));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer guard; // transferTimeout covers stalls; this covers a server that trickles forever
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, reply, &QNetworkReply::abort);
    guard.start(timeoutMs * 2);
    if (!reply->isFinished())
        loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // Webhook paths often are the secret (Slack, Teams): name only the host in messages.
    const QString where = url.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery);
    Error e;
    if (status >= 200 && status < 300)
        e = {};
    else if (status > 0)
        e = {ExitCode::Transfer, QStringLiteral("webhook %1 answered HTTP %2: %3")
                                     .arg(where)
                                     .arg(status)
                                     .arg(QString::fromUtf8(reply->readAll().left(200)).trimmed())};
    else
        e = {ExitCode::Transfer, QStringLiteral("webhook %1: %2").arg(where, reply->errorString())};
    delete reply;
    return e;
}

} // namespace lifeboat
