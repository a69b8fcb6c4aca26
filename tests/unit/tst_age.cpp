// age format in Lifeboat's own terms: keys, round trips at the chunk boundaries, several recipients, passphrases,
// and what a wrong key, a tampered file or a truncated file do to the decrypting stage.
#include "crypto/AgeArmorStage.h"
#include "crypto/AgeDecryptStage.h"
#include "crypto/AgeEncryptStage.h"
#include "crypto/AgeIdentity.h"
#include "crypto/Bech32.h"
#include "pipeline/MemorySink.h"
#include "pipeline/Sha256.h"

#include <QRandomGenerator>
#include <QTest>

using namespace lifeboat;

namespace {

// The X25519 identity of the CCTV vectors; its public key is checked against age-keygen in tst_age_interop.
const QString kCctvIdentity =
    QStringLiteral("AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0");

QByteArray randomBytes(qsizetype n, quint32 seed) {
    QByteArray data(n, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    for (auto &c : data)
        c = char(gen.bounded(256));
    return data;
}

// Records the largest single write, to show the stages forward chunk by chunk instead of buffering the stream.
class RecordingSink : public MemorySink {
public:
    bool write(QByteArrayView data) override {
        m_largest = qMax(m_largest, data.size());
        return MemorySink::write(data);
    }
    qsizetype largestWrite() const { return m_largest; }

private:
    qsizetype m_largest = 0;
};

class FailingSink : public ByteSink {
public:
    bool write(QByteArrayView) override { return fail(ExitCode::Transfer, QStringLiteral("disk full (test)")); }
    bool finish() override { return true; }
    void abort() override { m_aborted = true; }
    bool m_aborted = false;
};

bool feed(ByteSink &sink, QByteArrayView data, qsizetype piece) {
    for (qsizetype i = 0; i < data.size(); i += piece) {
        if (!sink.write(data.sliced(i, qMin(piece, data.size() - i))))
            return false;
    }
    return sink.finish();
}

QByteArray encrypt(const std::vector<AgeRecipient> &recipients, QByteArrayView plain, qsizetype piece = 1 << 20) {
    RecordingSink out;
    AgeEncryptStage enc(recipients, &out);
    if (!feed(enc, plain, piece)) {
        qWarning("encrypt failed: %s", qPrintable(enc.error().message));
        return {};
    }
    return out.data();
}

struct Decrypted {
    bool ok = false;
    AgeDecryptStage::Failure failure = AgeDecryptStage::Failure::None;
    Error error;
    QByteArray plain;
    qsizetype largestWrite = 0;
};

Decrypted decrypt(const std::vector<AgeIdentity> &ids, QByteArrayView cipher, qsizetype piece = 1 << 20) {
    RecordingSink out;
    AgeDecryptStage dec(ids, &out);
    Decrypted d;
    d.ok = feed(dec, cipher, piece);
    d.failure = dec.failure();
    d.error = dec.error();
    d.plain = out.data();
    d.largestWrite = out.largestWrite();
    return d;
}

// Length of the header + nonce of an age file, found the same way a reader would.
qsizetype payloadOffset(const QByteArray &file) {
    return file.indexOf("\n---") + 4 + 45 + 16;
}

} // namespace

class TstAge : public QObject {
    Q_OBJECT
private slots:
    void bech32KnownAndStrict() {
        // BIP 173's own valid test string.
        QVERIFY(Bech32::decode("A12UEL5L").has_value());
        QVERIFY(Bech32::decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw").has_value());
        QVERIFY(!Bech32::decode("A12uEL5L").has_value());                                      // mixed case
        QVERIFY(!Bech32::decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx").has_value()); // checksum
        QVERIFY(!Bech32::decode("1qzzfhee").has_value());                                      // empty hrp
        const QByteArray data = randomBytes(32, 1);
        const auto back = Bech32::decode(Bech32::encode("age", data));
        QVERIFY(back.has_value());
        QCOMPARE(back->hrp, QByteArray("age"));
        QCOMPARE(back->data, data);
        QVERIFY(Bech32::encode("AGE-SECRET-KEY-", data).startsWith("AGE-SECRET-KEY-1"));
    }

    void identityParsingRoundTrips() {
        QString why;
        const auto id = AgeIdentity::parse(kCctvIdentity, &why);
        QVERIFY2(id.has_value(), qPrintable(why));
        QCOMPARE(id->secretKeyString(), kCctvIdentity);
        QVERIFY(id->recipient().has_value());
        const QString pub = id->recipient()->toString();
        QVERIFY(pub.startsWith(QLatin1String("age1")));
        QCOMPARE(AgeRecipient::parse(pub)->toString(), pub);

        // age insists on upper-case identities and lower-case recipients.
        QVERIFY(!AgeIdentity::parse(kCctvIdentity.toLower(), &why));
        QVERIFY(!AgeRecipient::parse(pub.toUpper(), &why));
        // A secret key given where a recipient belongs: a helpful message that does not echo the key.
        QVERIFY(!AgeRecipient::parse(kCctvIdentity, &why));
        QVERIFY(why.contains(QLatin1String("secret key")));
        QVERIFY(!why.contains(kCctvIdentity.mid(16, 20)));
        QString corrupt = kCctvIdentity;
        corrupt[30] = corrupt[30] == QLatin1Char('Q') ? QLatin1Char('P') : QLatin1Char('Q');
        QVERIFY(!AgeIdentity::parse(corrupt, &why));
        QVERIFY(!why.contains(corrupt.mid(16, 20)));
        QVERIFY(!AgeIdentity::parse(pub, &why));
        QVERIFY(!AgeRecipient::parse(QStringLiteral("age1qqqq"), &why));
    }

    void generatedKeysAndKeyFile() {
        const AgeKeyPair a = AgeIdentity::generate();
        const AgeKeyPair b = AgeIdentity::generate();
        QVERIFY(a.recipient != b.recipient);
        QCOMPARE(a.identity.recipient()->toString(), a.recipient);
        const QByteArray file = a.identityFileContents(QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC));
        const QList<QByteArray> lines = file.split('\n');
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], QByteArray("# created: 2026-01-02T03:04:05Z"));
        QCOMPARE(lines[1], "# public key: " + a.recipient.toLatin1());
        QVERIFY(lines[2].startsWith("AGE-SECRET-KEY-1"));
        QCOMPARE(lines[3], QByteArray());

