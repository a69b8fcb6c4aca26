// Interoperability with the stock age tools (Debian package "age": /usr/bin/age, /usr/bin/age-keygen): files
// Lifeboat writes open with age, files age writes open with Lifeboat, and key files are understood both ways.
// age reads passphrases only from a terminal, so the passphrase cases run it under script(1), which gives it a
// pseudo-terminal fed from our stdin pipe (the passphrase never appears in argv).
#include "TestEnv.h"

#include "crypto/AgeArmorStage.h"
#include "crypto/AgeDecryptStage.h"
#include "crypto/AgeEncryptStage.h"
#include "crypto/AgeIdentity.h"
#include "pipeline/MemorySink.h"

#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

namespace {

QByteArray randomBytes(qsizetype n, quint32 seed) {
    QByteArray data(n, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    for (auto &c : data)
        c = char(gen.bounded(256));
    return data;
}

bool writeFile(const QString &path, const QByteArray &data) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray lifeboatEncrypt(const std::vector<AgeRecipient> &rs, const QByteArray &plain) {
    MemorySink out;
    AgeEncryptStage enc(rs, &out);
    for (qsizetype i = 0; i < plain.size(); i += 100003) {
        if (!enc.write(QByteArrayView(plain).sliced(i, qMin<qsizetype>(100003, plain.size() - i))))
            return {};
    }
    return enc.finish() ? out.data() : QByteArray();
}

struct Plain {
    bool ok = false;
    QString message;
    QByteArray data;
};

Plain lifeboatDecrypt(const std::vector<AgeIdentity> &ids, const QByteArray &cipher) {
    MemorySink out;
    AgeDecryptStage dec(ids, &out);
    bool ok = true;
    for (qsizetype i = 0; ok && i < cipher.size(); i += 9973)
        ok = dec.write(QByteArrayView(cipher).sliced(i, qMin<qsizetype>(9973, cipher.size() - i)));
    ok = ok && dec.finish();
    return {ok, dec.error().message, out.data()};
}

QString shellQuote(const QString &s) {
    return QLatin1Char('\'') + QString(s).replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'');
}

} // namespace

class TstAgeInterop : public QObject {
    Q_OBJECT
    QString m_age;
    QString m_keygen;
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // A key made by age-keygen, as (identity file path, recipient string).
    std::pair<QString, QString> ageKeygen(const QString &name) {
        const QString file = path(name);
        const auto r = TestEnv::run(m_keygen, {QStringLiteral("-o"), file});
        if (r.exitCode != 0)
            return {};
        const auto pub = TestEnv::run(m_keygen, {QStringLiteral("-y"), file});
        return {file, QString::fromLatin1(pub.out.trimmed())};
    }

private slots:
    void initTestCase() {
        m_age = QStandardPaths::findExecutable(QStringLiteral("age"));
        m_keygen = QStandardPaths::findExecutable(QStringLiteral("age-keygen"));
        QVERIFY2(!m_age.isEmpty() && !m_keygen.isEmpty(),
                 "the age and age-keygen programs are required (Debian/Ubuntu: apt install age)");
        QVERIFY(m_dir.isValid());
    }

    void keyFilesAgreeWithAgeKeygen() {
        // age-keygen's file parses, and our derived public key matches the one it printed.
        const auto [file, pub] = ageKeygen(QStringLiteral("keygen.txt"));
        QVERIFY(pub.startsWith(QLatin1String("age1")));
        QString why;
        const auto ids = AgeIdentity::parseIdentityFile(readFile(file), &why);
        QVERIFY2(ids.has_value(), qPrintable(why));
        QCOMPARE(ids->size(), size_t(1));
        QCOMPARE(ids->front().recipient()->toString(), pub);
        QVERIFY(readFile(file).contains("# public key: " + pub.toLatin1()));

        // Our key file reads back in age-keygen with the same public key.
        const AgeKeyPair mine = AgeIdentity::generate();
        const QString mineFile = path(QStringLiteral("mine.txt"));
        QVERIFY(writeFile(mineFile, mine.identityFileContents()));
        const auto y = TestEnv::run(m_keygen, {QStringLiteral("-y"), mineFile});
        QCOMPARE(y.exitCode, 0);
        QCOMPARE(QString::fromLatin1(y.out.trimmed()), mine.recipient);
    }

    void lifeboatEncryptsAgeDecrypts_data() {
        QTest::addColumn<qsizetype>("size");
        for (qsizetype s : {0, 1, 65536, 65537, 3 * 1024 * 1024 + 7})
            QTest::addRow("%lld bytes", qlonglong(s)) << s;
    }

    void lifeboatEncryptsAgeDecrypts() {
        QFETCH(qsizetype, size);
        const auto [ageKey, agePub] = ageKeygen(QStringLiteral("a%1.txt").arg(size));
        const AgeKeyPair mine = AgeIdentity::generate();
        const QString mineFile = path(QStringLiteral("m%1.txt").arg(size));
        QVERIFY(writeFile(mineFile, mine.identityFileContents()));

        const QByteArray plain = randomBytes(size, quint32(size) + 1);
        const QByteArray cipher =
            lifeboatEncrypt({*AgeRecipient::parse(agePub), *AgeRecipient::parse(mine.recipient)}, plain);
        QVERIFY(!cipher.isEmpty());
        const QString in = path(QStringLiteral("lb%1.age").arg(size));
        QVERIFY(writeFile(in, cipher));
        // Each recipient's key opens it in stock age.
        for (const QString &key : {ageKey, mineFile}) {
            const QString out = path(QStringLiteral("lb%1.out").arg(size));
            QFile::remove(out);
            const auto r =
                TestEnv::run(m_age, {QStringLiteral("-d"), QStringLiteral("-i"), key, QStringLiteral("-o"), out, in});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY(readFile(out) == plain);
        }
    }

