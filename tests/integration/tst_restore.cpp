// Restore and verification against the real PostgreSQL fixture, driven through lifeboatctl as an operator would.
// Restores over existing targets with sessions, post-restore commands, a password user, restore errors and a
// cancelled restore are in tst_restore_targets.
#include "RestoreFixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

class TestRestore : public QObject, private RestoreFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpSource(); }

    void fidelity() {
        const QString target = newDbName(QStringLiteral("fid"));
        const TestEnv::Run r =
            ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--create")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(dump(target, true), dump(m_src, true));
        QCOMPARE(contentChecksums(target), contentChecksums(m_src));
        QVERIFY(contentChecksums(target).contains(QStringLiteral("\"Sales\".\"Order Lines\"=1500:")));
    }

    void selectiveTable() {
        const QString target = newDbName(QStringLiteral("sel"));
        const TestEnv::Run r =
            ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--create"), QStringLiteral("--tables"),
                 QStringLiteral("Sales.Customer")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM \"Sales\".\"Customer\"")),
                 QStringLiteral("200"));
        // Its primary key and unique constraint came along; its sequence continues after the restored rows.
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM pg_indexes WHERE tablename = 'Customer'")),
                 QStringLiteral("2"));
        QCOMPARE(TestEnv::psql(target, QStringLiteral("INSERT INTO \"Sales\".\"Customer\" (\"Full Name\") VALUES ('x') "
                                                      "RETURNING \"CustomerID\"")),
                 QStringLiteral("201"));
        // Nothing else: no other table, no view.
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                                                      "c.relnamespace WHERE c.relkind IN ('r','p','v','m') AND "
                                                      "n.nspname NOT IN ('pg_catalog','information_schema')")),
                 QStringLiteral("1"));
        // An unknown table is a usage error before anything happens.
        const QString none = newDbName(QStringLiteral("seln"));
        QCOMPARE(ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), none, QStringLiteral("--create"), QStringLiteral("--tables"),
                      QStringLiteral("Sales.nope")})
                     .exitCode,
                 3);
        QVERIFY(!dbExists(none));
    }

    void schemaThenDataOnly() {
        const QString target = newDbName(QStringLiteral("so"));
        QCOMPARE(
            ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--create"), QStringLiteral("--schema-only")})
                .exitCode,
            0);
        QCOMPARE(dump(target, true), dump(m_src, true));
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM \"Sales\".\"Customer\"")),
                 QStringLiteral("0"));
        // Data only, for one table (no triggers on it), into the now existing database: needs the confirmation.
        const QStringList dataOnly{
            QStringLiteral("restore"),       m_backupId, QStringLiteral("--target"),    QStringLiteral("src"),
            QStringLiteral("--target-db"),   target,     QStringLiteral("--data-only"), QStringLiteral("--tables"),
            QStringLiteral("Sales.Customer")};
        QCOMPARE(ctl(dataOnly).exitCode, 6);
        QCOMPARE(ctl(dataOnly + QStringList{QStringLiteral("--confirm"), target}).exitCode, 0);
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM \"Sales\".\"Customer\"")),
                 QStringLiteral("200"));
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM \"Sales\".\"Order Lines\"")),
                 QStringLiteral("0"));
        // --data-only and --schema-only together are a usage error.
        QCOMPARE(
            ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--data-only"), QStringLiteral("--schema-only")})
                .exitCode,
            3);
    }

    void dryRunTouchesNothing() {
        const QString target = newDbName(QStringLiteral("dry"));
        QCOMPARE(ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), target, QStringLiteral("--create")})
                     .exitCode,
                 0);
        TestEnv::psql(target,
                      QStringLiteral("UPDATE \"Sales\".\"Customer\" SET email = 'changed@x' WHERE \"CustomerID\" = 1"));
        const QString before = dump(target, false);
        const TestEnv::Run r =
            ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--clean"), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("drop (if they exist)"));
        QVERIFY(r.out.contains("TABLE DATA Sales.Order Lines (1500 rows)"));
        QCOMPARE(dump(target, false), before);
        // A dry run with --create does not create the database.
        const QString fresh = newDbName(QStringLiteral("dryc"));
        QCOMPARE(ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), fresh, QStringLiteral("--create"), QStringLiteral("--dry-run")})
                     .exitCode,
                 0);
        QVERIFY(!dbExists(fresh));
    }

    void refusals() {
        const QString target = newDbName(QStringLiteral("ref"));
        QCOMPARE(ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), target, QStringLiteral("--create")})
                     .exitCode,
                 0);
        TestEnv::psql(target, QStringLiteral("INSERT INTO inventory.audit (what) VALUES ('marker')"));
        const QString before = dump(target, false);

        // Wrong --confirm, and no --confirm at all.
        TestEnv::Run r = ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                              QStringLiteral("--target-db"), target, QStringLiteral("--clean"),
                              QStringLiteral("--confirm"), QStringLiteral("not_") + target});
        QCOMPARE(r.exitCode, 6);
        QVERIFY(r.err.contains("does not match"));
        QCOMPARE(ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), target, QStringLiteral("--clean")})
                     .exitCode,
                 6);

        // A production profile: skipping the safety backup needs --confirm too; without a storage for the safety
        // backup it refuses.
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("prod"),
                      QStringLiteral("--conninfo"), TestEnv::pgConninfo(target), QStringLiteral("--production")})
                     .exitCode,
                 0);
        r = ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("prod"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--clean"),
                 QStringLiteral("--no-safety-backup")});
        QCOMPARE(r.exitCode, 6);
        QVERIFY(r.err.contains("production"));
        r = ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("prod"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--clean"), QStringLiteral("--confirm"),
                 target});
        QCOMPARE(r.exitCode, 6);
        QVERIFY(r.err.contains("safety backup"));
        QCOMPARE(dump(target, false), before);

        // With a storage, the production restore takes the safety backup first and then restores.
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("prod2"),
                      QStringLiteral("--conninfo"), TestEnv::pgConninfo(target), QStringLiteral("--production"),
                      QStringLiteral("--storage"), QStringLiteral("local")})
                     .exitCode,
                 0);
        // (One table with --clean: pg_restore's --clean cannot drop partitions' inherited constraints.)
        r = ctl({QStringLiteral("--json"), QStringLiteral("restore"), m_backupId, QStringLiteral("--target"),
                 QStringLiteral("prod2"), QStringLiteral("--target-db"), target, QStringLiteral("--clean"),
                 QStringLiteral("--tables"), QStringLiteral("inventory.audit"), QStringLiteral("--confirm"), target});
        QCOMPARE(r.exitCode, 0);
        const qint64 safetyId =
            QJsonDocument::fromJson(r.out).object().value(QStringLiteral("safetyBackupId")).toInteger();
        QVERIFY(safetyId > 0);
        // The safety backup holds the marker row that the restore replaced.
        QVERIFY(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM inventory.audit WHERE what = 'marker'")) ==
                QLatin1String("0"));
        const QString safetyTarget = newDbName(QStringLiteral("safety"));
        QCOMPARE(ctl({QStringLiteral("restore"), QString::number(safetyId), QStringLiteral("--target"),
                      QStringLiteral("src"), QStringLiteral("--target-db"), safetyTarget, QStringLiteral("--create")})
                     .exitCode,
                 0);
        QCOMPARE(
            TestEnv::psql(safetyTarget, QStringLiteral("SELECT count(*) FROM inventory.audit WHERE what = 'marker'")),
            QStringLiteral("1"));
        // The production guard compares servers, not spellings: while these profiles exist, every database of the
        // fixture's server is production. The later tests restore into scratch databases.
        for (const QString &name : {QStringLiteral("prod"), QStringLiteral("prod2")})
            QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("remove"), name}).exitCode, 0);
    }

    void damagedArchivesRefused() {
        // The default artifact is a zstd frame around the archive (issue 16); the cases below damage the archive
        // itself, as a bare .dump and again inside a .dump.zst.
        QVERIFY(m_artifact.endsWith(QLatin1String(".dump.zst")));
        const QByteArray good = TestEnv::run(QStringLiteral("zstd"), {QStringLiteral("-q"), QStringLiteral("-d"),
                                                                      QStringLiteral("-c"), m_artifact})
                                    .out;
        QVERIFY(good.startsWith("PGDMP"));
        auto zstd = [](const QByteArray &bytes) {
            return TestEnv::run(QStringLiteral("zstd"), {QStringLiteral("-q"), QStringLiteral("-c")}, bytes).out;
        };
        auto write = [&](const QString &name, const QByteArray &bytes) {
            QFile f(m_tmp.filePath(name));
            f.open(QIODevice::WriteOnly);
            f.write(bytes);
            return f.fileName();
        };
        struct Case {
            QString file;
            int exitCode;
            QByteArray message;
        };
        QByteArray newer = good;
        newer[6] = 16; // archive format 1.16: written by pg_dump 17
        QByteArray noise(200000, Qt::Uninitialized);
        for (int i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 7919 + 13) % 251);
        const QList<Case> cases{
            {write(QStringLiteral("newer.dump"), newer), 6,
             "archive made by pg_dump 17 \xe2\x80\x94 install PostgreSQL 17 client tools"},
            {write(QStringLiteral("truncated.dump"), good.left(good.size() * 2 / 3)), 4, "damaged or truncated"},
            {write(QStringLiteral("noise.bin"), noise), 4, "not a PostgreSQL backup"},
            {write(QStringLiteral("newer.dump.zst"), zstd(newer)), 6,
             "archive made by pg_dump 17 \xe2\x80\x94 install PostgreSQL 17 client tools"},
            {write(QStringLiteral("truncated.dump.zst"), zstd(good).chopped(40)), 4, "truncated"},
        };
        for (const Case &c : cases) {
            const QString target = newDbName(QStringLiteral("bad"));
            const TestEnv::Run r =
                ctl({QStringLiteral("restore"), c.file, QStringLiteral("--target"), QStringLiteral("src"),
                     QStringLiteral("--target-db"), target, QStringLiteral("--create")});
            QVERIFY2(r.exitCode == c.exitCode, qPrintable(c.file + QStringLiteral(": ") + QString::fromUtf8(r.err)));
            QVERIFY2(r.err.contains(c.message), r.err.constData());
            QVERIFY(!dbExists(target));
        }
        // A copy whose bytes differ from its manifest's checksum: exit 4 before anything happens.
        const QString copy = write(QStringLiteral("copy.dump"), good.left(good.size() - 1) + 'x');
        QVERIFY(QFile::copy(m_artifact + QStringLiteral(".manifest.json"), copy + QStringLiteral(".manifest.json")));
        const QString target = newDbName(QStringLiteral("bad"));
        const TestEnv::Run r = ctl({QStringLiteral("restore"), copy, QStringLiteral("--target"), QStringLiteral("src"),
                                    QStringLiteral("--target-db"), target, QStringLiteral("--create")});
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.err.contains("checksum mismatch"));
        QVERIFY(!dbExists(target));
    }

    void verifyPassesAndRecords() {
        const QString report = m_tmp.filePath(QStringLiteral("ok.html"));
        const TestEnv::Run r = ctl({QStringLiteral("verify"), m_backupId, QStringLiteral("--report"), report});
        QCOMPARE(r.exitCode, 0);
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray html = f.readAll();
        QVERIFY(html.contains("PASSED"));
        QVERIFY(html.contains("Sales.Order Lines"));
        QVERIFY(!html.contains("<script"));
        const QJsonObject rec =
            QJsonDocument::fromJson(ctl({QStringLiteral("--json"), QStringLiteral("show"), m_backupId}).out).object();
        QCOMPARE(rec.value(QStringLiteral("verifyOutcome")).toString(), QStringLiteral("PASSED"));
        QVERIFY(!rec.value(QStringLiteral("verifiedAt")).toString().isEmpty());
        // The temporary database is gone.
        QCOMPARE(
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("SELECT count(*) FROM pg_database WHERE datname LIKE 'lifeboat_verify_%'")),
            QStringLiteral("0"));
    }

    void verifyInSandbox() {
        const QString report = m_tmp.filePath(QStringLiteral("sandbox.json"));
        const TestEnv::Run r = ctl(
            {QStringLiteral("verify"), m_backupId, QStringLiteral("--sandbox"), QStringLiteral("--report"), report});
        QCOMPARE(r.exitCode, 0);
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject rep = QJsonDocument::fromJson(f.readAll()).object();
        QVERIFY(rep.value(QStringLiteral("passed")).toBool());
        QVERIFY(rep.value(QStringLiteral("server")).toString().startsWith(QLatin1String("sandbox cluster")));
        QCOMPARE(rep.value(QStringLiteral("checks")).toArray().size(), 5);
        // The sandbox's directory is gone and the fixture server never saw a verify database.
        QVERIFY(QDir(QDir::tempPath()).entryList({QStringLiteral("lifeboat-sandbox-*")}, QDir::Dirs).isEmpty());
        QCOMPARE(
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("SELECT count(*) FROM pg_database WHERE datname LIKE 'lifeboat_verify_%'")),
            QStringLiteral("0"));
    }

    void verifyCatchesALie() {
        const QString dir = m_tmp.filePath(QStringLiteral("lie"));
        QDir().mkpath(dir);
        const QString copy = dir + QStringLiteral("/lie.dump");
        QVERIFY(QFile::copy(m_artifact, copy));
        QFile mf(m_artifact + QStringLiteral(".manifest.json"));
        QVERIFY(mf.open(QIODevice::ReadOnly));
        QJsonObject m = QJsonDocument::fromJson(mf.readAll()).object();
        QJsonArray tables = m.value(QStringLiteral("tables")).toArray();
        bool changed = false;
        for (int i = 0; i < tables.size(); ++i) {
            QJsonObject t = tables.at(i).toObject();
            if (t.value(QStringLiteral("name")).toString() == QLatin1String("Customer")) {
                t[QStringLiteral("rows")] = t.value(QStringLiteral("rows")).toInteger() + 1;
                tables[i] = t;
                changed = true;
            }
        }
        QVERIFY(changed);
        m[QStringLiteral("tables")] = tables;
        // A signed manifest that was edited is refused before any restore (tst_manifest_signing); this lie comes
        // from an unsigned manifest, as an older Lifeboat wrote, so the row-count comparison is what catches it.
        m.remove(QStringLiteral("signature"));
        QFile out(copy + QStringLiteral(".manifest.json"));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(m).toJson());
        out.close();
        const QString report = dir + QStringLiteral("/report.json");
        const TestEnv::Run r = ctl({QStringLiteral("verify"), copy, QStringLiteral("--target"), QStringLiteral("src"),
                                    QStringLiteral("--report"), report});
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.err.contains("Sales.Customer: manifest says 201 rows, restored 200"));
        QFile rf(report);
        QVERIFY(rf.open(QIODevice::ReadOnly));
        const QJsonObject rep = QJsonDocument::fromJson(rf.readAll()).object();
        QCOMPARE(rep.value(QStringLiteral("passed")).toBool(), false);
        QVERIFY(QJsonDocument(rep).toJson().contains("Sales.Customer: manifest says 201 rows"));
        QCOMPARE(
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("SELECT count(*) FROM pg_database WHERE datname LIKE 'lifeboat_verify_%'")),
            QStringLiteral("0"));
    }

    void plainSqlGz() {
        const QString id = backup({QStringLiteral("--format"), QStringLiteral("plain"), QStringLiteral("--compress"),
                                   QStringLiteral("gzip:6")});
        QVERIFY(!id.isEmpty());
        QVERIFY(artifactPath(id).endsWith(QLatin1String(".sql.gz")));
        const QString target = newDbName(QStringLiteral("sql"));
        const TestEnv::Run r = ctl({QStringLiteral("restore"), id, QStringLiteral("--target"), QStringLiteral("src"),
                                    QStringLiteral("--target-db"), target, QStringLiteral("--create")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(contentChecksums(target), contentChecksums(m_src));
        // Options a script cannot honour are refused up front.
        const QString none = newDbName(QStringLiteral("sqln"));
        QCOMPARE(ctl({QStringLiteral("restore"), id, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), none, QStringLiteral("--create"), QStringLiteral("--tables"),
                      QStringLiteral("Sales.Customer")})
                     .exitCode,
                 3);
        QVERIFY(!dbExists(none));
    }

    void encryptedBackup() {
        const QString key = m_tmp.filePath(QStringLiteral("key.txt"));
        const QString other = m_tmp.filePath(QStringLiteral("other.txt"));
        TestEnv::Run k = TestEnv::run(QStringLiteral("age-keygen"), {QStringLiteral("-o"), key});
        QCOMPARE(k.exitCode, 0);
        QCOMPARE(TestEnv::run(QStringLiteral("age-keygen"), {QStringLiteral("-o"), other}).exitCode, 0);
        const QString pub =
            QString::fromUtf8(TestEnv::run(QStringLiteral("age-keygen"), {QStringLiteral("-y"), key}).out).trimmed();
        QVERIFY(pub.startsWith(QLatin1String("age1")));
        const QString id = backup({QStringLiteral("--recipient"), pub});
        QVERIFY(!id.isEmpty());
        QVERIFY(artifactPath(id).endsWith(QLatin1String(".age")));

        // Wrong key: exit 4, nothing created.
        const QString wrong = newDbName(QStringLiteral("encw"));
        TestEnv::Run r = ctl({QStringLiteral("restore"), id, QStringLiteral("--target"), QStringLiteral("src"),
                              QStringLiteral("--target-db"), wrong, QStringLiteral("--create"),
                              QStringLiteral("--identity"), other});
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.err.contains("no identity matched this backup"));
        QVERIFY(!dbExists(wrong));

        // Streamed (one job) and through a temporary file (selective restore).
        const QString target = newDbName(QStringLiteral("enc"));
        r = ctl({QStringLiteral("restore"), id, QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--create"), QStringLiteral("--identity"), key});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(contentChecksums(target), contentChecksums(m_src));
        const QString sel = newDbName(QStringLiteral("encs"));
        r = ctl({QStringLiteral("restore"), id, QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), sel, QStringLiteral("--create"), QStringLiteral("--identity"), key,
                 QStringLiteral("--tables"), QStringLiteral("données.über tabelle"), QStringLiteral("--jobs"),
                 QStringLiteral("2")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(TestEnv::psql(sel, QStringLiteral("SELECT count(*) FROM \"données\".\"über tabelle\"")),
                 QStringLiteral("3"));
        // Verification of the encrypted backup passes.
        QCOMPARE(ctl({QStringLiteral("verify"), id, QStringLiteral("--identity"), key}).exitCode, 0);
    }

    void directoryFormatParallel() {
        const QString id = backup(
            {QStringLiteral("--format"), QStringLiteral("directory"), QStringLiteral("--jobs"), QStringLiteral("2")});
        QVERIFY(!id.isEmpty());
        QVERIFY(artifactPath(id).endsWith(QLatin1String(".tar.zst")));
        const QString target = newDbName(QStringLiteral("dir"));
        const TestEnv::Run r = ctl({QStringLiteral("restore"), id, QStringLiteral("--target"), QStringLiteral("src"),
                                    QStringLiteral("--target-db"), target, QStringLiteral("--create"),
                                    QStringLiteral("--jobs"), QStringLiteral("2")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.contains("pg_dump directory archive (stored as tar)"));
        QCOMPARE(dump(target, true), dump(m_src, true));
        QCOMPARE(contentChecksums(target), contentChecksums(m_src));
    }

    void cleanOverExistingWithPartitions() {
        const QString target = newDbName(QStringLiteral("cln"));
        QCOMPARE(ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), target, QStringLiteral("--create")})
                     .exitCode,
                 0);
        TestEnv::psql(target, QStringLiteral("DELETE FROM \"Sales\".\"Order Lines\" WHERE id < 100; "
                                             "CREATE TABLE public.extra (x int)"));
        const TestEnv::Run r = ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"),
                                    QStringLiteral("src"), QStringLiteral("--target-db"), target,
                                    QStringLiteral("--clean"), QStringLiteral("--confirm"), target});
        QCOMPARE(r.exitCode, 0);
        // pg_restore's partition-constraint complaints are shown as known-benign warnings.
        QVERIFY(r.err.contains("cannot drop inherited constraint"));
        QCOMPARE(contentChecksums(target).remove(QRegularExpression(QStringLiteral("public.extra=[^\\n]*\\n"))),
                 contentChecksums(m_src));
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM public.extra")), QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TestRestore)
#include "tst_restore.moc"