        // Identity files: comments, blank lines, CRLF, several keys.
        QString why;
        const QByteArray two = file + "\r\n# another\r\n" + b.identity.secretKeyString().toLatin1() + "\r\n\n";
        const auto ids = AgeIdentity::parseIdentityFile(two, &why);
        QVERIFY2(ids.has_value(), qPrintable(why));
        QCOMPARE(ids->size(), size_t(2));
        QCOMPARE(ids->at(0).recipient()->toString(), a.recipient);
        QCOMPARE(ids->at(1).recipient()->toString(), b.recipient);

        QVERIFY(!AgeIdentity::parseIdentityFile("# only a comment\n\n", &why));
        QVERIFY(why.contains(QLatin1String("no secret keys")));
        QVERIFY(!AgeIdentity::parseIdentityFile(file + "AGE-SECRET-KEY-1NOTAKEY\n", &why));
        QVERIFY2(why.contains(QLatin1String("line 4")), qPrintable(why));

        const auto recipients = AgeRecipient::parseRecipientsFile(
            "# team\n" + a.recipient.toLatin1() + "\n\n" + b.recipient.toLatin1() + "\n", &why);
        QVERIFY2(recipients.has_value(), qPrintable(why));
        QCOMPARE(recipients->size(), size_t(2));
    }

    void roundTrips_data() {
        QTest::addColumn<qsizetype>("size");
        QTest::addColumn<qsizetype>("encPiece");
        QTest::addColumn<qsizetype>("decPiece");
        QTest::newRow("0 bytes") << qsizetype(0) << qsizetype(1) << qsizetype(1);
        QTest::newRow("1 byte") << qsizetype(1) << qsizetype(1) << qsizetype(3);
        QTest::newRow("1 byte, whole") << qsizetype(1) << qsizetype(1 << 20) << qsizetype(1 << 20);
        QTest::newRow("65535") << qsizetype(65535) << qsizetype(4093) << qsizetype(65537);
        QTest::newRow("65536 whole") << qsizetype(65536) << qsizetype(1 << 20) << qsizetype(1 << 20);
        QTest::newRow("65536 odd") << qsizetype(65536) << qsizetype(7) << qsizetype(4093);
        QTest::newRow("65537") << qsizetype(65537) << qsizetype(65536) << qsizetype(65552);
        QTest::newRow("65537 odd") << qsizetype(65537) << qsizetype(1021) << qsizetype(17);
        QTest::newRow("3 chunks exactly") << qsizetype(3 * 65536) << qsizetype(65537) << qsizetype(65551);
        QTest::newRow("5 MiB + 123") << qsizetype(5 * 1024 * 1024 + 123) << qsizetype(1000003) << qsizetype(65553);
        QTest::newRow("5 MiB + 123 tiny pieces")
            << qsizetype(5 * 1024 * 1024 + 123) << qsizetype(65535) << qsizetype(4099);
    }

