#include "storage/S3Client.h"
#include "storage/S3UploadSink.h"
#include "storage/S3Xml.h"

#include <QTest>
#include <QTimeZone>
#include <QUrlQuery>

using namespace lifeboat;

namespace {

S3Config config(bool pathStyle) {
    S3Config c;
    c.endpoint = QUrl(QStringLiteral("http://127.0.0.1:9000"));
    c.bucket = QStringLiteral("bk");
    c.pathStyle = pathStyle;
    c.accessKeyId = QStringLiteral("AKID");
    c.secretAccessKey = QStringLiteral("SECRET");
    return c;
}

} // namespace

// The parts of the S3 client that need no server: XML answers, addressing, presign limits, part sizing.
class TstS3Offline : public QObject {
    Q_OBJECT
private slots:
    void parseListPage() {
        const QByteArray xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bk</Name><Prefix>p/</Prefix>"
            "<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>"
            "<Contents><Key>p/a &amp; "
            "b.dump</Key><LastModified>2026-11-21T10:00:00.000Z</LastModified><ETag>\"abc\"</ETag>"
            "<Size>1234</Size><StorageClass>STANDARD</StorageClass></Contents>"
            "<CommonPrefixes><Prefix>p/daily/</Prefix></CommonPrefixes>"
            "<NextContinuationToken>tok+/=</NextContinuationToken></ListBucketResult>";
        S3ListResult r;
        QVERIFY(S3Xml::parseList(xml, &r));
        QCOMPARE(r.objects.size(), 1);
        QCOMPARE(r.objects[0].key, QStringLiteral("p/a & b.dump"));
        QCOMPARE(r.objects[0].size, 1234);
        QCOMPARE(r.objects[0].etag, QStringLiteral("abc"));
        QCOMPARE(r.objects[0].storageClass, QStringLiteral("STANDARD"));
        QCOMPARE(r.objects[0].lastModified, QDateTime(QDate(2026, 11, 21), QTime(10, 0), QTimeZone::utc()));
        QCOMPARE(r.commonPrefixes, QStringList{QStringLiteral("p/daily/")});
        QVERIFY(r.truncated);
        QCOMPARE(r.nextContinuationToken, QStringLiteral("tok+/="));
        QVERIFY(!S3Xml::parseList("<Error><Code>NoSuchBucket</Code></Error>", &r));
    }

    void parseOtherAnswers() {
        QList<S3Bucket> buckets;
        QVERIFY(S3Xml::parseBuckets(
            "<ListAllMyBucketsResult><Buckets><Bucket><Name>one</Name><CreationDate>2026-01-01T00:00:00Z"
            "</CreationDate></Bucket><Bucket><Name>two</Name></Bucket></Buckets></ListAllMyBucketsResult>",
            &buckets));
        QCOMPARE(buckets.size(), 2);
        QCOMPARE(buckets[1].name, QStringLiteral("two"));
        QCOMPARE(
            S3Xml::parseUploadId("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u-1</UploadId>"
                                 "</InitiateMultipartUploadResult>"),
            QStringLiteral("u-1"));
        const auto e = S3Xml::parseError("<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your rate"
                                         "</Message></Error>");
        QCOMPARE(e.code, QStringLiteral("SlowDown"));
        QCOMPARE(e.message, QStringLiteral("Reduce your rate"));
        QVERIFY(!S3Xml::parseError("<CompleteMultipartUploadResult><ETag>x</ETag></CompleteMultipartUploadResult>")
                     .isError());
        const QByteArray body =
            S3Xml::completeMultipartBody({{1, QStringLiteral("\"e1\"")}, {2, QStringLiteral("\"e2\"")}});
        QVERIFY(body.contains("<Part><PartNumber>2</PartNumber><ETag>&quot;e2&quot;</ETag></Part>") ||
                body.contains("<Part><PartNumber>2</PartNumber><ETag>\"e2\"</ETag></Part>"));
    }

