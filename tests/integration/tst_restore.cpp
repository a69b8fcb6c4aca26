// Restore and verification against the real PostgreSQL fixture, driven through lifeboatctl as an operator would.
#include "TestEnv.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

class TestRestore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_home;
    QString m_src;
    QString m_backupId;
    QString m_artifact;
    int m_dbCounter = 0;

    QString newDbName(const QString &what) {
        return QStringLiteral("rst_%1_%2_%3").arg(what).arg(QCoreApplication::applicationPid()).arg(++m_dbCounter);
    }
    TestEnv::Run ctl(const QStringList &args, const QByteArray &in = {}) {
        const TestEnv::Run r = TestEnv::ctl(m_home, args, in);
        if (r.exitCode != 0)
            qInfo("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return r;
    }
    QString psqlFile(const QString &db, const QString &file) {
        const TestEnv::Run r = TestEnv::run(TestEnv::pgBin(QStringLiteral("psql")),
                                            {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
                                             QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"),
                                             TestEnv::pgConninfo(db), QStringLiteral("-f"), file});
        return r.exitCode == 0 ? QString() : QString::fromUtf8(r.err);
    }
    bool dbExists(const QString &db) {
        return TestEnv::psql(QStringLiteral("postgres"),
                             QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(db)) ==
               QLatin1String("1");
    }
    // pg_dump of a database with the lines that legitimately differ between two databases normalised away.
    QString dump(const QString &db, bool schemaOnly) {
        QStringList args{QStringLiteral("-d"), TestEnv::pgConninfo(db), QStringLiteral("--no-owner")};
        if (schemaOnly)
            args << QStringLiteral("--schema-only");
        const TestEnv::Run r = TestEnv::run(TestEnv::pgBin(QStringLiteral("pg_dump")), args);
        if (r.exitCode != 0)
            qWarning("pg_dump failed: %s", r.err.constData());
        QString text = QString::fromUtf8(r.out);
        static const QRegularExpression restrict(QStringLiteral(R"(^\\(un)?restrict \S+$)"),
                                                 QRegularExpression::MultilineOption);
        text.replace(restrict, QStringLiteral("\\restrict KEY"));
        return text;
    }
    // Every user table's rows as one checksum per table, and the large objects' contents.
    QString contentChecksums(const QString &db) {
        const QString tables = TestEnv::psql(
            db, QStringLiteral("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON "
                               "n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN "
                               "('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1"));
        QStringList out;
        for (const QString &t : tables.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            out << t + QLatin1Char('=') +
                       TestEnv::psql(db, QStringLiteral("SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, "
                                                        "'|' ORDER BY x::text)), '') FROM %1 x")
                                             .arg(t));
        }
        out << QStringLiteral("lo=") +
                   TestEnv::psql(db, QStringLiteral("SELECT count(*) || ':' || coalesce(md5(string_agg(oid::text || "
                                                    "md5(lo_get(oid)), ',' ORDER BY oid)), '') FROM "
                                                    "pg_largeobject_metadata"));
        return out.join(QLatin1Char('\n'));
    }
    QString artifactPath(const QString &id) {
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("show"), id});
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        return o.value(QStringLiteral("locations"))
            .toArray()
            .first()
            .toObject()
            .value(QStringLiteral("path"))
            .toString();
    }
    QString backup(const QStringList &extra) {
        const TestEnv::Run r = ctl(QStringList{QStringLiteral("backup"), QStringLiteral("src")} + extra);
        if (r.exitCode != 0)
            return {};
        return QString::fromUtf8(r.out).trimmed();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(!TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_PORT")).isEmpty(),
                 "the pg fixture is not running");
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_src = newDbName(QStringLiteral("src"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_src));
        const QString err = psqlFile(m_src, TestEnv::sourceDir() + QStringLiteral("/tests/data/restore/fidelity.sql"));
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QDir().mkpath(m_tmp.filePath(QStringLiteral("store")));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("local"),
                      QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("src"), QStringLiteral("--conninfo"),
                 TestEnv::pgConninfo(m_src), QStringLiteral("--storage"), QStringLiteral("local")})
                .exitCode,
            0);
        m_backupId = backup({});
        QVERIFY(!m_backupId.isEmpty());
        m_artifact = artifactPath(m_backupId);
        QVERIFY(QFile::exists(m_artifact));
    }

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

    void connectionsAndPostRestoreCommand() {
        const QString target = newDbName(QStringLiteral("con"));
        QCOMPARE(ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), target, QStringLiteral("--create")})
                     .exitCode,
                 0);
        // Somebody is connected to the target.
        QProcess sleeper;
        sleeper.start(TestEnv::pgBin(QStringLiteral("psql")),
                      {QStringLiteral("-X"), QStringLiteral("-d"),
                       TestEnv::pgConninfo(target) + QStringLiteral(" application_name=sleeper"), QStringLiteral("-c"),
                       QStringLiteral("SELECT pg_sleep(120)")});
        QVERIFY(sleeper.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sleeper'")),
            QStringLiteral("1"), 20000);
        TestEnv::Run r =
            ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--clean"), QStringLiteral("--tables"),
                 QStringLiteral("inventory.audit"), QStringLiteral("--confirm"), target});
        QCOMPARE(r.exitCode, 6);
        QVERIFY(r.err.contains("sleeper"));
        QVERIFY(r.err.contains("--terminate-connections"));

        // A profile with a post-restore command; --terminate-connections ends the session.
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("post"),
                      QStringLiteral("--conninfo"), TestEnv::pgConninfo(target), QStringLiteral("--post-restore"),
                      TestEnv::pgBin(QStringLiteral("psql")) +
                          QStringLiteral(" -X -At -c 'SELECT count(*) FROM inventory.audit' && echo post-restore-ran")})
                     .exitCode,
                 0);
        r = ctl({QStringLiteral("--json"), QStringLiteral("restore"), m_backupId, QStringLiteral("--target"),
                 QStringLiteral("post"), QStringLiteral("--target-db"), target, QStringLiteral("--clean"),
                 QStringLiteral("--tables"), QStringLiteral("inventory.audit"), QStringLiteral("--confirm"), target,
                 QStringLiteral("--terminate-connections")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(sleeper.waitForFinished(20000));
        const QJsonObject d = QJsonDocument::fromJson(r.out).object();
        const QJsonObject post = d.value(QStringLiteral("postRestore")).toObject();
        QCOMPARE(post.value(QStringLiteral("exitCode")).toInt(), 0);
        const QStringList output = post.value(QStringLiteral("output")).toVariant().toStringList();
        QCOMPARE(output, (QStringList{QStringLiteral("1500"), QStringLiteral("post-restore-ran")}));
        const QJsonObject restore = d.value(QStringLiteral("restore")).toObject();
        QVERIFY(restore.value(QStringLiteral("itemsTotal")).toInt() > 0);
        QCOMPARE(restore.value(QStringLiteral("itemsDone")).toInt(),
                 restore.value(QStringLiteral("itemsTotal")).toInt());

        // A failing post-restore command fails the run (exit 1) after the restore itself succeeded.
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("postfail"),
                      QStringLiteral("--conninfo"), TestEnv::pgConninfo(target), QStringLiteral("--post-restore"),
                      QStringLiteral("echo migrating; exit 3")})
                     .exitCode,
                 0);
        r = ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("postfail"),
                 QStringLiteral("--target-db"), target, QStringLiteral("--clean"), QStringLiteral("--tables"),
                 QStringLiteral("inventory.audit"), QStringLiteral("--confirm"), target});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("post-restore command"));
    }

    void restoreAsPasswordUser() {
        // The SCRAM user, password from a named environment variable: it reaches pg_restore via PGPASSFILE.
        const QString target = newDbName(QStringLiteral("pw"));
        const auto pg = TestEnv::fixture(QStringLiteral("pg"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LB_TEST_PW"), pg.value(QStringLiteral("PG_PASSWORD")));
        const TestEnv::Run r = TestEnv::ctl(
            m_home,
            {QStringLiteral("restore"), m_backupId, QStringLiteral("--target"),
             QStringLiteral("host=%1 port=%2 user=%3 dbname=postgres")
                 .arg(pg.value(QStringLiteral("PG_HOST")), pg.value(QStringLiteral("PG_PORT")),
                      pg.value(QStringLiteral("PG_USER"))),
             QStringLiteral("--target-db"), target, QStringLiteral("--create"), QStringLiteral("--secret-env"),
             QStringLiteral("LB_TEST_PW"), QStringLiteral("--tables"), QStringLiteral("Sales.Customer")},
            {}, env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM \"Sales\".\"Customer\"")),
                 QStringLiteral("200"));
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT tableowner FROM pg_tables WHERE tablename = 'Customer'")),
                 pg.value(QStringLiteral("PG_USER")));
        // A wrong password: the target is unreachable, a refusal before anything is touched.
        env.insert(QStringLiteral("LB_TEST_PW"), QStringLiteral("wrong-password"));
        const QString other = newDbName(QStringLiteral("pwx"));
        const TestEnv::Run bad =
            TestEnv::ctl(m_home,
                         {QStringLiteral("restore"), m_backupId, QStringLiteral("--target"),
                          QStringLiteral("host=%1 port=%2 user=%3 dbname=postgres")
                              .arg(pg.value(QStringLiteral("PG_HOST")), pg.value(QStringLiteral("PG_PORT")),
                                   pg.value(QStringLiteral("PG_USER"))),
                          QStringLiteral("--target-db"), other, QStringLiteral("--create"),
                          QStringLiteral("--secret-env"), QStringLiteral("LB_TEST_PW")},
                         {}, env);
        QCOMPARE(bad.exitCode, 6);
        QVERIFY(bad.err.contains("Target reachable"));
        QVERIFY(!bad.err.contains("wrong-password"));
        QVERIFY(!dbExists(other));
    }

    void restoreErrorsReported() {
        // Restoring over an existing copy without --clean: every CREATE fails; the errors come back, exit 1.
        const QString target = newDbName(QStringLiteral("err"));
        QCOMPARE(ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), target, QStringLiteral("--create")})
                     .exitCode,
                 0);
        const TestEnv::Run r = ctl({QStringLiteral("restore"), m_backupId, QStringLiteral("--target"),
                                    QStringLiteral("src"), QStringLiteral("--target-db"), target,
                                    QStringLiteral("--schema-only"), QStringLiteral("--confirm"), target});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("errors ignored on restore:"));
        QVERIFY(r.err.contains("already exists"));
    }
    void cancelMidRestore() {
        // A restore cancelled while pg_restore copies data: exit 5, pg_restore gone, the database this run created
        // dropped again, and no scratch directory left behind.
        const QString big = newDbName(QStringLiteral("big"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(big));
        TestEnv::psql(big, QStringLiteral("CREATE TABLE t AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS "
                                          "v FROM generate_series(1, 1500000) g; ALTER TABLE t ADD PRIMARY KEY (id)"));
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("big"), QStringLiteral("--conninfo"),
                 TestEnv::pgConninfo(big), QStringLiteral("--storage"), QStringLiteral("local")})
                .exitCode,
            0);
        const TestEnv::Run b = ctl({QStringLiteral("backup"), QStringLiteral("big")});
        QCOMPARE(b.exitCode, 0);
        const QString id = QString::fromUtf8(b.out).trimmed();

        const QString target = newDbName(QStringLiteral("cancel"));
        QTemporaryDir scratch;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TMPDIR"), scratch.path());
        p.setProcessEnvironment(env);
        p.start(TestEnv::lifeboatctl(),
                {QStringLiteral("--home"), m_home, QStringLiteral("restore"), id, QStringLiteral("--target"),
                 QStringLiteral("src"), QStringLiteral("--target-db"), target, QStringLiteral("--create")});
        QVERIFY(p.waitForStarted());
        const QString copying = QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = '%1' AND query "
                                               "ILIKE 'COPY%'")
                                    .arg(target);
        bool seen = false;
        for (int i = 0; i < 1200 && p.state() == QProcess::Running && !seen; ++i) {
            seen = dbExists(target) && TestEnv::psql(QStringLiteral("postgres"), copying) == QLatin1String("1");
            if (!seen)
                QTest::qWait(50);
        }
        QVERIFY2(seen, "pg_restore never reached the COPY of the big table");
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitCode(), 5);
        QVERIFY2(err.contains("cancelled"), err.constData());
        QVERIFY2(err.contains("was created by this run and has been dropped again"), err.constData());
        QVERIFY(!dbExists(target));
        QCOMPARE(
            TestEnv::psql(QStringLiteral("postgres"),
                          QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = '%1'").arg(target)),
            QStringLiteral("0"));
        QCOMPARE(QDir(scratch.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
        // The cancelled run is not a restore that happened: the same name can be restored into at once.
        QCOMPARE(ctl({QStringLiteral("restore"), id, QStringLiteral("--target"), QStringLiteral("src"),
                      QStringLiteral("--target-db"), target, QStringLiteral("--create")})
                     .exitCode,
                 0);
        QCOMPARE(TestEnv::psql(target, QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("1500000"));
    }
};

QTEST_GUILESS_MAIN(TestRestore)
#include "tst_restore.moc"
