#include "storage/Redact.h"
#include "storage/S3Client.h"

#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TstRedact : public QObject {
    Q_OBJECT
private slots:
    void authorizationHeader() {
        const QString line = QStringLiteral(
            "PUT /b/k\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41\nnext");
        const QString r = Redact::text(line);
        QVERIFY(!r.contains(QStringLiteral("f0e8bdb87c96")));
        QVERIFY(!r.contains(QStringLiteral("AKIAEXAMPLE")));
        QVERIFY(r.contains(QStringLiteral("Authorization: <redacted>")));
        QVERIFY(r.endsWith(QStringLiteral("\nnext"))); // only the header line is touched
    }

    void queryParameters() {
        const QString url = QStringLiteral(
            "GET https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2013&"
            "X-Amz-Signature=aeeed9bbccd4d02e&X-Amz-Security-Token=tok%2Ben done");
        const QString r = Redact::text(url);
        QVERIFY(!r.contains(QStringLiteral("aeeed9bbccd4d02e")));
        QVERIFY(!r.contains(QStringLiteral("tok%2Ben")));
        QVERIFY(!r.contains(QStringLiteral("AKIA")));
        QVERIFY(r.contains(QStringLiteral("X-Amz-Algorithm=AWS4-HMAC-SHA256")));
        QVERIFY(r.endsWith(QStringLiteral(" done")));
    }

    void secretsAndConfigLines() {
        const QString r =
            Redact::text(QStringLiteral("secret is wJalrXUtnFEMI/K7MDENG and aws_secret_access_key = abc123\n"
                                        "aws_session_token=zzz"),
                         {QStringLiteral("wJalrXUtnFEMI/K7MDENG")});
        QVERIFY(!r.contains(QStringLiteral("wJalrXUtnFEMI")));
        QVERIFY(!r.contains(QStringLiteral("abc123")));
        QVERIFY(!r.contains(QStringLiteral("zzz")));
        QCOMPARE(Redact::text(QStringLiteral("nothing secret here")), QStringLiteral("nothing secret here"));
    }

    void presignedUrlForDisplay() {
        S3Config c;
        c.endpoint = QUrl(QStringLiteral("https://s3.example.com"));
        c.bucket = QStringLiteral("bk");
        c.accessKeyId = QStringLiteral("AKID");
        c.secretAccessKey = QStringLiteral("SECRET");
        S3Client client(c);
        Error e;
        const auto url = client.presignGet(QStringLiteral("k"), 60, &e);
        QVERIFY2(url.has_value(), qPrintable(e.message));
        const QString shown = Redact::url(*url);
        QCOMPARE(shown, QStringLiteral("https://bk.s3.example.com/k?<redacted>"));
        QCOMPARE(Redact::url(QUrl(QStringLiteral("https://user:pw@h/p?a=1"))), QStringLiteral("https://h/p?a=1"));
    }
};

QTEST_GUILESS_MAIN(TstRedact)
#include "tst_redact.moc"
