#include "redis/RedisConnection.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>

namespace lifeboat {

namespace {
constexpr int kSlice = 200; // ms per wait, so cancellation is noticed quickly
constexpr qsizetype kMaxLine = 64 * 1024;
// A length or count comes from the peer: bounded before anything is allocated for it, so a hostile or broken
// server gets a clear error instead of making the process abort. 512 MB is Redis' own limit for one bulk string
// (proto-max-bulk-len); 1M elements is its limit for a request (proto-max-multibulk) and far more than any reply
// Lifeboat asks for holds.
constexpr qint64 kMaxBulk = 512LL * 1024 * 1024;
constexpr qint64 kMaxElements = 1024 * 1024;
constexpr qsizetype kReadChunk = 1 << 20;

QByteArray encode(const QList<QByteArray> &args) {
    QByteArray out = "*" + QByteArray::number(args.size()) + "\r\n";
    for (const QByteArray &a : args)
        out += "$" + QByteArray::number(a.size()) + "\r\n" + a + "\r\n";
    return out;
}
} // namespace

RedisConnection::RedisConnection() = default;
RedisConnection::~RedisConnection() = default;

bool RedisConnection::failIo(Error *error, const QString &what) {
    const QString why = m_socket ? m_socket->errorString() : QString();
    *error = {ExitCode::Transfer, QStringLiteral("Redis %1: %2%3")
                                      .arg(m_peer, what, why.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(why))};
    return false;
}

bool RedisConnection::open(const RedisUrl &url, Error *error) {
    m_peer = url.display();
    if (url.tls()) {
        auto ssl = std::make_unique<QSslSocket>();
        if (!m_caFile.isEmpty()) {
            const auto certs = QSslCertificate::fromPath(m_caFile, QSsl::Pem);
            if (certs.isEmpty()) {
                *error = {ExitCode::Usage, QStringLiteral("--ca-file %1 holds no PEM certificate").arg(m_caFile)};
                return false;
            }
            QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
            conf.addCaCertificates(certs);
            ssl->setSslConfiguration(conf);
        }
        ssl->connectToHostEncrypted(url.host(), quint16(url.port()));
        const bool ok = ssl->waitForEncrypted(m_timeoutMs);
        if (!ok) {
            const auto errs = ssl->sslHandshakeErrors();
            *error = {ExitCode::Transfer,
                      QStringLiteral("Redis %1: TLS connection failed: %2%3")
                          .arg(m_peer, errs.isEmpty() ? ssl->errorString() : errs.first().errorString(),
                               errs.isEmpty() ? QString() : QStringLiteral(" — pass --ca-file with the server's CA"))};
            return false;
        }
        m_socket = std::move(ssl);
    } else {
        m_socket = std::make_unique<QTcpSocket>();
        m_socket->connectToHost(url.host(), quint16(url.port()));
        if (!m_socket->waitForConnected(m_timeoutMs))
            return failIo(error, QStringLiteral("cannot connect"));
    }
    if (!url.password().isEmpty()) {
        QList<QByteArray> args{"AUTH"};
        if (!url.user().isEmpty())
            args << url.user().toUtf8();
        args << url.password().toUtf8();
        const auto r = command(args, error);
        if (!r)
            return false;
        if (r->isError()) {
            // The server's words ("WRONGPASS invalid username-password pair") never contain the password.
            *error = {ExitCode::Usage, QStringLiteral("Redis %1 refused the credentials: %2 — check the password "
                                                      "(--password-stdin, or the source's stored secret)")
                                           .arg(m_peer, r->errorText())};
            return false;
        }
    }
    const auto pong = command({"PING"}, error);
    if (!pong)
        return false;
    if (pong->isError()) {
        const bool auth = pong->text.startsWith("NOAUTH");
        *error = {auth ? ExitCode::Usage : ExitCode::Transfer,
                  auth ? QStringLiteral("Redis %1 requires a password — pass --password-stdin or store one with "
                                        "`lifeboatctl redis add NAME --url … --password-stdin`")
                             .arg(m_peer)
                       : QStringLiteral("Redis %1: %2").arg(m_peer, pong->errorText())};
        return false;
    }
    return true;
}

bool RedisConnection::waitRead(Error *error) {
    QElapsedTimer t;
    t.start();
    while (m_socket->bytesAvailable() == 0) {
        if (m_cancel && m_cancel->load()) {
            *error = {ExitCode::Cancelled, QStringLiteral("cancelled")};
            return false;
        }
        if (m_socket->state() != QAbstractSocket::ConnectedState && m_socket->bytesAvailable() == 0)
            return failIo(error, QStringLiteral("the server closed the connection"));
        if (t.elapsed() > m_timeoutMs)
            return failIo(error, QStringLiteral("no answer within %1 s").arg(m_timeoutMs / 1000));
        m_socket->waitForReadyRead(kSlice);
    }
    return true;
}

bool RedisConnection::readLine(QByteArray *line, Error *error) {
    QElapsedTimer t;
    t.start();
    while (!m_socket->canReadLine()) {
        if (m_socket->bytesAvailable() > kMaxLine) {
            *error = {ExitCode::Transfer, QStringLiteral("Redis %1: a protocol line is too long").arg(m_peer)};
            return false;
        }
        if (m_cancel && m_cancel->load()) {
            *error = {ExitCode::Cancelled, QStringLiteral("cancelled")};
            return false;
        }
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            return failIo(error, QStringLiteral("the server closed the connection"));
        if (t.elapsed() > m_timeoutMs)
            return failIo(error, QStringLiteral("no answer within %1 s").arg(m_timeoutMs / 1000));
        m_socket->waitForReadyRead(kSlice);
    }
    *line = m_socket->readLine(kMaxLine);
    if (line->endsWith("\r\n"))
        line->chop(2);
    else if (line->endsWith('\n'))
        line->chop(1);
    return true;
}

bool RedisConnection::readExact(qsizetype n, QByteArray *out, Error *error) {
    out->clear();
    // Grows with what actually arrives: a length the server announces but never sends costs nothing.
    out->reserve(qMin(n, kReadChunk));
    while (out->size() < n) {
        if (!waitRead(error))
            return false;
        out->append(m_socket->read(qMin(n - out->size(), kReadChunk)));
    }
    return true;
}

std::optional<RespValue> RedisConnection::readReply(Error *error, int depth) {
    if (depth > 8) {
        *error = {ExitCode::Transfer, QStringLiteral("Redis %1: reply nested too deeply").arg(m_peer)};
        return std::nullopt;
    }
    QByteArray line;
    if (!readLine(&line, error))
        return std::nullopt;
    if (line.isEmpty()) {
        *error = {ExitCode::Transfer, QStringLiteral("Redis %1: empty reply line").arg(m_peer)};
        return std::nullopt;
    }
    RespValue v;
    const QByteArray rest = line.mid(1);
    switch (line.at(0)) {
    case '+':
        v.type = RespValue::Type::Simple;
        v.text = rest;
        return v;
    case '-':
        v.type = RespValue::Type::Error;
        v.text = rest;
        return v;
    case ':':
        v.type = RespValue::Type::Integer;
        v.integer = rest.toLongLong();
        return v;
    case '$': {
        bool ok = false;
        const qint64 n = rest.toLongLong(&ok);
        if (!ok || n < -1 || n > kMaxBulk) {
            *error = {ExitCode::Transfer,
                      QStringLiteral("Redis %1: invalid bulk reply length \"%2\" (at most %3 bytes) "
                                     "— is this a Redis server?")
                          .arg(m_peer, QString::fromLatin1(rest.left(40).toPercentEncoding()))
                          .arg(kMaxBulk)};
            return std::nullopt;
        }
        if (n < 0)
            return v; // Null
        QByteArray data;
        if (!readExact(n + 2, &data, error))
            return std::nullopt;
        v.type = RespValue::Type::Bulk;
        v.text = data.left(n);
        return v;
    }
    case '*': {
        bool ok = false;
        const qint64 n = rest.toLongLong(&ok);
        if (!ok || n < -1 || n > kMaxElements) {
            *error = {ExitCode::Transfer, QStringLiteral("Redis %1: invalid array reply length \"%2\" (at most %3 "
                                                         "elements) — is this a Redis server?")
                                              .arg(m_peer, QString::fromLatin1(rest.left(40).toPercentEncoding()))
                                              .arg(kMaxElements)};
            return std::nullopt;
        }
        if (n < 0)
            return v;
        v.type = RespValue::Type::Array;
        for (qint64 i = 0; i < n; ++i) {
            auto e = readReply(error, depth + 1);
            if (!e)
                return std::nullopt;
            v.elements << *e;
        }
        return v;
    }
    default:
        *error = {ExitCode::Transfer, QStringLiteral("Redis %1: unexpected reply \"%2\" — is this a Redis server?")
                                          .arg(m_peer, QString::fromLatin1(line.left(40).toPercentEncoding(" :.-_")))};
        return std::nullopt;
    }
}

std::optional<RespValue> RedisConnection::command(const QList<QByteArray> &args, Error *error) {
    if (!m_socket) {
        *error = {ExitCode::Usage, QStringLiteral("Redis: not connected")};
        return std::nullopt;
    }
    m_socket->write(encode(args));
    while (m_socket->bytesToWrite() > 0) {
        if (!m_socket->waitForBytesWritten(m_timeoutMs)) {
            failIo(error, QStringLiteral("sending %1 failed").arg(QString::fromLatin1(args.value(0))));
            return std::nullopt;
        }
    }
    return readReply(error);
}

QHash<QString, QString> RedisConnection::info(const QString &section, Error *error) {
    QHash<QString, QString> out;
    const auto r = command({"INFO", section.toUtf8()}, error);
    if (!r)
        return out;
    if (r->isError()) {
        *error = {ExitCode::Transfer,
                  QStringLiteral("Redis %1: INFO %2 failed: %3").arg(m_peer, section, r->errorText())};
        return out;
    }
    for (const QByteArray &l : r->text.split('\n')) {
        const QByteArray line = l.trimmed();
        const int colon = line.indexOf(':');
        if (line.isEmpty() || line.startsWith('#') || colon < 0)
            continue;
        out.insert(QString::fromUtf8(line.left(colon)), QString::fromUtf8(line.mid(colon + 1)));
    }
    return out;
}

bool RedisConnection::fetchRdb(ByteSink *sink, const std::function<void(qint64, qint64)> &progress, Error *error) {
    // Snapshot only (Redis 7+); an older server's refusal is harmless.
    if (!command({"REPLCONF", "rdb-only", "1"}, error))
        return false;
    m_socket->write(encode({"SYNC"}));
    if (!m_socket->waitForBytesWritten(m_timeoutMs))
        return failIo(error, QStringLiteral("sending SYNC failed"));

    // Keep-alive newlines come while the server's fork writes the snapshot; wait as long as they keep coming.
    QByteArray line;
    do {
        if (!readLine(&line, error))
            return false;
    } while (line.isEmpty());
    if (line.startsWith('-')) {
        const QString why = QString::fromUtf8(line.mid(1));
        const bool perm = why.startsWith(QLatin1String("NOPERM")) || why.contains(QLatin1String("unknown command"));
        *error = {perm ? ExitCode::Usage : ExitCode::Transfer,
                  QStringLiteral("Redis %1 refused SYNC: %2%3")
                      .arg(m_peer, why,
                           perm ? QStringLiteral(" — the user needs +sync +replconf, or use --rdb-path on the "
                                                 "server's host")
                                : QString())};
        return false;
    }
    if (!line.startsWith('$')) {
        *error = {ExitCode::Transfer, QStringLiteral("Redis %1: unexpected answer to SYNC").arg(m_peer)};
        return false;
    }
    QByteArray buf;
    qint64 done = 0;
    // Without "REPLCONF capa eof" the server always sends the length-prefixed form (never "$EOF:<mark>").
    bool ok = false;
    const qint64 total = line.mid(1).toLongLong(&ok);
    if (!ok || total < 0) {
        *error = {ExitCode::Transfer, QStringLiteral("Redis %1: malformed RDB length").arg(m_peer)};
        return false;
    }
    while (done < total) {
        if (!waitRead(error))
            return false;
        buf = m_socket->read(qMin<qint64>(total - done, 1 << 20));
        if (!sink->write(buf)) {
            *error = sink->error();
            return false;
        }
        done += buf.size();
        if (progress)
            progress(done, total);
    }
    return true;
}

} // namespace lifeboat