    void roundTrips() {
        QFETCH(qsizetype, size);
        QFETCH(qsizetype, encPiece);
        QFETCH(qsizetype, decPiece);
        const AgeKeyPair key = AgeIdentity::generate();
        const QByteArray plain = randomBytes(size, quint32(size));

        RecordingSink out;
        AgeEncryptStage enc({*AgeRecipient::parse(key.recipient)}, &out);
        QVERIFY2(feed(enc, plain, encPiece), qPrintable(enc.error().message));
        QVERIFY(out.finished());
        QCOMPARE(enc.plaintextBytes(), quint64(size));
        const QByteArray cipher = out.data();
        QVERIFY(AgeDecryptStage::looksLikeAge(cipher));
        // Size is exactly header + nonce + plaintext + one tag per chunk (an empty file still has one chunk).
        const qsizetype chunks = qMax<qsizetype>(1, (size + 65535) / 65536);
        QCOMPARE(cipher.size(), payloadOffset(cipher) + size + 16 * chunks);
        QVERIFY(out.largestWrite() <= qMax<qsizetype>(65552, payloadOffset(cipher)));

        const Decrypted d = decrypt({key.identity}, cipher, decPiece);
        QVERIFY2(d.ok, qPrintable(d.error.message));
        QCOMPARE(d.plain.size(), plain.size());
        QVERIFY(d.plain == plain);
        QVERIFY(d.largestWrite <= 65536); // plaintext leaves one verified chunk at a time
    }

    void oversizedHeaderIsRefused() {
        // A stream of stanzas that never closes must not be buffered without bound.
        QByteArray endless = "age-encryption.org/v1\n";
        while (endless.size() < 2 * AgeDecryptStage::kMaxHeaderSize)
            endless += "-> grease abc\n\n";
        const Decrypted d = decrypt({AgeIdentity::generate().identity}, endless, 100000);
        QVERIFY(!d.ok);
        QCOMPARE(d.failure, AgeDecryptStage::Failure::Header);
        QVERIFY2(d.error.message.contains(QLatin1String("larger than")), qPrintable(d.error.message));
    }

    void multipleRecipients() {
        const AgeKeyPair a = AgeIdentity::generate();
        const AgeKeyPair b = AgeIdentity::generate();
        const AgeKeyPair c = AgeIdentity::generate();
        const QByteArray plain = randomBytes(200000, 5);
        std::vector<AgeRecipient> rs{*AgeRecipient::parse(a.recipient), *AgeRecipient::parse(b.recipient),
                                     *AgeRecipient::parse(c.recipient)};
        AgeEncryptStage probe(rs, nullptr);
        QCOMPARE(probe.recipientStrings(), (QStringList{a.recipient, b.recipient, c.recipient}));
        const QByteArray cipher = encrypt(rs, plain);
        QCOMPARE(cipher.count("\n-> X25519 "), 3);
        for (const AgeKeyPair *k : {&a, &b, &c}) {
            const Decrypted d = decrypt({k->identity}, cipher, 777);
            QVERIFY2(d.ok, qPrintable(d.error.message));
            QVERIFY(d.plain == plain);
        }
        // Several identities, only the last one matching.
        const Decrypted d = decrypt({AgeIdentity::generate().identity, c.identity}, cipher);
        QVERIFY2(d.ok, qPrintable(d.error.message));
    }

    void wrongIdentityMatchesNothing() {
        const AgeKeyPair right = AgeIdentity::generate();
        const QByteArray cipher = encrypt({*AgeRecipient::parse(right.recipient)}, randomBytes(100000, 9));
        const Decrypted d = decrypt({AgeIdentity::generate().identity, AgeIdentity::passphrase("nope")}, cipher, 100);
        QVERIFY(!d.ok);
        QCOMPARE(d.failure, AgeDecryptStage::Failure::NoMatch);
        QCOMPARE(d.error.code, ExitCode::Integrity);
        QVERIFY2(d.error.message.startsWith(QLatin1String("no identity matched this backup")),
                 qPrintable(d.error.message));
        QVERIFY(d.plain.isEmpty());

        const Decrypted none = decrypt({}, cipher);
        QVERIFY(!none.ok);
        QCOMPARE(none.error.code, ExitCode::Usage);
    }