    void addressingAndEncoding() {
        Error e;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString key = QStringLiteral("dir/a b+c%d=e~f é$.dump");
        const auto path = S3Client(config(true)).presignGet(key, 60, &e, now);
        QVERIFY2(path.has_value(), qPrintable(e.message));
        // The wire form must be exactly what was signed: single encoding, '/' kept, nothing decoded by QUrl.
        QCOMPARE(path->toEncoded(QUrl::RemoveQuery),
                 QByteArray("http://127.0.0.1:9000/bk/dir/a%20b%2Bc%25d%3De~f%20%C3%A9%24.dump"));
        const auto vhost = S3Client(config(false)).presignGet(key, 60, &e, now);
        QVERIFY(vhost.has_value());
        QCOMPARE(vhost->host(), QStringLiteral("bk.127.0.0.1"));
        QCOMPARE(vhost->path(QUrl::FullyEncoded), QStringLiteral("/dir/a%20b%2Bc%25d%3De~f%20%C3%A9%24.dump"));
        const QUrlQuery q(*path);
        QCOMPARE(q.queryItemValue(QStringLiteral("X-Amz-Expires")), QStringLiteral("60"));
        QCOMPARE(q.queryItemValue(QStringLiteral("X-Amz-SignedHeaders")), QStringLiteral("host"));
        QCOMPARE(q.queryItemValue(QStringLiteral("X-Amz-Signature")).size(), 64);
        // AWS default endpoint when none is configured.
        S3Config aws = config(false);
        aws.endpoint = QUrl();
        aws.region = QStringLiteral("eu-west-1");
        QCOMPARE(aws.effectiveEndpoint(), QUrl(QStringLiteral("https://s3.eu-west-1.amazonaws.com")));
    }

    void presignLimits() {
        S3Client client(config(true));
        Error e;
        QVERIFY(client.presignGet(QStringLiteral("k"), S3Client::kMaxPresignSeconds, &e).has_value());
        QVERIFY(client.presignGet(QStringLiteral("k"), S3Client::kDefaultPresignSeconds, &e).has_value());
        QCOMPARE(S3Client::kDefaultPresignSeconds, 900);
        QVERIFY(!client.presignGet(QStringLiteral("k"), 604801, &e).has_value());
        QCOMPARE(e.code, ExitCode::Usage);
        QVERIFY2(e.message.contains(QStringLiteral("7 days")), qPrintable(e.message));
        QVERIFY(!client.presignGet(QStringLiteral("k"), 0, &e).has_value());
    }

    void configHelpers() {
        S3Config c = config(true);
        QVERIFY(!c.validate());
        c.prefix = QStringLiteral("/team/db/");
        QCOMPARE(c.keyFor(QStringLiteral("/manual/x.dump")), QStringLiteral("team/db/manual/x.dump"));
        c.prefix.clear();
        QCOMPARE(c.keyFor(QStringLiteral("x")), QStringLiteral("x"));
        c.secretAccessKey.clear();
        QCOMPARE(c.validate().code, ExitCode::Usage);
        c = config(true);
        c.endpoint = QUrl(QStringLiteral("ftp://x"));
        QCOMPARE(c.validate().code, ExitCode::Usage);
        c = config(true);
        c.caFile = QStringLiteral("/nonexistent/ca.pem");
        S3Client client(c);
        QCOMPARE(client.configError().code, ExitCode::Usage);
        QVERIFY(client.configError().message.contains(QStringLiteral("/nonexistent/ca.pem")));
    }

    void partSizes() {
        const qint64 MiB = 1024 * 1024;
        QCOMPARE(S3UploadSink::choosePartSize(16 * MiB, -1), 16 * MiB);
        QCOMPARE(S3UploadSink::choosePartSize(1 * MiB, -1), 5 * MiB); // S3's minimum
        QCOMPARE(S3UploadSink::choosePartSize(16 * MiB, 100 * MiB), 16 * MiB);
        const qint64 huge = 1000LL * 1024 * MiB; // 1 TiB
        const qint64 p = S3UploadSink::choosePartSize(16 * MiB, huge);
        QVERIFY(p > 16 * MiB);
        QVERIFY((huge + p - 1) / p < S3UploadSink::kMaxParts);
        QCOMPARE(p % MiB, 0);
        QCOMPARE(S3UploadSink::choosePartSize(16 * MiB, 100000LL * 1024 * 1024 * MiB), S3UploadSink::kMaxPartSize);
    }

    // The multipart ETag an upload is checked against: MD5 over the parts' binary MD5s, "-", the part count
    // (expected value computed independently with Python's hashlib).
    void multipartEtag() {
        const QList<QByteArray> parts{QCryptographicHash::hash("hello", QCryptographicHash::Md5),
                                      QCryptographicHash::hash("world", QCryptographicHash::Md5)};
        QCOMPARE(S3UploadSink::multipartEtag(parts), QStringLiteral("065947336a2f2a95ba8899f3675c3be6-2"));
    }
};

QTEST_GUILESS_MAIN(TstS3Offline)
#include "tst_s3offline.moc"
