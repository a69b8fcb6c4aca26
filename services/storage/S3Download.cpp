#include "storage/S3Download.h"

#include "pipeline/AtomicFileSink.h"
#include "pipeline/Sha256.h"
#include "storage/S3Session.h"
#include "storage/S3Types.h"

#include <QFile>

namespace lifeboat {

namespace {

// Hashes and counts on the way to the file sink; seeded with the bytes of a resumed partial file.
class HashingForwarder : public ByteSink {
public:
    explicit HashingForwarder(ByteSink *next)
        : m_next(next) {}
    void seed(QByteArrayView data) { m_hash.add(data); }
    bool write(QByteArrayView data) override {
        m_hash.add(data);
        m_bytes += data.size();
        return m_next->write(data) || failFrom(*m_next);
    }
    bool finish() override { return true; } // the caller finishes the file only after checking the hash
    void abort() override { m_next->abort(); }
    QByteArray hex() { return m_hash.finalHex(); }
    qint64 bytes() const { return m_bytes; }

private:
    ByteSink *m_next;
    Sha256 m_hash;
    qint64 m_bytes = 0;
};

} // namespace

Error S3Download::toFile(S3Session &session, const QString &key, const QString &finalPath,
                         const QByteArray &expectedSha256Hex, Result *result, bool durable) {
    S3ObjectInfo info;
    if (Error e = session.headObject(key, &info))
        return e;

    auto sink = std::make_unique<AtomicFileSink>(finalPath, AtomicFileSink::Mode::Append);
    sink->setDurable(durable);
    if (!sink->open())
        return sink->error();
    if (sink->existingBytes() > info.size) {
        // The partial is longer than the object: it belongs to something else; start over.
        sink->abort();
        sink = std::make_unique<AtomicFileSink>(finalPath, AtomicFileSink::Mode::Truncate);
        sink->setDurable(durable);
        if (!sink->open())
            return sink->error();
    }
    const qint64 existing = sink->existingBytes();
    HashingForwarder forward(sink.get());
    if (existing > 0) {
        QFile partial(sink->partialPath());
        if (!partial.open(QIODevice::ReadOnly))
            return {ExitCode::Transfer,
                    QStringLiteral("cannot read %1 to resume it: %2").arg(partial.fileName(), partial.errorString())};
        qint64 left = existing;
        while (left > 0) {
            const QByteArray chunk = partial.read(std::min<qint64>(left, 4 * 1024 * 1024));
            if (chunk.isEmpty())
                return {ExitCode::Transfer, QStringLiteral("cannot read %1 to resume it").arg(partial.fileName())};
            forward.seed(chunk);
            left -= chunk.size();
        }
    }

    if (existing < info.size) {
        if (Error e = session.getObject(key, &forward, existing)) {
            // Keep the partial for a later resume (Range from its end) unless the sink itself failed.
            if (e.code != ExitCode::Integrity)
                sink->keepPartial();
            return e;
        }
    }
    const qint64 total = existing + forward.bytes();
    const QByteArray actual = forward.hex();
    if (result)
        *result = {total, existing, actual};
    if (total != info.size) {
        sink->abort();
        return {ExitCode::Integrity, QStringLiteral("download of %1 has %2 bytes, the object has %3; the partial file "
                                                    "was deleted")
                                         .arg(key)
                                         .arg(total)
                                         .arg(info.size)};
    }
    if (!expectedSha256Hex.isEmpty() && actual.compare(expectedSha256Hex.toLower()) != 0) {
        sink->abort();
        return {ExitCode::Integrity,
                QStringLiteral("SHA-256 of %1 is %2 but %3 was expected — the object was altered or corrupted; the "
                               "partial file was deleted")
                    .arg(key, QString::fromLatin1(actual), QString::fromLatin1(expectedSha256Hex))};
    }
    if (!sink->finish())
        return sink->error();
    return {};
}

} // namespace lifeboat