    void passphraseRoundTrip() {
        const QByteArray plain = randomBytes(70000, 11);
        const QByteArray cipher = encrypt({AgeRecipient::passphrase("correct horse", 10)}, plain, 999);
        QVERIFY(cipher.contains("\n-> scrypt "));
        QVERIFY(cipher.contains(" 10\n"));
        const Decrypted d = decrypt({AgeIdentity::passphrase("correct horse")}, cipher, 4096);
        QVERIFY2(d.ok, qPrintable(d.error.message));
        QVERIFY(d.plain == plain);

        const Decrypted wrong = decrypt({AgeIdentity::passphrase("incorrect horse")}, cipher);
        QVERIFY(!wrong.ok);
        QCOMPARE(wrong.failure, AgeDecryptStage::Failure::NoMatch);
        QVERIFY(wrong.error.message.startsWith(QLatin1String("no identity matched this backup")));
        QVERIFY(!wrong.error.message.contains(QLatin1String("horse")));

        // A reader that caps the work factor below the file's refuses it as malformed rather than spend the time.
        const Decrypted capped = decrypt({AgeIdentity::passphrase("correct horse", 9)}, cipher);
        QVERIFY(!capped.ok);
        QCOMPARE(capped.failure, AgeDecryptStage::Failure::Header);
        QVERIFY2(capped.error.message.contains(QLatin1String("work factor")), qPrintable(capped.error.message));
    }

    void passphraseDefaultWorkFactor() {
        AgeRecipient r = AgeRecipient::passphrase("default strength");
        QCOMPARE(r.workFactor(), 18);
        QCOMPARE(r.toString(), QStringLiteral("scrypt"));
        const QByteArray cipher = encrypt({r}, "small secret");
        QVERIFY(cipher.contains(" 18\n"));
        const Decrypted d = decrypt({AgeIdentity::passphrase("default strength")}, cipher);
        QVERIFY2(d.ok, qPrintable(d.error.message));
        QCOMPARE(d.plain, QByteArray("small secret"));
    }

    void encryptRefusesBadConfigurations() {
        MemorySink out;
        const AgeKeyPair k = AgeIdentity::generate();
        {
            AgeEncryptStage enc({AgeRecipient::passphrase("pw", 10), *AgeRecipient::parse(k.recipient)}, &out);
            QVERIFY(!enc.write("x"));
            QCOMPARE(enc.error().code, ExitCode::Usage);
            QVERIFY(enc.error().message.contains(QLatin1String("only one")) ||
                    enc.error().message.contains(QLatin1String("combined")));
        }
        {
            AgeEncryptStage enc({}, &out);
            QVERIFY(!enc.finish());
            QCOMPARE(enc.error().code, ExitCode::Usage);
        }
        {
            AgeEncryptStage enc({AgeRecipient::passphrase("pw", 23)}, &out);
            QVERIFY(!enc.finish());
            QVERIFY(enc.error().message.contains(QLatin1String("work factor")));
        }
        QVERIFY(out.data().isEmpty());
    }

    void tamperingIsDetected() {
        const AgeKeyPair k = AgeIdentity::generate();
        const QByteArray plain = randomBytes(3 * 65536 + 500, 13);
        const QByteArray cipher = encrypt({*AgeRecipient::parse(k.recipient)}, plain);
        const qsizetype payload = payloadOffset(cipher);

        // A flipped bit in the second chunk: the first chunk is released (it verified), nothing after it.
        QByteArray bad = cipher;
        bad[payload + 65552 + 10] = char(bad[payload + 65552 + 10] ^ 1);
        Decrypted d = decrypt({k.identity}, bad, 5000);
        QVERIFY(!d.ok);
        QCOMPARE(d.failure, AgeDecryptStage::Failure::Payload);
        QCOMPARE(d.error.code, ExitCode::Integrity);
        QVERIFY(d.plain == plain.first(65536));

        // Truncated at a chunk boundary: every chunk verifies, but the final one is missing.
        d = decrypt({k.identity}, QByteArrayView(cipher).first(payload + 2 * 65552), 65552);
        QVERIFY(!d.ok);
        QCOMPARE(d.failure, AgeDecryptStage::Failure::Payload);
        QVERIFY2(d.error.message.contains(QLatin1String("truncated")), qPrintable(d.error.message));

        // Truncated inside a chunk, in the header, before the nonce.
        for (qsizetype cut : {payload + 65552 + 100, qsizetype(30), payload - 5}) {
            d = decrypt({k.identity}, QByteArrayView(cipher).first(cut));
            QVERIFY(!d.ok);
            QCOMPARE(d.error.code, ExitCode::Integrity);
        }

        // Trailing bytes after the final chunk.
        d = decrypt({k.identity}, cipher + "x");
        QVERIFY(!d.ok);
        QCOMPARE(d.failure, AgeDecryptStage::Failure::Payload);

        // A changed header (an added grease stanza, re-encoded validly) breaks the MAC.
        QByteArray header = cipher;
        header.insert(header.indexOf("\n---") + 1, "-> grease x\n\n");
        d = decrypt({k.identity}, header);
        QVERIFY(!d.ok);
        QCOMPARE(d.failure, AgeDecryptStage::Failure::HeaderMac);
        QVERIFY2(d.error.message.contains(QLatin1String("MAC")), qPrintable(d.error.message));
        QVERIFY(d.plain.isEmpty());

        // Not an age file at all: rejected from the first bytes.
        MemorySink sink;
        AgeDecryptStage stage({k.identity}, &sink);
        QVERIFY(!stage.write("PGDMP\x01\x0e"));
        QVERIFY(stage.error().message.contains(QLatin1String("not an age")));
        QVERIFY(!AgeDecryptStage::looksLikeAge("PGDMP"));
    }

