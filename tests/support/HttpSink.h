#pragma once

// A local HTTP POST sink for webhook tests (tst_notify_cli, tst_missed_cli): serves on 127.0.0.1, records every
// request, answers `status`. Runs on the test thread's event loop, so lifeboatctl must be waited for with an event
// loop (not QProcess::waitForFinished).
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>

// One HTTP request as the sink received it.
struct HttpRequest {
    QByteArray method;
    QByteArray path;
    QByteArray contentType;
    QByteArray body;
};

// A POST sink: reads each request (headers + Content-Length body), records it and answers `status`.
class HttpSink : public QObject {
public:
    int status = 200;
    QList<HttpRequest> requests;

    bool listen() {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    void onData(QTcpSocket *s) {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        const qsizetype end = buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        HttpRequest r;
        const QList<QByteArray> lines = buf.left(end).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        r.method = first.value(0);
        r.path = first.value(1);
        qsizetype length = 0;
        for (const QByteArray &l : lines) {
            const QByteArray lower = l.trimmed().toLower();
            if (lower.startsWith("content-length:"))
                length = lower.mid(15).trimmed().toLongLong();
            if (lower.startsWith("content-type:"))
                r.contentType = l.trimmed().mid(13).trimmed();
        }
        if (buf.size() < end + 4 + length)
            return;
        r.body = buf.mid(end + 4, length);
        requests << r;
        m_buffers.remove(s);
        const QByteArray answer = status == 200 ? QByteArray("ok") : QByteArray("boom");
        s->write("HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Internal Server Error") +
                 "\r\nContent-Length: " + QByteArray::number(answer.size()) + "\r\nConnection: close\r\n\r\n" + answer);
        s->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};
