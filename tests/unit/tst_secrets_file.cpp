#include "secrets/EncryptedFileCredentialStore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TstSecretsFile : public QObject {
    Q_OBJECT
private slots:
    void roundTripAcrossInstances() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.age"));
        {
            EncryptedFileCredentialStore s(path, "pass phrase", 10); // low work factor: tests stay quick
            QVERIFY(!s.read(QStringLiteral("profile/p/password")));
            QCOMPARE(s.failure(), CredentialStore::Failure::NotFound);
            QVERIFY(s.write(QStringLiteral("profile/p/password"), QStringLiteral("s3cr3t-\u00e9")));
            QVERIFY(s.write(QStringLiteral("storage/b/secret"), QStringLiteral("AWSKEY")));
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray raw = f.readAll();
        QVERIFY(raw.startsWith("age-encryption.org/v1\n-> scrypt "));
        QVERIFY(!raw.contains("s3cr3t") && !raw.contains("AWSKEY"));
        QCOMPARE(f.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());

        EncryptedFileCredentialStore again(path, "pass phrase");
        QCOMPARE(again.read(QStringLiteral("profile/p/password")).value_or(QString()), QStringLiteral("s3cr3t-\u00e9"));
        QVERIFY(again.remove(QStringLiteral("storage/b/secret")));
        EncryptedFileCredentialStore third(path, "pass phrase");
        QVERIFY(!third.read(QStringLiteral("storage/b/secret")));
        QVERIFY(third.read(QStringLiteral("profile/p/password")));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).size() == 1); // no temp files left behind
    }

    void wrongPassphraseIsNamedAndChangesNothing() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.age"));
        EncryptedFileCredentialStore s(path, "right", 10);
        QVERIFY(s.write(QStringLiteral("k"), QStringLiteral("v")));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        EncryptedFileCredentialStore wrong(path, "wrong");
        QVERIFY(!wrong.read(QStringLiteral("k")));
        QCOMPARE(wrong.failure(), CredentialStore::Failure::Locked);
        QVERIFY(wrong.error().message.contains(QStringLiteral("wrong passphrase")));
        QVERIFY(!wrong.write(QStringLiteral("k"), QStringLiteral("overwritten")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);

        EncryptedFileCredentialStore none(path, QByteArray());
        QVERIFY(!none.read(QStringLiteral("k")));
        QCOMPARE(none.failure(), CredentialStore::Failure::Declined);
    }

    void damagedFileIsReported() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.age"));
        EncryptedFileCredentialStore s(path, "p", 10);
        QVERIFY(s.write(QStringLiteral("k"), QStringLiteral("v")));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() - 5);
        f.write("XXXXX");
        f.close();
        EncryptedFileCredentialStore r(path, "p");
        QVERIFY(!r.read(QStringLiteral("k")));
        QVERIFY(r.error().message.contains(QStringLiteral("damaged")));
    }
};

QTEST_GUILESS_MAIN(TstSecretsFile)
#include "tst_secrets_file.moc"