    void ageEncryptsLifeboatDecrypts_data() { lifeboatEncryptsAgeDecrypts_data(); }

    void ageEncryptsLifeboatDecrypts() {
        QFETCH(qsizetype, size);
        const AgeKeyPair a = AgeIdentity::generate();
        const AgeKeyPair b = AgeIdentity::generate();
        const QByteArray plain = randomBytes(size, quint32(size) + 2);
        const QString in = path(QStringLiteral("p%1.bin").arg(size));
        const QString out = path(QStringLiteral("age%1.age").arg(size));
        QVERIFY(writeFile(in, plain));
        const auto r = TestEnv::run(m_age, {QStringLiteral("-r"), a.recipient, QStringLiteral("-r"), b.recipient,
                                            QStringLiteral("-o"), out, in});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray cipher = readFile(out);
        for (const AgeKeyPair *k : {&a, &b}) {
            const Plain p = lifeboatDecrypt({k->identity}, cipher);
            QVERIFY2(p.ok, qPrintable(p.message));
            QVERIFY(p.data == plain);
        }
        const Plain wrong = lifeboatDecrypt({AgeIdentity::generate().identity}, cipher);
        QVERIFY(!wrong.ok);
        QVERIFY(wrong.message.startsWith(QLatin1String("no identity matched this backup")));
        QVERIFY(wrong.data.isEmpty());
    }

    void armorBothWays() {
        const AgeKeyPair k = AgeIdentity::generate();
        const QString keyFile = path(QStringLiteral("armor-key.txt"));
        QVERIFY(writeFile(keyFile, k.identityFileContents()));
        const QByteArray plain = randomBytes(100001, 31);

        // age -a -> Lifeboat (detected from the first bytes).
        const QString in = path(QStringLiteral("armor.bin"));
        const QString ageOut = path(QStringLiteral("armor-age.txt"));
        QVERIFY(writeFile(in, plain));
        const auto r = TestEnv::run(
            m_age, {QStringLiteral("-a"), QStringLiteral("-r"), k.recipient, QStringLiteral("-o"), ageOut, in});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray armored = readFile(ageOut);
        QVERIFY(AgeDecryptStage::looksLikeArmoredAge(armored));
        const Plain p = lifeboatDecrypt({k.identity}, armored);
        QVERIFY2(p.ok, qPrintable(p.message));
        QVERIFY(p.data == plain);

        // Lifeboat armor -> age.
        MemorySink out;
        AgeArmorStage armor(&out);
        AgeEncryptStage enc({*AgeRecipient::parse(k.recipient)}, &armor);
        QVERIFY(enc.write(plain) && enc.finish());
        const QString lbFile = path(QStringLiteral("armor-lb.txt"));
        const QString lbOut = path(QStringLiteral("armor-lb.out"));
        QVERIFY(writeFile(lbFile, out.data()));
        const auto d = TestEnv::run(
            m_age, {QStringLiteral("-d"), QStringLiteral("-i"), keyFile, QStringLiteral("-o"), lbOut, lbFile});
        QVERIFY2(d.exitCode == 0, d.err.constData());
        QVERIFY(readFile(lbOut) == plain);
    }

    void passphraseBothWays() {
        const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
        QVERIFY2(!script.isEmpty(), "script(1) from util-linux is needed to give age a terminal for its passphrase");
        const QByteArray pass = "interop passphrase 7";
        const QByteArray plain = randomBytes(150000, 77);

        // Lifeboat -> age. A low work factor keeps the test quick; age accepts any up to 22.
        const QString lbFile = path(QStringLiteral("lbpass.age"));
        QVERIFY(writeFile(lbFile, lifeboatEncrypt({AgeRecipient::passphrase(pass, 12)}, plain)));
        const QString lbOut = path(QStringLiteral("lbpass.out"));
        auto r = TestEnv::run(script,
                              {QStringLiteral("-qec"),
                               QStringLiteral("%1 -d -o %2 %3").arg(m_age, shellQuote(lbOut), shellQuote(lbFile)),
                               QStringLiteral("/dev/null")},
                              pass + '\n');
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QVERIFY(readFile(lbOut) == plain);

        // age -> Lifeboat, at age's default work factor (18).
        const QString in = path(QStringLiteral("pass.bin"));
        const QString ageFile = path(QStringLiteral("agepass.age"));
        QVERIFY(writeFile(in, plain));
        r = TestEnv::run(script,
                         {QStringLiteral("-qec"),
                          QStringLiteral("%1 -p -o %2 %3").arg(m_age, shellQuote(ageFile), shellQuote(in)),
                          QStringLiteral("/dev/null")},
                         pass + '\n' + pass + '\n');
        QVERIFY2(r.exitCode == 0, r.out.constData());
        const QByteArray cipher = readFile(ageFile);
        QVERIFY(cipher.contains("\n-> scrypt "));
        const Plain p = lifeboatDecrypt({AgeIdentity::passphrase(pass)}, cipher);
        QVERIFY2(p.ok, qPrintable(p.message));
        QVERIFY(p.data == plain);
        const Plain wrong = lifeboatDecrypt({AgeIdentity::passphrase("not it")}, cipher);
        QVERIFY(wrong.message.startsWith(QLatin1String("no identity matched this backup")));
    }
};

QTEST_GUILESS_MAIN(TstAgeInterop)
#include "tst_age_interop.moc"
