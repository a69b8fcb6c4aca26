#include "catalog/Manifest.h"
#include "core/ArtifactName.h"
#include "jobs/PgDumpCommand.h"
#include "pg/Conninfo.h"
#include "pg/PgPassFile.h"
#include "pg/PgToolLocator.h"
#include "pg/PgVersion.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TstFoundation : public QObject {
    Q_OBJECT

    // A directory holding an executable that answers --version like a pg tool of the given version. The only
    // PostgreSQL installed here is 15, so an older or newer client can't be had for real.
    static void fakeTool(const QString &dir, const QString &tool, const QString &version) {
        QFile f(dir + QLatin1Char('/') + tool);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("#!/bin/sh\necho '%1 (PostgreSQL) %2'\n").arg(tool, version).toUtf8());
        f.close();
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }

private slots:
    void artifactNames() {
        QDateTime t(QDate(2026, 3, 9), QTime(4, 5, 6), QTimeZone::utc());
        QCOMPARE(ArtifactName::make(QStringLiteral("prod"), QStringLiteral("shop"), t, QStringLiteral("dump"), false),
                 QStringLiteral("prod_shop_2026-03-09_04-05-06Z.dump"));
        QCOMPARE(ArtifactName::make(QStringLiteral("my prod"), QStringLiteral("../etc/x"), t, QStringLiteral("sql.gz"),
                                    true),
                 QStringLiteral("my-prod_-etc-x_2026-03-09_04-05-06Z.sql.gz.age"));
        // Local time is converted to UTC.
        QDateTime berlin(QDate(2026, 7, 1), QTime(12, 0), QTimeZone("Europe/Berlin"));
        QVERIFY(ArtifactName::make(QStringLiteral("p"), QStringLiteral("d"), berlin, QStringLiteral("dump"), false)
                    .contains(QStringLiteral("2026-07-01_10-00-00Z")));
        QCOMPARE(ArtifactName::s3Key(QStringLiteral("backups/"), QStringLiteral("DAILY"), t, QStringLiteral("a.dump")),
                 QStringLiteral("backups/daily/2026-03-09/a.dump"));
        QCOMPARE(ArtifactName::s3Key(QString(), QStringLiteral("MANUAL"), t, QStringLiteral("a.dump")),
                 QStringLiteral("manual/2026-03-09/a.dump"));
        QCOMPARE(ArtifactName::timestampOf(QStringLiteral("prod_shop_2026-03-09_04-05-06Z.dump")), t);
        // A second backup in the same second gets a sequence number, and still parses.
        const QString second =
            ArtifactName::make(QStringLiteral("prod"), QStringLiteral("shop"), t, QStringLiteral("dump"), true, 2);
        QCOMPARE(second, QStringLiteral("prod_shop_2026-03-09_04-05-06Z-2.dump.age"));
        QCOMPARE(ArtifactName::timestampOf(second), t);
        QVERIFY(!ArtifactName::timestampOf(QStringLiteral("random.dump")).isValid());
    }

    void manifestRoundTrip() {
        Manifest m;
        m.toolVersion = QStringLiteral("0.1.0");
        m.profile = QStringLiteral("prod");
        m.host = QStringLiteral("db:5432");
        m.database = QStringLiteral("shop");
        m.type = QStringLiteral("DAILY,WEEKLY");
        m.label = QStringLiteral("pre-migration");
        m.serverVersion = QStringLiteral("15.4");
        m.pgDumpVersion = QStringLiteral("15.4");
        m.format = QStringLiteral("custom");
        m.compression = QStringLiteral("gzip:6");
        m.artifact = QStringLiteral("prod_shop_2026-03-09_04-05-06Z.dump.age");
        m.size = 123456789012;
        m.sha256 = QString(64, QLatin1Char('a'));
        m.plainSha256 = QString(64, QLatin1Char('b'));
        m.encrypted = true;
        m.recipients = {QStringLiteral("age1xyz")};
        m.started = QDateTime(QDate(2026, 3, 9), QTime(4, 5, 6, 789), QTimeZone::utc());
        m.finished = m.started.addSecs(90);
        m.durationMs = 90000;
        m.tables = {{QStringLiteral("public"), QStringLiteral("Order Items"), 5000},
                    {QStringLiteral("sch\u00e9ma"), QStringLiteral("t"), 0}};
        QString err;
        const Manifest back = Manifest::fromJson(m.toJson(), &err);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QCOMPARE(back.toJson(), m.toJson());
        QCOMPARE(back.tables.size(), 2);
        QCOMPARE(back.tables.at(0).rows, 5000);
        QCOMPARE(back.tables.at(1).schema, QStringLiteral("sch\u00e9ma"));
        QCOMPARE(back.started, m.started);
        QCOMPARE(back.size, m.size);
        QCOMPARE(back.toRecord().status, BackupRecord::statusCompleted());

        Manifest::fromJson("{not json", &err);
        QVERIFY(err.contains(QStringLiteral("not valid JSON")));
        Manifest::fromJson(R"({"formatVersion": 99, "artifact": "x", "sha256": "y"})", &err);
        QVERIFY(err.contains(QStringLiteral("99")));
        Manifest::fromJson(R"({"formatVersion": 1, "artifact": "x"})", &err);
        QVERIFY(err.contains(QStringLiteral("SHA-256")));
    }

    void versionParsing_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("major");
        QTest::addColumn<int>("minor");
        QTest::newRow("debian") << QStringLiteral("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)") << 15 << 18;
        QTest::newRow("plain") << QStringLiteral("psql (PostgreSQL) 16.2") << 16 << 2;
        QTest::newRow("beta") << QStringLiteral("pg_dump (PostgreSQL) 17beta2") << 17 << 0;
        QTest::newRow("old") << QStringLiteral("pg_dump (PostgreSQL) 9.6.24") << 9 << 6;
        QTest::newRow("garbage") << QStringLiteral("not a version") << 0 << 0;
    }
    void versionParsing() {
        QFETCH(QString, text);
        QFETCH(int, major);
        QFETCH(int, minor);
        const PgVersion v = PgVersion::fromVersionOutput(text);
        QCOMPARE(v.major, major);
        QCOMPARE(v.minor, minor);
        QCOMPARE(PgVersion::fromVersionNum(150018), (PgVersion{15, 18}));
        QCOMPARE(PgVersion::fromVersionNum(90624), (PgVersion{9, 6}));
    }

    void toolChoice() {
        QTemporaryDir dir;
        fakeTool(dir.path(), QStringLiteral("pg_dump"), QStringLiteral("14.9"));
        PgToolLocator locator(dir.path());
        Error err;
        // A 14 client serves a 13 or 14 server, but not 16: the error names the server and every client found.
        QCOMPARE(locator.choose(QStringLiteral("pg_dump"), {13, 2}, &err).version, (PgVersion{14, 9}));
        QVERIFY(!err);
        const auto none = locator.choose(QStringLiteral("pg_dump"), {16, 1}, &err);
        QVERIFY(none.path.isEmpty());
        QCOMPARE(err.code, ExitCode::Usage);
        QVERIFY2(err.message.contains(QStringLiteral("16.1")) && err.message.contains(QStringLiteral("14.9")),
                 qPrintable(err.message));

        // The real search finds this machine's PostgreSQL 15 and picks the newest that fits.
        const auto all = PgToolLocator().findAll(QStringLiteral("pg_dump"));
        QVERIFY(!all.isEmpty());
        QVERIFY(PgToolLocator().choose(QStringLiteral("pg_dump"), {15, 0}, &err).version.major >= 15);

        QTemporaryDir empty;
        PgToolLocator().choose(QStringLiteral("pg_dump"), {99, 0}, &err);
        QVERIFY(err.message.contains(QStringLiteral("99")));
        PgToolLocator(empty.path()).choose(QStringLiteral("pg_dump"), {15, 0}, &err);
        QVERIFY2(err.message.contains(QStringLiteral("not found")), qPrintable(err.message));
    }

    void conninfoSplitsPassword() {
        Error err;
        const Conninfo uri =
            Conninfo::parse(QStringLiteral("postgresql://app:s3cr%3At@db.example:6543/shop?sslmode=require"), &err);
        QVERIFY(uri.isValid());
        QCOMPARE(uri.password(), QStringLiteral("s3cr:t"));
        QVERIFY(!uri.toKeywordString().contains(QStringLiteral("s3cr")));
        QCOMPARE(uri.hostPort(), QStringLiteral("db.example:6543"));
        QCOMPARE(uri.dbname(), QStringLiteral("shop"));
        QVERIFY(uri.toKeywordString().contains(QStringLiteral("sslmode='require'")));
        const Conninfo kv = Conninfo::parse(QStringLiteral(R"(host=h dbname='it\'s' password=x)"), &err);
        QVERIFY(!Conninfo::parse(QStringLiteral("host=h bogus=1"), &err).isValid());
        QVERIFY(err.message.contains(QStringLiteral("bogus")));
        QVERIFY(!Conninfo::parse(QStringLiteral("host=h sslpassword=keypass"), &err).isValid());
        QVERIFY(err.message.contains(QStringLiteral("service file")) &&
                !err.message.contains(QStringLiteral("keypass")));
        QVERIFY(kv.isValid());
        QCOMPARE(kv.dbname(), QStringLiteral("it's"));
        // Round trip through the quoted form.
        QCOMPARE(Conninfo::parse(kv.toKeywordString(), &err).dbname(), QStringLiteral("it's"));
    }

    void pgPassFileIsPrivateAndEscaped() {
        PgPassFile f;
        Error err;
        const Conninfo target = Conninfo::parse(QStringLiteral("host=db.example port=5433 user=ops dbname=a:b"), &err);
        QVERIFY(f.create(QStringLiteral("a:b\\c"), target));
        QFile file(f.path());
        QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
        QVERIFY(file.open(QIODevice::ReadOnly));
        // Exactly the target's host, port, database and user — never a wildcard.
        QCOMPARE(file.readAll(), QByteArray("db.example:5433:a\\:b:ops:a\\:b\\\\c\n"));
        // The default socket directory is also looked up as "localhost" by libpq.
        QCOMPARE(PgPassFile::lineFor(QStringLiteral("pw"),
                                     Conninfo::parse(QStringLiteral("host=/var/run/postgresql port=5432 user=u "
                                                                    "dbname=d"),
                                                     &err)),
                 QStringLiteral("/var/run/postgresql:5432:d:u:pw\nlocalhost:5432:d:u:pw\n"));
        const QString path = f.path();
        { PgPassFile moved = std::move(f); }
        QVERIFY(!QFile::exists(path));
    }

    void dumpArguments() {
        BackupOptions o;
        o.tables = {QStringLiteral("public.Order Items"), QStringLiteral("\"Weird\".\"a.b\"")};
        o.excludeTables = {QStringLiteral("_prisma_migrations")};
        Error err;
        const auto plan = PgDumpCommand::build(o, {15, 4}, QStringLiteral("host='h' dbname='d'"),
                                               QStringLiteral("00000003-1"), {}, &err);
        QVERIFY(!err);
        QVERIFY(plan.args.contains(QStringLiteral("--format=custom")));
        QVERIFY(plan.args.contains(QStringLiteral("--strict-names")));
        QVERIFY(plan.args.contains(QStringLiteral("--table=\"public\".\"Order Items\"")));
        QVERIFY(plan.args.contains(QStringLiteral("--table=\"Weird\".\"a.b\"")));
        QVERIFY(plan.args.contains(QStringLiteral("--exclude-table=\"_prisma_migrations\"")));
        QVERIFY(plan.args.contains(QStringLiteral("--snapshot=00000003-1")));
        QVERIFY(plan.args.contains(QStringLiteral("--no-password")));
        // The default: pg_dump writes uncompressed, Lifeboat compresses with zstd (any pg_dump version).
        QCOMPARE(plan.extension, QStringLiteral("dump.zst"));
        QVERIFY(plan.args.contains(QStringLiteral("--compress=0")));
        QVERIFY(plan.zstdInProcess);
        QCOMPARE(plan.zstdLevel, PgDumpCommand::kDefaultZstdLevel);
        QCOMPARE(plan.compression, QStringLiteral("zstd:%1").arg(PgDumpCommand::kDefaultZstdLevel));

        BackupOptions classic;
        classic.compression = QStringLiteral("pg:gzip");
        const auto pc = PgDumpCommand::build(classic, {15, 4}, QStringLiteral("x"), {}, {}, &err);
        QVERIFY(!err);
        QVERIFY(!pc.zstdInProcess);
        QVERIFY(pc.args.contains(QStringLiteral("--compress=6")));
        QCOMPARE(pc.extension, QStringLiteral("dump"));
        QCOMPARE(pc.compression, QStringLiteral("pg:gzip:6"));
        classic.compression = QStringLiteral("none");
        const auto pn = PgDumpCommand::build(classic, {15, 4}, QStringLiteral("x"), {}, {}, &err);
        QVERIFY(!pn.zstdInProcess);
        QVERIFY(pn.args.contains(QStringLiteral("--compress=0")));
        QCOMPARE(pn.extension, QStringLiteral("dump"));
        classic.compression = QStringLiteral("zstd:7");
        const auto pz = PgDumpCommand::build(classic, {12, 1}, QStringLiteral("x"), {}, {}, &err);
        QVERIFY(!err);
        QVERIFY(pz.zstdInProcess);
        QCOMPARE(pz.zstdLevel, 7);
        classic.compression = QStringLiteral("zstd:30");
        PgDumpCommand::build(classic, {15, 4}, QStringLiteral("x"), {}, {}, &err);
        QVERIFY(err.message.contains(QStringLiteral("1-19")));

        BackupOptions plainZstd;
        plainZstd.format = QStringLiteral("plain");
        const auto pp = PgDumpCommand::build(plainZstd, {15, 4}, QStringLiteral("x"), {}, {}, &err);
        QVERIFY(!err);
        QVERIFY(pp.zstdInProcess);
        QCOMPARE(pp.extension, QStringLiteral("sql.zst"));
        QVERIFY(!pp.args.join(QLatin1Char(' ')).contains(QStringLiteral("--compress")));

        BackupOptions plain;
        plain.format = QStringLiteral("plain");
        plain.compression = QStringLiteral("gzip:9");
        const auto p2 = PgDumpCommand::build(plain, {15, 4}, QStringLiteral("x"), {}, {}, &err);
        QVERIFY(p2.gzipInProcess);
        QCOMPARE(p2.gzipLevel, 9);
        QCOMPARE(p2.extension, QStringLiteral("sql.gz"));

        BackupOptions dir;
        dir.format = QStringLiteral("directory");
        dir.jobs = 4;
        const auto p3 = PgDumpCommand::build(dir, {15, 4}, QStringLiteral("x"), {}, QStringLiteral("/tmp/d"), &err);
        QVERIFY(p3.args.contains(QStringLiteral("--jobs=4")));
        QVERIFY(!p3.toStdout);
        QCOMPARE(p3.extension, QStringLiteral("tar.zst"));
        QVERIFY(p3.zstdInProcess);
        QVERIFY(p3.args.contains(QStringLiteral("--compress=0")));

        BackupOptions zstd;
        zstd.compression = QStringLiteral("pg:zstd:3");
        PgDumpCommand::build(zstd, {15, 4}, QStringLiteral("x"), {}, {}, &err);
        QCOMPARE(err.code, ExitCode::Usage);
        QVERIFY(err.message.contains(QStringLiteral("16")));
        PgDumpCommand::build(zstd, {16, 1}, QStringLiteral("x"), {}, {}, &err);
        QVERIFY(!err);

        BackupOptions bad;
        bad.jobs = 3;
        PgDumpCommand::build(bad, {15, 4}, QStringLiteral("x"), {}, {}, &err);
        QVERIFY(err.message.contains(QStringLiteral("directory")));
        bad = {};
        bad.compression = QStringLiteral("brotli");
        PgDumpCommand::build(bad, {15, 4}, QStringLiteral("x"), {}, {}, &err);
        QVERIFY(err.message.contains(QStringLiteral("brotli")));
    }
};

QTEST_GUILESS_MAIN(TstFoundation)
#include "tst_foundation.moc"
