#include "TestEnv.h"

#include "pipeline/Sha256.h"
#include "storage/SigV4Signer.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>
#include <QUrl>

using namespace lifeboat;

namespace {

QByteArray readFile(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

struct SuiteCase {
    SigV4Request request;
    SigV4Credentials credentials;
    QByteArray region, service;
    QDateTime time;
    qint64 expires = 0;
    bool signBody = false;
};

QByteArray percentDecode(const QByteArray &s) {
    return QByteArray::fromPercentEncoding(s);
}

// request.txt is a raw HTTP/1.1 request: "METHOD PATH[?QUERY] HTTP/1.1", "Name:value" header lines (a line
// starting with whitespace continues the previous value), a blank line, the body.
bool parseCase(const QString &dir, SuiteCase *c) {
    const QByteArray raw = readFile(dir + QStringLiteral("/request.txt"));
    const QJsonObject ctx = QJsonDocument::fromJson(readFile(dir + QStringLiteral("/context.json"))).object();
    if (raw.isEmpty() || ctx.isEmpty())
        return false;
    const qsizetype headerEnd = raw.indexOf("\n\n");
    const QByteArray head = headerEnd < 0 ? raw : raw.left(headerEnd);
    const QByteArray body = headerEnd < 0 ? QByteArray() : raw.mid(headerEnd + 2);
    QList<QByteArray> lines = head.split('\n');
    const QByteArray requestLine = lines.takeFirst();
    const qsizetype sp = requestLine.indexOf(' ');
    const qsizetype proto = requestLine.lastIndexOf(" HTTP/");
    c->request.method = requestLine.left(sp);
    QByteArray target = requestLine.mid(sp + 1, proto - sp - 1);
    const qsizetype q = target.indexOf('?');
    if (q >= 0) {
        for (const QByteArray &pair : target.mid(q + 1).split('&')) {
            const qsizetype eq = pair.indexOf('=');
            c->request.query.append({percentDecode(eq < 0 ? pair : pair.left(eq)),
                                     eq < 0 ? QByteArray() : percentDecode(pair.mid(eq + 1))});
        }
        target = target.left(q);
    }
    c->request.path = percentDecode(target);
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        if ((line.startsWith(' ') || line.startsWith('\t')) && !c->request.headers.isEmpty()) {
            c->request.headers.last().second += ' ' + line.trimmed();
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        c->request.headers.append({line.left(colon), line.mid(colon + 1)});
    }
    const QJsonObject creds = ctx.value(QStringLiteral("credentials")).toObject();
    c->credentials.accessKeyId = creds.value(QStringLiteral("access_key_id")).toString().toUtf8();
    c->credentials.secretAccessKey = creds.value(QStringLiteral("secret_access_key")).toString().toUtf8();
    c->credentials.sessionToken = creds.value(QStringLiteral("token")).toString().toUtf8();
    c->region = ctx.value(QStringLiteral("region")).toString().toUtf8();
    c->service = ctx.value(QStringLiteral("service")).toString().toUtf8();
    c->time = QDateTime::fromString(ctx.value(QStringLiteral("timestamp")).toString(), Qt::ISODate);
    c->expires = ctx.value(QStringLiteral("expiration_in_seconds")).toInteger();
    c->signBody = ctx.value(QStringLiteral("sign_body")).toBool();
    c->request.payloadHash = Sha256::hex(body);
    return c->time.isValid();
}

QDateTime s3DocTime() {
    return QDateTime(QDate(2013, 5, 24), QTime(0, 0), QTimeZone::utc());
}

SigV4Signer s3DocSigner() {
    return SigV4Signer({"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", {}}, "us-east-1");
}

} // namespace

class TstSigV4 : public QObject {
    Q_OBJECT
private slots:
    void awsSuite_data() {
        QTest::addColumn<QString>("dir");
        const QDir root(TestEnv::testDataDir() + QStringLiteral("/aws-sigv4/v4"));
        int count = 0;
        for (const QString &name : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QJsonObject ctx =
                QJsonDocument::fromJson(readFile(root.filePath(name) + QStringLiteral("/context.json"))).object();
            // The other cases assume generic SigV4 (path normalization, double encoding), which S3 does not use.
            if (ctx.value(QStringLiteral("normalize")).toBool(true))
                continue;
            QTest::newRow(qPrintable(name)) << root.filePath(name);
            ++count;
        }
        qInfo("AWS SigV4 suite: %d S3-mode (\"normalize\": false) cases in %s", count, qPrintable(root.path()));
        QVERIFY2(count > 0, "no \"normalize\": false cases found — is LIFEBOAT_TESTDATA_DIR right?");
    }

