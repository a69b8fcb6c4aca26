// The pieces of manifest signing that need no server: Ed25519 against RFC 8032, the canonical JSON a signature
// covers (docs/security.md, "Manifest signing"), and ManifestVerifier's verdicts on manifests signed for real.
#include "catalog/CanonicalJson.h"
#include "catalog/Manifest.h"
#include "crypto/Ed25519.h"
#include "jobs/ManifestSigner.h"
#include "jobs/ManifestVerifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace lifeboat;

namespace {
Manifest sample() {
    Manifest m;
    m.toolVersion = QStringLiteral("test");
    m.profile = QStringLiteral("shop");
    m.host = QStringLiteral("db1:5432");
    m.database = QStringLiteral("shop");
    m.format = QStringLiteral("custom");
    m.artifact = QStringLiteral("shop_shop_2026-01-01_00-00-00Z.dump");
    m.size = 1234;
    m.sha256 = QString(64, QLatin1Char('a'));
    m.plainSha256 = m.sha256;
    m.started = QDateTime::fromString(QStringLiteral("2026-01-01T00:00:00.000Z"), Qt::ISODateWithMs);
    m.finished = m.started.addSecs(3);
    m.tables = {{QStringLiteral("public"), QStringLiteral("orders"), 40000},
                {QStringLiteral("public"), QStringLiteral("naïve \"quoted\"\n"), 7}};
    return m;
}

QByteArray replaceOnce(QByteArray json, const QByteArray &from, const QByteArray &to) {
    const qsizetype at = json.indexOf(from);
    if (at < 0)
        return {};
    return json.replace(at, from.size(), to);
}
} // namespace

