// Authenticated manifests (issue 14) against the real PostgreSQL and S3 (s3rver) fixtures: a backup signs its
// manifest with the installation key kept in the secret store; restore, verify, download and `catalog rebuild`
// report who signed it and refuse (exit 4) a manifest changed in storage; an unsigned manifest still restores and
// says so, --require-signed refuses it; another installation's signature is "unknown signer" until `keys trust`.
#include "TestEnv.h"

#include "secrets/EncryptedFileCredentialStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QString kPassphrase = QStringLiteral("signing-test-passphrase");
}

class TstManifestSigning : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QHash<QString, QString> m_s3;
    QProcessEnvironment m_env;
    QString m_prefix;
    QString m_src;
    QString m_homeA; // this installation (file secret store)
    QString m_homeB; // another installation (its own file secret store)
    QString m_homeN; // an installation without a secret store
    qint64 m_id = 0; // a signed backup in home A: disk + bucket
    QString m_localPath;
    QString m_key;
    int m_dbCounter = 0;
    QStringList m_dbs;

    QString newDbName(const QString &what) {
        const QString n =
            QStringLiteral("signing_%1_%2_%3").arg(what).arg(QCoreApplication::applicationPid()).arg(++m_dbCounter);
        m_dbs << n;
        return n;
    }
    TestEnv::Run ctl(const QString &home, const QStringList &args) {
        const TestEnv::Run r = TestEnv::ctl(home, args, {}, m_env);
        if (r.exitCode != 0)
            qInfo("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return r;
    }
    QString objectFile(const QString &key) const {
        return m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') + m_s3.value(QStringLiteral("S3_BUCKET")) +
               QLatin1Char('/') + key + QStringLiteral("._S3rver_object");
    }
    static QByteArray readFile(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static bool writeFile(const QString &path, const QByteArray &data) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
    }
    // Replaces the first `from` in the file by `to` (same length, so s3rver's stored size still fits).
    static bool tamper(const QString &path, const QByteArray &from, const QByteArray &to) {
        QByteArray data = readFile(path);
        const qsizetype at = data.indexOf(from);
        if (at < 0 || from.size() != to.size())
            return false;
        data.replace(at, from.size(), to);
        return writeFile(path, data);
    }
    void setUpHome(const QString &home, bool fileStore, const QString &diskName) {
        if (fileStore)
            QCOMPARE(ctl(home, {QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")}).exitCode, 0);
        else
            QCOMPARE(ctl(home, {QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("prompt")}).exitCode,
                     0);
        QCOMPARE(ctl(home, {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                            QStringLiteral("--local"), m_tmp.filePath(diskName)})
                     .exitCode,
                 0);
        QCOMPARE(ctl(home, {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"),
                            QStringLiteral("--s3"), QStringLiteral("--endpoint"),
                            m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                            m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"),
                            QStringLiteral("--prefix"), m_prefix + QLatin1Char('/') + diskName})
                     .exitCode,
                 0);
        QCOMPARE(ctl(home, {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("src"),
                            QStringLiteral("--conninfo"), TestEnv::pgConninfo(m_src), QStringLiteral("--storage"),
                            QStringLiteral("disk")})
                     .exitCode,
                 0);
    }
    struct Backup {
        qint64 id = 0;
        QString localPath;
        QString key;
        QByteArray err;
    };
    Backup backup(const QString &home, const QStringList &storages) {
        QStringList args{QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("src")};
        for (const QString &s : storages)
            args << QStringLiteral("--storage") << s;
        const TestEnv::Run r = ctl(home, args);
        Backup b;
        b.err = r.err;
        if (r.exitCode != 0)
            return b;
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        b.id = o.value(QStringLiteral("id")).toInteger();
        for (const QJsonValue &v : o.value(QStringLiteral("locations")).toArray()) {
            const QJsonObject l = v.toObject();
            if (l.value(QStringLiteral("storage")).toString() == QLatin1String("disk"))
                b.localPath = l.value(QStringLiteral("path")).toString();
            else
                b.key = l.value(QStringLiteral("path")).toString();
        }
        return b;
    }
    QString thisKeyId(const QString &home) {
        const TestEnv::Run r = ctl(home, {QStringLiteral("--json"), QStringLiteral("keys")});
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array())
            if (v.toObject().value(QStringLiteral("thisInstallation")).toBool())
                return v.toObject().value(QStringLiteral("keyId")).toString();
        return {};
    }
    QString privateKey(const QString &home) {
        lifeboat::EncryptedFileCredentialStore store(home + QStringLiteral("/secrets.age"), kPassphrase.toUtf8());
        return store.read(QStringLiteral("signing/installation")).value_or(QString());
    }
    // `restore SPEC` into a new database; the JSON result (the signature verdict is "manifestSignature").
    TestEnv::Run restore(const QString &home, const QString &spec, const QStringList &extra = {}) {
        QStringList args{QStringLiteral("--json"),
                         QStringLiteral("restore"),
                         spec,
                         QStringLiteral("--target"),
                         TestEnv::pgConninfo(QStringLiteral("postgres")),
                         QStringLiteral("--target-db"),
                         newDbName(QStringLiteral("r")),
                         QStringLiteral("--create")};
        return ctl(home, args + extra);
    }
    static QString signerOf(const TestEnv::Run &r) {
        return QJsonDocument::fromJson(r.out)
            .object()
            .value(QStringLiteral("manifestSignature"))
            .toObject()
            .value(QStringLiteral("status"))
            .toString();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(!TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_PORT")).isEmpty(),
                 "the pg fixture is not running");
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_s3.isEmpty(), "the s3 fixture is not running");
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        m_env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        m_env.insert(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"), kPassphrase);
        m_prefix = QStringLiteral("signing-%1").arg(QRandomGenerator::global()->bounded(1000000));
        m_src = newDbName(QStringLiteral("src"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_src));
        TestEnv::psql(m_src, QStringLiteral("CREATE TABLE public.orders (id int PRIMARY KEY, note text NOT NULL);"
                                            "INSERT INTO public.orders SELECT g, md5(g::text) FROM "
                                            "generate_series(1, 4321) g"));
        m_homeA = m_tmp.filePath(QStringLiteral("homeA"));
        m_homeB = m_tmp.filePath(QStringLiteral("homeB"));
        m_homeN = m_tmp.filePath(QStringLiteral("homeN"));
        setUpHome(m_homeA, true, QStringLiteral("diskA"));
        setUpHome(m_homeB, true, QStringLiteral("diskB"));
        setUpHome(m_homeN, false, QStringLiteral("diskN"));
    }

    void cleanupTestCase() {
        for (const QString &db : std::as_const(m_dbs))
            TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
    }

    void backupSignsItsManifest() {
        QVERIFY(thisKeyId(m_homeA).isEmpty()); // created on first use, not before
        const Backup b = backup(m_homeA, {QStringLiteral("disk"), QStringLiteral("bucket")});
        QVERIFY2(b.id > 0, b.err.constData());
        QVERIFY(b.err.contains("created this installation's manifest signing key"));
        m_id = b.id;
        m_localPath = b.localPath;
        m_key = b.key;
        const QString keyId = thisKeyId(m_homeA);
        QCOMPARE(keyId.size(), 32);
        const QByteArray manifest = readFile(m_localPath + QStringLiteral(".manifest.json"));
        const QJsonObject sig =
            QJsonDocument::fromJson(manifest).object().value(QStringLiteral("signature")).toObject();
        QCOMPARE(sig.value(QStringLiteral("algorithm")).toString(), QStringLiteral("ed25519"));
        QCOMPARE(sig.value(QStringLiteral("keyId")).toString(), keyId);
        // The bucket's manifest is the same signed document.
        QCOMPARE(readFile(objectFile(m_key + QStringLiteral(".manifest.json"))), manifest);

        // The private key lives in the secret store only: never in a manifest, the output, settings or catalog.
        const QString priv = privateKey(m_homeA);
        QCOMPARE(QByteArray::fromBase64(priv.toLatin1()).size(), 32);
        for (const QByteArray &where : {manifest, b.err, readFile(m_homeA + QStringLiteral("/config.json")),
                                        readFile(m_homeA + QStringLiteral("/catalog.sqlite")),
                                        readFile(m_homeA + QStringLiteral("/catalog.sqlite-wal"))}) {
            QVERIFY(!where.contains(priv.toLatin1()));
            QVERIFY(!where.contains(QByteArray::fromBase64(priv.toLatin1()).toHex()));
        }
        // A second backup reuses the key rather than making another.
        const Backup again = backup(m_homeA, {QStringLiteral("disk")});
        QVERIFY(again.id > 0);
        QVERIFY(!again.err.contains("created this installation"));
        QCOMPARE(thisKeyId(m_homeA), keyId);
        QCOMPARE(privateKey(m_homeA), priv);
    }

    void signatureVerifiesByTheDocumentedRecipe() {
        // docs/security.md: drop "signature", serialize with sorted keys and no whitespace (RFC 8785 for what a
        // manifest holds), verify with Ed25519 — here with Python and the openssl tool, not Lifeboat's code.
        const QString script = QStringLiteral(
            "import json,sys,base64,subprocess,tempfile,os\n"
            "m=json.load(open(sys.argv[1],encoding='utf-8'))\n"
            "s=m.pop('signature')\n"
            "c=json.dumps(m,sort_keys=True,separators=(',',':'),ensure_ascii=False).encode('utf-8')\n"
            "pub=base64.b64decode(s['publicKey'].split(':',1)[1])\n"
            "der=bytes.fromhex('302a300506032b6570032100')+pub\n"
            "d=tempfile.mkdtemp()\n"
            "open(d+'/c','wb').write(c); open(d+'/s','wb').write(base64.b64decode(s['value']))\n"
            "open(d+'/k.der','wb').write(der)\n"
            "r=subprocess.run(['openssl','pkeyutl','-verify','-pubin','-inkey',d+'/k.der','-keyform','DER',"
            "'-rawin','-in',d+'/c','-sigfile',d+'/s'])\n"
            "sys.exit(r.returncode)\n");
        const QString path = m_tmp.filePath(QStringLiteral("verify.py"));
        QVERIFY(writeFile(path, script.toUtf8()));
        const QString manifest = m_localPath + QStringLiteral(".manifest.json");
        const TestEnv::Run ok = TestEnv::run(QStringLiteral("python3"), {path, manifest});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        const QString copy = m_tmp.filePath(QStringLiteral("changed.manifest.json"));
        QVERIFY(QFile::copy(manifest, copy));
        QVERIFY(tamper(copy, "4321", "4322"));
        QVERIFY(TestEnv::run(QStringLiteral("python3"), {path, copy}).exitCode != 0);
    }

    void restoreReportsThisInstallation() {
        const TestEnv::Run r = restore(m_homeA, QString::number(m_id));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(signerOf(r), QStringLiteral("this-installation"));
        QVERIFY(r.err.contains("signed by this installation"));
        // --require-signed is satisfied by this installation's own signature.
        QCOMPARE(restore(m_homeA, QString::number(m_id), {QStringLiteral("--require-signed")}).exitCode, 0);
        // Verify and download say the same.
        const TestEnv::Run v =
            ctl(m_homeA, {QStringLiteral("verify"), QString::number(m_id), QStringLiteral("--target"),
                          TestEnv::pgConninfo(QStringLiteral("postgres")), QStringLiteral("--require-signed")});
        QVERIFY2(v.exitCode == 0, v.err.constData());
        QVERIFY(v.err.contains("Manifest: signed by this installation"));
        const TestEnv::Run d =
            ctl(m_homeA, {QStringLiteral("--json"), QStringLiteral("download"), QString::number(m_id),
                          QStringLiteral("--to"), m_tmp.filePath(QStringLiteral("dl-ok"))});
        QVERIFY2(d.exitCode == 0, d.err.constData());
        QCOMPARE(signerOf(d), QStringLiteral("this-installation"));
    }

    void aManifestChangedOnDiskIsRefused() {
        const QString manifest = m_localPath + QStringLiteral(".manifest.json");
        const QByteArray original = readFile(manifest);
        QVERIFY(tamper(manifest, "4321", "4320")); // a row count
        const TestEnv::Run r = restore(m_homeA, QString::number(m_id));
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("fails its signature check"), r.err.constData());
        QVERIFY(r.err.contains(manifest.toUtf8()));
        const TestEnv::Run v =
            ctl(m_homeA, {QStringLiteral("verify"), QString::number(m_id), QStringLiteral("--target"),
                          TestEnv::pgConninfo(QStringLiteral("postgres"))});
        QCOMPARE(v.exitCode, 4);
        QVERIFY(v.err.contains("fails its signature check"));
        const QString dl = m_tmp.filePath(QStringLiteral("dl-bad"));
        const TestEnv::Run d =
            ctl(m_homeA, {QStringLiteral("download"), QString::number(m_id), QStringLiteral("--to"), dl});
        QCOMPARE(d.exitCode, 4);
        QVERIFY(!QDir(dl).exists() || QDir(dl).isEmpty()); // nothing was copied
        // The restore's bare-file form reads the same manifest beside the file.
        QCOMPARE(restore(m_homeA, m_localPath).exitCode, 4);
        QVERIFY(writeFile(manifest, original));
        QCOMPARE(restore(m_homeA, QString::number(m_id)).exitCode, 0);
    }

    void aManifestChangedInTheBucketIsRefused() {
        // The bucket's manifest gets another SHA-256, as if an artifact had been swapped with it.
        const QString object = objectFile(m_key + QStringLiteral(".manifest.json"));
        const QByteArray original = readFile(object);
        const QJsonObject m = QJsonDocument::fromJson(original).object();
        const QByteArray sha = m.value(QStringLiteral("sha256")).toString().toLatin1();
        QByteArray other = sha;
        other[0] = other[0] == 'a' ? 'b' : 'a';
        QVERIFY(tamper(object, sha, other));
        const TestEnv::Run r = restore(m_homeA, QString::number(m_id));
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains(m_key.toUtf8()), r.err.constData());
        QCOMPARE(ctl(m_homeA, {QStringLiteral("download"), QString::number(m_id), QStringLiteral("--to"),
                               m_tmp.filePath(QStringLiteral("dl-bad2"))})
                     .exitCode,
                 4);
        // A catalog rebuilt from that bucket imports nothing from the changed manifest, and says so with exit 4.
        const QString homeC = m_tmp.filePath(QStringLiteral("homeC"));
        QCOMPARE(ctl(homeC,
                     {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"),
                      QStringLiteral("--s3"), QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")),
                      QStringLiteral("--bucket"), m_s3.value(QStringLiteral("S3_BUCKET")),
                      QStringLiteral("--path-style"), QStringLiteral("--prefix"), m_prefix + QStringLiteral("/diskA")})
                     .exitCode,
                 0);
        const TestEnv::Run rb = ctl(homeC, {QStringLiteral("--json"), QStringLiteral("catalog"),
                                            QStringLiteral("rebuild"), QStringLiteral("bucket")});
        QCOMPARE(rb.exitCode, 4);
        QVERIFY2(rb.err.contains("fails its signature check"), rb.err.constData());
        QCOMPARE(QJsonDocument::fromJson(rb.out).object().value(QStringLiteral("refusedSignatures")).toInt(), 1);
        QCOMPARE(QJsonDocument::fromJson(rb.out).object().value(QStringLiteral("added")).toInt(), 0);
        QVERIFY(writeFile(object, original));
        // Intact again: imported, from a key this new catalog does not know.
        const TestEnv::Run ok = ctl(homeC, {QStringLiteral("--json"), QStringLiteral("catalog"),
                                            QStringLiteral("rebuild"), QStringLiteral("bucket")});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QCOMPARE(QJsonDocument::fromJson(ok.out).object().value(QStringLiteral("added")).toInt(), 1);
        QVERIFY(ok.err.contains("unknown signer"));
        // --require-signed imports only what a trusted key signed.
        const QString homeD = m_tmp.filePath(QStringLiteral("homeD"));
        QVERIFY(QDir().mkpath(homeD));
        QVERIFY(QFile::copy(homeC + QStringLiteral("/config.json"), homeD + QStringLiteral("/config.json")));
        const TestEnv::Run strict =
            ctl(homeD, {QStringLiteral("--json"), QStringLiteral("catalog"), QStringLiteral("rebuild"),
                        QStringLiteral("bucket"), QStringLiteral("--require-signed")});
        QCOMPARE(strict.exitCode, 4);
        QCOMPARE(QJsonDocument::fromJson(strict.out).object().value(QStringLiteral("added")).toInt(), 0);
        const QString pubA = QString::fromUtf8(ctl(m_homeA, {QStringLiteral("keys"), QStringLiteral("export")}).out);
        QCOMPARE(ctl(homeD, {QStringLiteral("keys"), QStringLiteral("trust"), pubA.trimmed(), QStringLiteral("--label"),
                             QStringLiteral("site A")})
                     .exitCode,
                 0);
        const TestEnv::Run trusted =
            ctl(homeD, {QStringLiteral("--json"), QStringLiteral("catalog"), QStringLiteral("rebuild"),
                        QStringLiteral("bucket"), QStringLiteral("--require-signed")});
        QVERIFY2(trusted.exitCode == 0, trusted.err.constData());
        QCOMPARE(QJsonDocument::fromJson(trusted.out).object().value(QStringLiteral("added")).toInt(), 1);
    }

    void unsignedManifestsRestoreAndRequireSignedRefusesThem() {
        // An installation without a secret store writes manifests as before this change: no signature.
        const Backup b = backup(m_homeN, {QStringLiteral("disk")});
        QVERIFY2(b.id > 0, b.err.constData());
        QVERIFY2(b.err.contains("manifests will NOT be signed"), b.err.constData());
        const QByteArray manifest = readFile(b.localPath + QStringLiteral(".manifest.json"));
        QVERIFY(!manifest.contains("\"signature\""));
        QVERIFY(!QFile::exists(m_homeN + QStringLiteral("/secrets.age")));
        const TestEnv::Run r = restore(m_homeN, QString::number(b.id));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(signerOf(r), QStringLiteral("unsigned"));
        const TestEnv::Run strict = restore(m_homeN, QString::number(b.id), {QStringLiteral("--require-signed")});
        QCOMPARE(strict.exitCode, 4);
        QVERIFY2(strict.err.contains("unsigned and --require-signed was given"), strict.err.constData());
        QCOMPARE(ctl(m_homeN, {QStringLiteral("download"), QString::number(b.id), QStringLiteral("--to"),
                               m_tmp.filePath(QStringLiteral("dl-n")), QStringLiteral("--require-signed")})
                     .exitCode,
                 4);
        QCOMPARE(ctl(m_homeN, {QStringLiteral("verify"), QString::number(b.id), QStringLiteral("--target"),
                               TestEnv::pgConninfo(QStringLiteral("postgres")), QStringLiteral("--require-signed")})
                     .exitCode,
                 4);
        // The same file restored by path from installation A: unsigned there too.
        const TestEnv::Run file = restore(m_homeA, b.localPath);
        QVERIFY2(file.exitCode == 0, file.err.constData());
        QCOMPARE(signerOf(file), QStringLiteral("unsigned"));
    }

    void anotherInstallationsKeyIsUnknownUntilTrusted() {
        const Backup b = backup(m_homeB, {QStringLiteral("disk")});
        QVERIFY2(b.id > 0, b.err.constData());
        const TestEnv::Run unknown = restore(m_homeA, b.localPath);
        QVERIFY2(unknown.exitCode == 0, unknown.err.constData());
        QCOMPARE(signerOf(unknown), QStringLiteral("unknown-signer"));
        QVERIFY(unknown.err.contains("unknown signer"));
        const TestEnv::Run strict = restore(m_homeA, b.localPath, {QStringLiteral("--require-signed")});
        QCOMPARE(strict.exitCode, 4);
        QVERIFY2(strict.err.contains("keys trust"), strict.err.constData());

        // `keys export` on B, `keys trust` (from a file) on A.
        const TestEnv::Run exported = ctl(m_homeB, {QStringLiteral("keys"), QStringLiteral("export")});
        QCOMPARE(exported.exitCode, 0);
        QVERIFY(exported.out.startsWith("ed25519:"));
        const QString keyFile = m_tmp.filePath(QStringLiteral("siteB.pub"));
        QVERIFY(writeFile(keyFile, exported.out));
        QCOMPARE(ctl(m_homeA, {QStringLiteral("keys"), QStringLiteral("trust"), keyFile}).exitCode, 3); // no label
        QCOMPARE(ctl(m_homeA, {QStringLiteral("keys"), QStringLiteral("trust"), QStringLiteral("ed25519:AAAA"),
                               QStringLiteral("--label"), QStringLiteral("x")})
                     .exitCode,
                 3);
        QCOMPARE(ctl(m_homeA, {QStringLiteral("keys"), QStringLiteral("trust"), keyFile, QStringLiteral("--label"),
                               QStringLiteral("site B")})
                     .exitCode,
                 0);
        const TestEnv::Run known = restore(m_homeA, b.localPath, {QStringLiteral("--require-signed")});
        QVERIFY2(known.exitCode == 0, known.err.constData());
        QCOMPARE(signerOf(known), QStringLiteral("known-key"));
        QVERIFY(known.err.contains("site B"));
        const TestEnv::Run list = ctl(m_homeA, {QStringLiteral("--json"), QStringLiteral("keys")});
        QCOMPARE(QJsonDocument::fromJson(list.out).array().size(), 2);
    }

    void rotationKeepsOldManifestsVerifiable() {
        const QString before = thisKeyId(m_homeA);
        const TestEnv::Run rot =
            ctl(m_homeA, {QStringLiteral("--json"), QStringLiteral("keys"), QStringLiteral("rotate")});
        QVERIFY2(rot.exitCode == 0, rot.err.constData());
        const QString after = thisKeyId(m_homeA);
        QVERIFY(!after.isEmpty() && after != before);
        QCOMPARE(QJsonDocument::fromJson(rot.out).object().value(QStringLiteral("previousKeyId")).toString(), before);
        // The old backup: signed by a known (retired) key now.
        const TestEnv::Run old = restore(m_homeA, QString::number(m_id), {QStringLiteral("--require-signed")});
        QVERIFY2(old.exitCode == 0, old.err.constData());
        QCOMPARE(signerOf(old), QStringLiteral("known-key"));
        // A new backup is signed with the new key.
        const Backup b = backup(m_homeA, {QStringLiteral("disk")});
        QVERIFY(b.id > 0);
        QCOMPARE(signerOf(restore(m_homeA, QString::number(b.id))), QStringLiteral("this-installation"));
    }

    void keysOnAPostgresTeamCatalog() {
        const QString catalogDb = newDbName(QStringLiteral("catalog"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(catalogDb));
        const QStringList globals{QStringLiteral("--catalog"), TestEnv::pgConninfo(catalogDb)};
        const QString pubB = QString::fromUtf8(ctl(m_homeB, {QStringLiteral("keys"), QStringLiteral("export")}).out);
        QCOMPARE(ctl(m_homeA, globals + QStringList{QStringLiteral("keys"), QStringLiteral("trust"), pubB.trimmed(),
                                                    QStringLiteral("--label"), QStringLiteral("site B")})
                     .exitCode,
                 0);
        // Trusting the same key twice is harmless.
        QCOMPARE(ctl(m_homeA, globals + QStringList{QStringLiteral("keys"), QStringLiteral("trust"), pubB.trimmed(),
                                                    QStringLiteral("--label"), QStringLiteral("site B")})
                     .exitCode,
                 0);
        // This installation's key reaches the team catalog on its first backup there.
        const TestEnv::Run b = ctl(m_homeA, globals + QStringList{QStringLiteral("backup"), QStringLiteral("src")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const TestEnv::Run list = ctl(m_homeA, globals + QStringList{QStringLiteral("--json"), QStringLiteral("keys")});
        const QJsonArray keys = QJsonDocument::fromJson(list.out).array();
        QCOMPARE(keys.size(), 2);
        QCOMPARE(TestEnv::psql(catalogDb, QStringLiteral("SELECT count(*) FROM signing_keys")).trimmed(),
                 QStringLiteral("2"));
        QCOMPARE(
            TestEnv::psql(catalogDb, QStringLiteral("SELECT count(*) FROM schema_version WHERE version = 5")).trimmed(),
            QStringLiteral("1"));
    }
};

QTEST_GUILESS_MAIN(TstManifestSigning)
#include "tst_manifest_signing.moc"