    void armorRoundTrip_data() {
        QTest::addColumn<qsizetype>("size");
        for (qsizetype s : {0, 1, 47, 48, 49, 65536, 200000})
            QTest::addRow("%lld bytes", qlonglong(s)) << s;
    }

    void armorRoundTrip() {
        QFETCH(qsizetype, size);
        const AgeKeyPair k = AgeIdentity::generate();
        const QByteArray plain = randomBytes(size, quint32(size) + 100);
        MemorySink out;
        AgeArmorStage armor(&out);
        AgeEncryptStage enc({*AgeRecipient::parse(k.recipient)}, &armor);
        QVERIFY(feed(enc, plain, 1000));
        const QByteArray text = out.data();
        QVERIFY(text.startsWith("-----BEGIN AGE ENCRYPTED FILE-----\n"));
        QVERIFY(text.endsWith("\n-----END AGE ENCRYPTED FILE-----\n"));
        QVERIFY(AgeDecryptStage::looksLikeArmoredAge("\n  " + text));
        QVERIFY(!AgeDecryptStage::looksLikeAge(text));
        const QList<QByteArray> lines = text.split('\n');
        for (qsizetype i = 1; i + 2 < lines.size(); ++i)
            QVERIFY(lines[i].size() == 64 || (i + 3 == lines.size() && !lines[i].isEmpty() && lines[i].size() < 64));

        Decrypted d = decrypt({k.identity}, text, 61);
        QVERIFY2(d.ok, qPrintable(d.error.message));
        QVERIFY(d.plain == plain);
        // CRLF line ends and surrounding whitespace are part of the armor format.
        QByteArray crlf = text;
        crlf.replace("\n", "\r\n");
        d = decrypt({k.identity}, " \r\n" + crlf + "\t\n", 7);
        QVERIFY2(d.ok, qPrintable(d.error.message));
        QVERIFY(d.plain == plain);

        // A damaged armor line is an armor failure, reported before the payload is judged.
        QByteArray damaged = text;
        damaged[40] = '*';
        MemorySink sink;
        AgeDecryptStage dec({k.identity}, &sink);
        QVERIFY(!feed(dec, damaged, 1 << 20));
        QCOMPARE(dec.failure(), AgeDecryptStage::Failure::Armor);
        QCOMPARE(dec.error().code, ExitCode::Integrity);
        // A caller that insists on binary input refuses armor.
        MemorySink sink2;
        AgeDecryptStage binaryOnly({k.identity}, &sink2, AgeDecryptStage::Input::Binary);
        QVERIFY(!feed(binaryOnly, text, 1 << 20));
        QCOMPARE(binaryOnly.failure(), AgeDecryptStage::Failure::Header);
    }

    void downstreamFailurePropagates() {
        const AgeKeyPair k = AgeIdentity::generate();
        FailingSink failing;
        AgeEncryptStage enc({*AgeRecipient::parse(k.recipient)}, &failing);
        QVERIFY(!enc.write("data"));
        QCOMPARE(enc.error().code, ExitCode::Transfer);
        QCOMPARE(enc.error().message, QStringLiteral("disk full (test)"));
        enc.abort();
        QVERIFY(failing.m_aborted);

        const QByteArray cipher = encrypt({*AgeRecipient::parse(k.recipient)}, "payload");
        FailingSink failing2;
        AgeDecryptStage dec({k.identity}, &failing2);
        QVERIFY(dec.write(cipher)); // the only chunk is the final one: released by finish()
        QVERIFY(!dec.finish());
        QCOMPARE(dec.error().code, ExitCode::Transfer);
        QCOMPARE(dec.failure(), AgeDecryptStage::Failure::Downstream);
    }
};

QTEST_GUILESS_MAIN(TstAge)
#include "tst_age.moc"