class TstManifestSigningUnit : public QObject {
    Q_OBJECT

private slots:
    void ed25519MatchesRfc8032() {
        // RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72).
        const QByteArray seed = QByteArray::fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        QCOMPARE(Ed25519::publicKey(seed).toHex(),
                 QByteArray("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        QCOMPARE(
            Ed25519::sign(seed, QByteArray()).toHex(),
            QByteArray("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
                       "b46bd25bf5f0595bbe24655141438e7a100b"));
        const QByteArray seed2 =
            QByteArray::fromHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        const QByteArray pub2 = Ed25519::publicKey(seed2);
        const QByteArray sig2 = Ed25519::sign(seed2, QByteArray::fromHex("72"));
        QCOMPARE(sig2.toHex(), QByteArray("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e1"
                                          "5996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"));
        QVERIFY(Ed25519::verify(pub2, QByteArray::fromHex("72"), sig2));
        QVERIFY(!Ed25519::verify(pub2, QByteArray::fromHex("73"), sig2));
        QVERIFY(!Ed25519::verify(Ed25519::publicKey(seed), QByteArray::fromHex("72"), sig2));
        QVERIFY(Ed25519::publicKey(QByteArray(31, 'x')).isEmpty());
    }

    void publicKeyTextRoundTrips() {
        const QByteArray pub = Ed25519::publicKey(Ed25519::generatePrivateKey());
        const QString text = Ed25519::publicKeyText(pub);
        QVERIFY(text.startsWith(QLatin1String("ed25519:")));
        QCOMPARE(Ed25519::parsePublicKeyText(text), pub);
        QCOMPARE(Ed25519::parsePublicKeyText(QStringLiteral("  ") + text.mid(8) + QStringLiteral("\n")), pub);
        QVERIFY(Ed25519::parsePublicKeyText(QStringLiteral("ed25519:AAAA")).isEmpty());
        QVERIFY(Ed25519::parsePublicKeyText(QStringLiteral("ed25519:not base64!")).isEmpty());
        QCOMPARE(Ed25519::keyId(pub).size(), 32);
    }

    void canonicalJsonIsSortedCompactAndEscaped() {
        const QJsonObject o{{QStringLiteral("b"), 2},
                            {QStringLiteral("a"), QJsonArray{true, false, QJsonValue::Null, -3}},
                            {QStringLiteral("é"), QStringLiteral("x")},
                            {QStringLiteral("Z"), QStringLiteral("q\"\\\b\f\n\r\t\x01/é😀")},
                            {QStringLiteral("n"), QJsonObject{{QStringLiteral("y"), 1}, {QStringLiteral("x"), 0}}},
                            {QStringLiteral("big"), qint64(9007199254740991)}};
        QString err;
        const QByteArray c = CanonicalJson::serialize(o, &err);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QCOMPARE(c, QByteArray("{\"Z\":\"q\\\"\\\\\\b\\f\\n\\r\\t\\u0001/\xc3\xa9\xf0\x9f\x98\x80\","
                               "\"a\":[true,false,null,-3],\"b\":2,\"big\":9007199254740991,\"n\":{\"x\":0,\"y\":1},"
                               "\"\xc3\xa9\":\"x\"}"));
        // No canonical form for what a manifest never holds.
        QVERIFY(CanonicalJson::serialize(QJsonObject{{QStringLiteral("f"), 1.5}}, &err).isEmpty());
        QVERIFY(err.contains(QLatin1String("1.5")));
        QVERIFY(CanonicalJson::serialize(QJsonObject{{QStringLiteral("f"), 1e300}}, &err).isEmpty());
        // Sorting is by UTF-16 code units (RFC 8785): U+FB01 sorts after U+1F600's high surrogate (0xD83D).
        const QByteArray s =
            CanonicalJson::serialize(QJsonObject{{QStringLiteral("\uFB01"), 1}, {QStringLiteral("😀"), 2}}, &err);
        QVERIFY(s.indexOf("\xf0\x9f\x98\x80") < s.indexOf("\xef\xac\x81"));
    }

    void verdicts() {
        const auto mine = ManifestSigner::fromPrivateKey(Ed25519::generatePrivateKey());
        const auto other = ManifestSigner::fromPrivateKey(Ed25519::generatePrivateKey());
        const auto retired = ManifestSigner::fromPrivateKey(Ed25519::generatePrivateKey());
        QVERIFY(mine && other && retired);
        const QList<SigningKeyRecord> known{{mine->keyId(), mine->publicKeyText(), QStringLiteral("me"), {}},
                                            {retired->keyId(), retired->publicKeyText(), QStringLiteral("old"), {}}};
        const ManifestVerifier v(known, mine->keyId());
        const QByteArray plain = sample().toJson();
        QString err;
        const QByteArray signedByMe = mine->sign(plain, &err);
        QVERIFY2(!signedByMe.isEmpty(), qPrintable(err));
        QVERIFY(signedByMe.contains("\"signature\""));
        // The signed manifest still reads as the same manifest.
        const Manifest back = Manifest::fromJson(signedByMe, &err);
        QVERIFY(err.isEmpty());
        QCOMPARE(back.tables.size(), 2);

        QCOMPARE(v.verify(plain).signer, ManifestVerdict::Signer::Unsigned);
        QCOMPARE(v.verify(signedByMe).signer, ManifestVerdict::Signer::ThisInstallation);
        QCOMPARE(v.verify(retired->sign(plain, &err)).signer, ManifestVerdict::Signer::KnownKey);
        QCOMPARE(v.verify(retired->sign(plain, &err)).label, QStringLiteral("old"));
        const ManifestVerdict unknown = v.verify(other->sign(plain, &err));
        QCOMPARE(unknown.signer, ManifestVerdict::Signer::UnknownSigner);
        QCOMPARE(unknown.keyId, other->keyId());
        // Whitespace and member order are not part of what is signed.
        QJsonObject reordered = QJsonDocument::fromJson(signedByMe).object();
        QCOMPARE(v.verify(QJsonDocument(reordered).toJson(QJsonDocument::Compact)).signer,
                 ManifestVerdict::Signer::ThisInstallation);

        // A changed row count, a changed checksum: the signature no longer matches.
        const QByteArray rows = replaceOnce(signedByMe, "40000", "40001");
        QVERIFY(!rows.isEmpty());
        const ManifestVerdict tampered = v.verify(rows);
        QCOMPARE(tampered.signer, ManifestVerdict::Signer::Invalid);
        QVERIFY(tampered.problem.contains(QLatin1String("changed after it was signed")));
        QCOMPARE(v.verify(replaceOnce(signedByMe, QByteArray(64, 'a'), QByteArray(64, 'b'))).signer,
                 ManifestVerdict::Signer::Invalid);
        // Re-signed by someone else under this installation's key id: the catalog's key decides.
        QJsonObject forged = QJsonDocument::fromJson(other->sign(rows, &err)).object();
        QJsonObject sig = forged.value(QStringLiteral("signature")).toObject();
        sig[QStringLiteral("keyId")] = mine->keyId();
        forged[QStringLiteral("signature")] = sig;
        QCOMPARE(v.verify(QJsonDocument(forged).toJson()).signer, ManifestVerdict::Signer::Invalid);
        sig[QStringLiteral("publicKey")] = mine->publicKeyText();
        forged[QStringLiteral("signature")] = sig;
        QCOMPARE(v.verify(QJsonDocument(forged).toJson()).signer, ManifestVerdict::Signer::Invalid);
        // Malformed signature objects and other algorithms are refused, not ignored.
        QJsonObject odd = QJsonDocument::fromJson(signedByMe).object();
        odd[QStringLiteral("signature")] = QStringLiteral("trust me");
        QCOMPARE(v.verify(QJsonDocument(odd).toJson()).signer, ManifestVerdict::Signer::Invalid);
        QJsonObject rsa = QJsonDocument::fromJson(signedByMe).object();
        QJsonObject rsaSig = rsa.value(QStringLiteral("signature")).toObject();
        rsaSig[QStringLiteral("algorithm")] = QStringLiteral("none");
        rsa[QStringLiteral("signature")] = rsaSig;
        QCOMPARE(v.verify(QJsonDocument(rsa).toJson()).signer, ManifestVerdict::Signer::Invalid);
        QCOMPARE(v.verify("not json").signer, ManifestVerdict::Signer::Invalid);
    }

    void enforcement() {
        ManifestVerdict v;
        QVERIFY(!ManifestVerifier::enforce(v, false, QStringLiteral("x")));
        const Error unsignedRequired = ManifestVerifier::enforce(v, true, QStringLiteral("x"));
        QCOMPARE(unsignedRequired.code, ExitCode::Integrity);
        QVERIFY(unsignedRequired.message.contains(QLatin1String("--require-signed")));
        v.signer = ManifestVerdict::Signer::UnknownSigner;
        v.keyId = QStringLiteral("abc");
        QVERIFY(!ManifestVerifier::enforce(v, false, QStringLiteral("x")));
        QVERIFY(ManifestVerifier::enforce(v, true, QStringLiteral("x")).message.contains(QLatin1String("keys trust")));
        v.signer = ManifestVerdict::Signer::Invalid;
        QCOMPARE(ManifestVerifier::enforce(v, false, QStringLiteral("x")).code, ExitCode::Integrity);
        v.signer = ManifestVerdict::Signer::KnownKey;
        QVERIFY(!ManifestVerifier::enforce(v, true, QStringLiteral("x")));
    }

    void unsignedWithoutAnInstalledSigner() {
        ManifestSigner::install(nullptr);
        QString note;
        const QByteArray json = ManifestSigner::manifestJson(sample(), &note);
        QVERIFY(!json.contains("\"signature\""));
        QVERIFY(note.contains(QLatin1String("not signed")));
        const auto s = ManifestSigner::fromPrivateKey(Ed25519::generatePrivateKey());
        ManifestSigner::install(s);
        QVERIFY(ManifestSigner::manifestJson(sample(), &note).contains("\"signature\""));
        QCOMPARE(ManifestSigner::installationKeyId(), s->keyId());
        ManifestSigner::install(nullptr);
    }
};

QTEST_GUILESS_MAIN(TstManifestSigningUnit)
#include "tst_manifest_signing_unit.moc"
