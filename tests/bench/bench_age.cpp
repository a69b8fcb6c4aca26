// Throughput of the age stages on one core: bench_age [MiB, default 512]. Encrypts that much plaintext in 1 MiB
// writes to a discarding sink, then decrypts the same amount (a 64 MiB ciphertext opened repeatedly, in 1 MiB
// writes). Prints MB/s (10^6 bytes per second); exits non-zero only if the stages fail or the data comes back wrong.
#include "crypto/AgeDecryptStage.h"
#include "crypto/AgeEncryptStage.h"
#include "crypto/AgeIdentity.h"
#include "pipeline/MemorySink.h"
#include "pipeline/Sha256.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>

#include <cstdio>

using namespace lifeboat;

namespace {

class DiscardSink : public ByteSink {
public:
    bool write(QByteArrayView data) override {
        m_bytes += data.size();
        return true;
    }
    bool finish() override { return true; }
    void abort() override {}
    qint64 m_bytes = 0;
};

// Hashes what it receives, to prove the decrypted stream is the original without keeping it.
class HashingSink : public ByteSink {
public:
    bool write(QByteArrayView data) override {
        m_hash.add(data);
        return true;
    }
    bool finish() override { return true; }
    void abort() override {}
    Sha256 m_hash;
};

double mbps(qint64 bytes, qint64 ns) {
    return ns > 0 ? double(bytes) / 1e6 / (double(ns) / 1e9) : 0;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const qint64 totalMiB = argc > 1 ? QByteArray(argv[1]).toLongLong() : 512;
    const qint64 total = totalMiB * 1024 * 1024;
    constexpr qsizetype kWrite = 1024 * 1024;

    QByteArray block(kWrite, Qt::Uninitialized);
    QRandomGenerator gen(42);
    for (auto &c : block)
        c = char(gen.bounded(256));

    const AgeKeyPair key = AgeIdentity::generate();
    const std::vector<AgeRecipient> recipients{*AgeRecipient::parse(key.recipient)};

    // Encrypt.
    DiscardSink discard;
    AgeEncryptStage enc(recipients, &discard);
    QElapsedTimer t;
    t.start();
    for (qint64 done = 0; done < total; done += kWrite) {
        if (!enc.write(block)) {
            fprintf(stderr, "encrypt failed: %s\n", qPrintable(enc.error().message));
            return 1;
        }
    }
    if (!enc.finish()) {
        fprintf(stderr, "encrypt failed: %s\n", qPrintable(enc.error().message));
        return 1;
    }
    const qint64 encNs = t.nsecsElapsed();

    // Decrypt: a 64 MiB file (or the whole size if smaller), opened as often as needed to reach the total.
    const qint64 fileMiB = qMin<qint64>(64, totalMiB);
    MemorySink cipherSink;
    AgeEncryptStage enc2(recipients, &cipherSink);
    Sha256 expected;
    for (qint64 i = 0; i < fileMiB; ++i) {
        enc2.write(block);
        expected.add(block);
    }
    enc2.finish();
    const QByteArray cipher = cipherSink.data();
    const QByteArray expectedHex = expected.finalHex();
    const qint64 rounds = (totalMiB + fileMiB - 1) / fileMiB;

    auto decryptOnce = [&](ByteSink *sink) {
        AgeDecryptStage dec({key.identity}, sink);
        for (qsizetype i = 0; i < cipher.size(); i += kWrite) {
            if (!dec.write(QByteArrayView(cipher).sliced(i, qMin<qsizetype>(kWrite, cipher.size() - i)))) {
                fprintf(stderr, "decrypt failed: %s\n", qPrintable(dec.error().message));
                return false;
            }
        }
        if (!dec.finish()) {
            fprintf(stderr, "decrypt failed: %s\n", qPrintable(dec.error().message));
            return false;
        }
        return true;
    };
    // Untimed correctness pass, then the timed rounds into the discarding sink.
    HashingSink check;
    if (!decryptOnce(&check))
        return 1;
    if (check.m_hash.finalHex() != expectedHex) {
        fprintf(stderr, "decrypted data does not match the plaintext\n");
        return 1;
    }
    t.restart();
    for (qint64 r = 0; r < rounds; ++r) {
        if (!decryptOnce(&discard))
            return 1;
    }
    const qint64 decNs = t.nsecsElapsed();
    const qint64 decBytes = rounds * fileMiB * 1024 * 1024;

    printf("age encrypt: %lld MiB in %.2f s = %.0f MB/s (one core, 1 MiB writes, X25519 recipient)\n",
           qlonglong(totalMiB), double(encNs) / 1e9, mbps(total, encNs));
    printf("age decrypt: %lld MiB in %.2f s = %.0f MB/s (one core, 1 MiB writes)\n", qlonglong(decBytes >> 20),
           double(decNs) / 1e9, mbps(decBytes, decNs));
    return 0;
}