    void awsSuite() {
        QFETCH(QString, dir);
        SuiteCase c;
        QVERIFY(parseCase(dir, &c));
        const SigV4Signer signer(c.credentials, c.region, c.service);
        const auto expected = [&](const char *file) {
            return readFile(dir + QLatin1Char('/') + QLatin1String(file)).trimmed();
        };

        SigV4Request headerRequest = c.request;
        if (!c.signBody)
            headerRequest.payloadHash = SigV4Signer::emptyPayloadHash();
        const auto h = signer.signHeaders(headerRequest, c.time, c.signBody);
        QCOMPARE(h.canonicalRequest, expected("header-canonical-request.txt"));
        QCOMPARE(h.stringToSign, expected("header-string-to-sign.txt"));
        QCOMPARE(h.signature, expected("header-signature.txt"));
        const QByteArray signedRequest = expected("header-signed-request.txt");
        QVERIFY(signedRequest.contains("Signature=" + h.signature));

        const auto q = signer.presign(headerRequest, c.time, c.expires);
        QCOMPARE(q.canonicalRequest, expected("query-canonical-request.txt"));
        QCOMPARE(q.stringToSign, expected("query-string-to-sign.txt"));
        QCOMPARE(q.signature, expected("query-signature.txt"));
        QVERIFY(q.encodedQuery.endsWith("&X-Amz-Signature=" + q.signature));
    }

    // The worked examples of the S3 SigV4 documentation ("Examples: Signature Calculations").
    void s3DocGetObjectRange() {
        SigV4Request r;
        r.path = "/test.txt";
        r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}};
        const auto s = s3DocSigner().signHeaders(r, s3DocTime());
        QCOMPARE(s.signature, QByteArray("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        QVERIFY(s.canonicalRequest.contains("host;range;x-amz-content-sha256;x-amz-date"));
        QCOMPARE(s.addHeaders.last().second,
                 QByteArray("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
    }

    void s3DocPutObject() {
        SigV4Request r;
        r.method = "PUT";
        r.path = "/test$file.text";
        r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                     {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                     {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
        r.payloadHash = Sha256::hex("Welcome to Amazon S3.");
        QCOMPARE(r.payloadHash, QByteArray("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"));
        const auto s = s3DocSigner().signHeaders(r, s3DocTime());
        QVERIFY(s.canonicalRequest.startsWith("PUT\n/test%24file.text\n\n"));
        QCOMPARE(s.signature, QByteArray("98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
    }

    void s3DocGetBucketLifecycle() {
        SigV4Request r;
        r.path = "/";
        r.query = {{"lifecycle", ""}};
        r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
        const auto s = s3DocSigner().signHeaders(r, s3DocTime());
        QVERIFY(s.canonicalRequest.startsWith("GET\n/\nlifecycle=\n"));
        QCOMPARE(s.signature, QByteArray("fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
    }

    void s3DocListObjects() {
        SigV4Request r;
        r.path = "/";
        r.query = {{"prefix", "J"}, {"max-keys", "2"}}; // deliberately unsorted
        r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
        const auto s = s3DocSigner().signHeaders(r, s3DocTime());
        QVERIFY(s.canonicalRequest.startsWith("GET\n/\nmax-keys=2&prefix=J\n"));
        QCOMPARE(s.signature, QByteArray("34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
    }

    void s3DocPresignedGet() {
        SigV4Request r;
        r.path = "/test.txt";
        r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
        r.payloadHash = "UNSIGNED-PAYLOAD";
        const auto s = s3DocSigner().presign(r, s3DocTime(), 86400);
        QCOMPARE(s.signature, QByteArray("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
        QVERIFY(s.encodedQuery.contains(
            "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"));
        QVERIFY(s.encodedQuery.contains("X-Amz-Expires=86400"));
    }

    void sessionTokenIsSignedInBothModes() {
        SigV4Signer signer({"AKID", "secret", "token/with+special="}, "eu-west-1");
        SigV4Request r;
        r.path = "/b/k";
        r.headers = {{"Host", "h"}};
        const auto h = signer.signHeaders(r, s3DocTime());
        QVERIFY(h.canonicalRequest.contains("x-amz-security-token:token/with+special=\n"));
        QVERIFY(
            h.addHeaders.contains(qMakePair(QByteArray("X-Amz-Security-Token"), QByteArray("token/with+special="))));
        const auto q = signer.presign(r, s3DocTime(), 60);
        QVERIFY(q.encodedQuery.contains("X-Amz-Security-Token=token%2Fwith%2Bspecial%3D"));
        QVERIFY(q.canonicalRequest.contains("X-Amz-Security-Token=token%2Fwith%2Bspecial%3D"));
        // A different token must change the signature.
        SigV4Signer other({"AKID", "secret", "other"}, "eu-west-1");
        QVERIFY(other.signHeaders(r, s3DocTime()).signature != h.signature);
    }

    void uriEncodingIsSingleAndKeepsSlashesInPaths() {
        QCOMPARE(SigV4Signer::uriEncode("a b+c%d=e~f/g", false), QByteArray("a%20b%2Bc%25d%3De~f/g"));
        QCOMPARE(SigV4Signer::uriEncode("a/b"), QByteArray("a%2Fb"));
        QCOMPARE(SigV4Signer::uriEncode("\xc3\xa9"), QByteArray("%C3%A9"));
        // No normalization: dot segments are signed as written.
        SigV4Request r;
        r.path = "/b/a/../k";
        r.headers = {{"Host", "h"}};
        QVERIFY(s3DocSigner().signHeaders(r, s3DocTime()).canonicalRequest.startsWith("GET\n/b/a/../k\n"));
    }
};

QTEST_GUILESS_MAIN(TstSigV4)
#include "tst_sigv4.moc"
