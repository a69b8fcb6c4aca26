// Issue 17, base backups and recovery: a throwaway source cluster (archive_command copies each finished segment
// into a spool the test pushes with `lifeboatctl wal push` into local disk and the S3 fixture), base backups to both,
// two batches of commits with a timestamp between them; `recover --to THAT_TIME` holds exactly the first batch,
// `--to latest` both; the refusals (target before the oldest base backup, non-empty directory, port in use, a
// missing segment — each exit 6 with nothing written), an encrypted base backup, a role without REPLICATION, a
// pg_hba.conf without a replication line and an extra tablespace, each refused with the fix in the message.
#include "PitrCluster.h"

#include <QDirIterator>

class TstPitrCli : public QObject, private PitrCluster {
    Q_OBJECT

private slots:
    void initTestCase() { setUpCluster(); }

    void cleanupTestCase() { stopAll(); }

    void baseBackupToLocalAndS3() {
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("basebackup"), QStringLiteral("src")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = json(r);
        m_firstBase = o.value(QStringLiteral("id")).toInteger();
        m_firstBaseFile = o.value(QStringLiteral("filename")).toString();
        m_firstBaseStop = o.value(QStringLiteral("stopLsn")).toString();
        QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("base"));
        QCOMPARE(o.value(QStringLiteral("timeline")).toInt(), 1);
        QVERIFY(o.value(QStringLiteral("filename")).toString().endsWith(QLatin1String(".tar.zst")));
        QVERIFY(!o.value(QStringLiteral("startLsn")).toString().isEmpty());
        QVERIFY(!o.value(QStringLiteral("stopLsn")).toString().isEmpty());
        const QJsonArray locs = o.value(QStringLiteral("locations")).toArray();
        QCOMPARE(locs.size(), 2);
        QString local;
        for (const QJsonValue &l : locs)
            if (l.toObject().value(QStringLiteral("storage")).toString() == QLatin1String("disk"))
                local = l.toObject().value(QStringLiteral("path")).toString();
        // The stored artifact is zstd around pg_basebackup's tar, with the server's label and manifest inside.
        const TestEnv::Run list = TestEnv::run(
            QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("zstd -dc '%1' | tar tf -").arg(local)});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("backup_label\n"));
        QVERIFY(list.out.contains("backup_manifest\n"));
        QVERIFY(list.out.contains("pg_wal/"));
        // The manifest beside it records the WAL range, as the catalog does.
        QFile m(local + QStringLiteral(".manifest.json"));
        QVERIFY(m.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(m.readAll()).object();
        QCOMPARE(manifest.value(QStringLiteral("kind")).toString(), QStringLiteral("base"));
        QCOMPARE(manifest.value(QStringLiteral("baseBackup")).toObject().value(QStringLiteral("stopLsn")).toString(),
                 o.value(QStringLiteral("stopLsn")).toString());
        const QJsonObject shown =
            json(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(m_firstBase)}));
        QCOMPARE(shown.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
    }

    void recoverToATimeHoldsExactlyTheFirstBatch() {
        sql(m_port, QStringLiteral("INSERT INTO t (id) SELECT g FROM generate_series(1, 100) g"));
        QThread::msleep(1200);
        m_between = QDateTime::currentDateTimeUtc();
        QThread::msleep(1200);
        sql(m_port, QStringLiteral("INSERT INTO t (id) SELECT g FROM generate_series(101, 250) g"));
        QVERIFY(switchAndPush());

        QJsonObject o;
        QCOMPARE(recoveredRows({QStringLiteral("--to"), m_between.toString(Qt::ISODateWithMs)},
                               QStringLiteral("at-time"), &o),
                 QStringLiteral("100:100"));
        QCOMPARE(o.value(QStringLiteral("plan")).toObject().value(QStringLiteral("baseBackupId")).toInteger(),
                 m_firstBase);
        const QDateTime last =
            QDateTime::fromString(o.value(QStringLiteral("lastTransaction")).toString(), Qt::ISODateWithMs);
        QVERIFY2(last.isValid() && last <= m_between, qPrintable(o.value(QStringLiteral("verdict")).toString()));
        QVERIFY(!o.value(QStringLiteral("segmentsReplayed")).toArray().isEmpty());
        QCOMPARE(o.value(QStringLiteral("running")).toBool(), true); // --start left it running (stopped by the test)
    }

    void recoverToLatestHoldsBoth() {
        QCOMPARE(recoveredRows({QStringLiteral("--to"), QStringLiteral("latest")}, QStringLiteral("latest")),
                 QStringLiteral("250:250"));
    }

    void dryRunWritesNothing() {
        const QString data = dir(QStringLiteral("dry"));
        const TestEnv::Run r =
            ctl({QStringLiteral("--json"), QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"),
                 QStringLiteral("latest"), QStringLiteral("--data-dir"), data, QStringLiteral("--port"),
                 QString::number(freePort()), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject plan = json(r).value(QStringLiteral("plan")).toObject();
        QCOMPARE(plan.value(QStringLiteral("baseBackupId")).toInteger(), m_firstBase);
        QVERIFY(!plan.value(QStringLiteral("segments")).toArray().isEmpty());
        QVERIFY(!QFileInfo::exists(data));
    }

    void refusalsWriteNothing() {
        // A target before the oldest base backup ends: exit 6 with the window.
        const QString data = dir(QStringLiteral("refused"));
        TestEnv::Run r =
            ctl({QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"),
                 QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODate), QStringLiteral("--data-dir"), data,
                 QStringLiteral("--port"), QString::number(freePort())});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("recoverable window"), r.err.constData());
        QVERIFY(!QFileInfo::exists(data));
        // A data directory with something in it.
        QVERIFY(QDir().mkpath(data));
        QFile keep(data + QStringLiteral("/keep.txt"));
        QVERIFY(keep.open(QIODevice::WriteOnly) && keep.write("mine") == 4);
        keep.close();
        r = ctl({QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"), QStringLiteral("latest"),
                 QStringLiteral("--data-dir"), data, QStringLiteral("--port"), QString::number(freePort())});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("not empty"), r.err.constData());
        QCOMPARE(QDir(data).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{QStringLiteral("keep.txt")});
        // A port in use.
        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
        const QString other = dir(QStringLiteral("refused-port"));
        r = ctl({QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"), QStringLiteral("latest"),
                 QStringLiteral("--data-dir"), other, QStringLiteral("--port"), QString::number(busy.serverPort())});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("in use"), r.err.constData());
        QVERIFY(!QFileInfo::exists(other));
    }

    void encryptedBaseBackupRecovers() {
        m_identity = dir(QStringLiteral("key.txt"));
        const TestEnv::Run kg =
            ctl({QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--out"), m_identity});
        QCOMPARE(kg.exitCode, 0);
        const QString recipient = json(kg).value(QStringLiteral("recipient")).toString();
        const TestEnv::Run r =
            ctl({QStringLiteral("--json"), QStringLiteral("basebackup"), QStringLiteral("src"),
                 QStringLiteral("--storage"), QStringLiteral("bucket"), QStringLiteral("--recipient"), recipient});
        QCOMPARE(r.exitCode, 0);
        const qint64 id = json(r).value(QStringLiteral("id")).toInteger();
        QVERIFY(json(r).value(QStringLiteral("filename")).toString().endsWith(QLatin1String(".tar.zst.age")));
        sql(m_port, QStringLiteral("INSERT INTO t (id) VALUES (251)"));
        QVERIFY(switchAndPush());
        // Without the identity the backup cannot be read; with it, the newest base backup (from the bucket).
        const QString noIdentity =
            recoveredRows({QStringLiteral("--to"), QStringLiteral("latest")}, QStringLiteral("enc-noid"));
        QVERIFY2(noIdentity.startsWith(QLatin1String("exit 3")) && noIdentity.contains(QLatin1String("--identity")),
                 qPrintable(noIdentity));
        QVERIFY(!QFileInfo::exists(dir(QStringLiteral("enc-noid"))));
        QJsonObject o;
        QCOMPARE(recoveredRows({QStringLiteral("--to"), QStringLiteral("latest")}, QStringLiteral("enc"), &o,
                               {QStringLiteral("--identity"), m_identity}),
                 QStringLiteral("251:251"));
        QCOMPARE(o.value(QStringLiteral("plan")).toObject().value(QStringLiteral("baseBackupId")).toInteger(), id);
    }

    // The brief's restore_command — `lifeboatctl wal fetch` run by the server itself — is what a non-root user gets
    // (as root the server runs as postgres and reads a spool, the cases above). Here the same recovery runs as the
    // postgres user with its own copy of the home: the server fetches every segment through `wal fetch`.
    void restoreCommandFetchesThroughWalFetch() {
        if (!root())
            QSKIP("runs as root only: without root every case above already uses this restore_command");
        const QString home = dir(QStringLiteral("home-pg"));
        const QString key = dir(QStringLiteral("key-pg.txt"));
        QCOMPARE(TestEnv::run(QStringLiteral("cp"), {QStringLiteral("-a"), m_home, home}).exitCode, 0);
        QCOMPARE(TestEnv::run(QStringLiteral("cp"), {m_identity, key}).exitCode, 0);
        // Everything that user reads is its own, as on a host where it runs Lifeboat: the home, the key, the local
        // storage (the bucket is reached with the same AWS environment).
        QCOMPARE(TestEnv::run(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("postgres:"), home, key,
                                                        dir(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        const QString data = dir(QStringLiteral("as-postgres"));
        const int port = freePort();
        const TestEnv::Run r =
            TestEnv::run(QStringLiteral("runuser"),
                         {QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                          TestEnv::lifeboatctl(), QStringLiteral("--home"), home, QStringLiteral("--json"),
                          QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"),
                          QStringLiteral("latest"), QStringLiteral("--data-dir"), data, QStringLiteral("--port"),
                          QString::number(port), QStringLiteral("--start"), QStringLiteral("--identity"), key},
                         {}, m_env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_running << data;
        const QString rows = sql(port, QStringLiteral("SELECT count(*) || ':' || coalesce(max(id), 0) FROM t"));
        stopServer(data);
        QCOMPARE(rows, QStringLiteral("251:251"));
        QVERIFY(!json(r).value(QStringLiteral("segmentsReplayed")).toArray().isEmpty());
        QFile conf(data + QStringLiteral("/postgresql.auto.conf"));
        QVERIFY(conf.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(conf.readAll());
        QVERIFY2(text.contains(QStringLiteral("wal fetch ''src'' \"%f\" \"%p\" --partial --fatal-errors")) &&
                     text.contains(home),
                 qPrintable(text));
        QVERIFY(!text.contains(m_s3secret));
    }

    void missingPrivilegesAreNamed() {
        TestEnv::Run r = ctl({QStringLiteral("basebackup"), QStringLiteral("norep")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("ALTER ROLE \"norep\" WITH REPLICATION;"), r.err.constData());
        r = ctl({QStringLiteral("basebackup"), QStringLiteral("nohba")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("host replication nohba 127.0.0.1/32 scram-sha-256"), r.err.constData());
        // Both attempts are recorded FAILED, with no copy.
        const QJsonArray failed = QJsonDocument::fromJson(ctl({QStringLiteral("--json"), QStringLiteral("list"),
                                                               QStringLiteral("--status"), QStringLiteral("FAILED")})
                                                              .out)
                                      .array();
        QStringList profiles;
        for (const QJsonValue &v : failed)
            profiles << v.toObject().value(QStringLiteral("profile")).toString();
        QVERIFY2(profiles.contains(QStringLiteral("norep")) && profiles.contains(QStringLiteral("nohba")),
                 qPrintable(profiles.join(QLatin1Char(','))));
    }

    void extraTablespaceIsRefusedBeforeWriting() {
        const QString space = dir(QStringLiteral("space"));
        QVERIFY(QDir().mkpath(space));
        if (root())
            TestEnv::run(QStringLiteral("chown"), {QStringLiteral("postgres:"), space});
        sql(m_port, QStringLiteral("CREATE TABLESPACE extra LOCATION '%1'").arg(space));
        const QStringList before = QDir(dir(QStringLiteral("disk"))).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
        const TestEnv::Run r = ctl(
            {QStringLiteral("basebackup"), QStringLiteral("src"), QStringLiteral("--storage"), QStringLiteral("disk")});
        sql(m_port, QStringLiteral("DROP TABLESPACE extra"));
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("extra (") && r.err.contains("tablespace"), r.err.constData());
        QCOMPARE(QDir(dir(QStringLiteral("disk"))).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), before);
    }

    // The catalog is lost: `catalog rebuild` brings the base backup back with its WAL range (from the manifest),
    // so recover finds it again.
    void catalogRebuildBringsBackTheRange() {
        const QString home = dir(QStringLiteral("home-rebuilt"));
        QVERIFY(QDir().mkpath(home));
        QVERIFY(QFile::copy(m_home + QStringLiteral("/config.json"), home + QStringLiteral("/config.json")));
        TestEnv::Run r = TestEnv::ctl(
            home,
            {QStringLiteral("--json"), QStringLiteral("catalog"), QStringLiteral("rebuild"), QStringLiteral("disk")},
            {}, m_env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(json(r).value(QStringLiteral("added")).toInt() >= 1, r.out.constData());
        const QString data = dir(QStringLiteral("rebuilt"));
        r = TestEnv::ctl(home,
                         {QStringLiteral("--json"), QStringLiteral("recover"), QStringLiteral("src"),
                          QStringLiteral("--to"), QStringLiteral("latest"), QStringLiteral("--data-dir"), data,
                          QStringLiteral("--port"), QString::number(freePort()), QStringLiteral("--dry-run")},
                         {}, m_env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject plan = json(r).value(QStringLiteral("plan")).toObject();
        QCOMPARE(plan.value(QStringLiteral("baseBackup")).toString(), m_firstBaseFile);
        QCOMPARE(plan.value(QStringLiteral("baseBackupEnd")).toString(), m_firstBaseStop);
        QVERIFY(!QFileInfo::exists(data));
    }

    // Review of issue 17: WAL archived to a storage that is not (or no longer) among the profile's default ones.
    // The plan counts every storage's rows; `wal fetch` opened only the defaults, answered "not archived", and the
    // server promoted early (or, as root, the prefetch failed). Both the spool (root) and restore_command = wal
    // fetch run by the server (the postgres user) must read it.
    void latestReadsWalOnEveryStorage() {
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk2"),
                      QStringLiteral("--local"), dir(QStringLiteral("disk2"))})
                     .exitCode,
                 0);
        sql(m_port, QStringLiteral("INSERT INTO t (id) VALUES (260)"));
        const QString seg = sql(m_port, QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
        QVERIFY(archived(seg));
        for (const QString &f : QDir(m_archive).entryList(QDir::Files, QDir::Name)) {
            if (m_pushed.contains(f))
                continue;
            QCOMPARE(ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("src"),
                          m_archive + QLatin1Char('/') + f, QStringLiteral("--storage"), QStringLiteral("disk2")})
                         .exitCode,
                     0);
            m_pushed << f;
        }
        QCOMPARE(recoveredRows({QStringLiteral("--to"), QStringLiteral("latest")}, QStringLiteral("other-storage"),
                               nullptr, {QStringLiteral("--identity"), m_identity}),
                 QStringLiteral("252:260"));
        if (!root())
            return; // without root the recovery above already ran restore_command = wal fetch
        const QString home = dir(QStringLiteral("home-pg2"));
        const QString key = dir(QStringLiteral("key-pg2.txt"));
        QCOMPARE(TestEnv::run(QStringLiteral("cp"), {QStringLiteral("-a"), m_home, home}).exitCode, 0);
        QCOMPARE(TestEnv::run(QStringLiteral("cp"), {m_identity, key}).exitCode, 0);
        QCOMPARE(TestEnv::run(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("postgres:"), home, key,
                                                        dir(QStringLiteral("disk")), dir(QStringLiteral("disk2"))})
                     .exitCode,
                 0);
        const QString data = dir(QStringLiteral("other-storage-pg"));
        const int port = freePort();
        const TestEnv::Run r =
            TestEnv::run(QStringLiteral("runuser"),
                         {QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                          TestEnv::lifeboatctl(), QStringLiteral("--home"), home, QStringLiteral("--json"),
                          QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"),
                          QStringLiteral("latest"), QStringLiteral("--data-dir"), data, QStringLiteral("--port"),
                          QString::number(port), QStringLiteral("--start"), QStringLiteral("--identity"), key},
                         {}, m_env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_running << data;
        const QString rows = sql(port, QStringLiteral("SELECT count(*) || ':' || coalesce(max(id), 0) FROM t"));
        stopServer(data);
        QCOMPARE(rows, QStringLiteral("252:260"));
    }

    // Review of issue 17: a failure after the base backup was moved into DIR (here a damaged archived segment, its
    // only copy on disk2) says what DIR holds rather than leaving a directory that looks like a database.
    void failureAfterExtractionSaysWhatDirHolds() {
        QString victim;
        QDirIterator it(dir(QStringLiteral("disk2")), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            if (QFileInfo(f).fileName().startsWith(m_pushed.last()))
                victim = f;
        }
        QVERIFY2(!victim.isEmpty(), qPrintable(m_pushed.last()));
        const QString saved = dir(QStringLiteral("victim.bak"));
        QVERIFY(QFile::copy(victim, saved));
        QFile f(victim);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        QVERIFY(bytes.size() > 100);
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x5a);
        QVERIFY(f.seek(0) && f.write(bytes) == bytes.size());
        f.close();
        const QString data = dir(QStringLiteral("damaged-wal"));
        const TestEnv::Run r =
            ctl({QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"), QStringLiteral("latest"),
                 QStringLiteral("--data-dir"), data, QStringLiteral("--port"), QString::number(freePort()),
                 QStringLiteral("--identity"), m_identity});
        QVERIFY(QFile::remove(victim) && QFile::copy(saved, victim));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("damaged") && r.err.contains(data.toUtf8() + " holds the extracted base backup"),
                 r.err.constData());
        QVERIFY(QFileInfo::exists(data + QStringLiteral("/PG_VERSION")));
    }

    // `wal fetch --fatal-errors` is restore_command: a home whose catalog cannot be opened is a failure PostgreSQL
    // must stop at (255), not "not archived" (any other code), or it promotes early.
    void fatalFetchWithoutCatalogExits255() {
        const QString home = dir(QStringLiteral("home-broken"));
        QVERIFY(QDir().mkpath(home));
        QFile conf(home + QStringLiteral("/config.json"));
        QVERIFY(conf.open(QIODevice::WriteOnly) && conf.write("{ not json") > 0);
        conf.close();
        const QString seg = m_pushed.first();
        TestEnv::Run r = TestEnv::ctl(home,
                                      {QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("src"), seg,
                                       dir(QStringLiteral("fetched")), QStringLiteral("--fatal-errors")},
                                      {}, m_env);
        QCOMPARE(r.exitCode, 255);
        QVERIFY(!QFileInfo::exists(dir(QStringLiteral("fetched"))));
        r = TestEnv::ctl(home,
                         {QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("src"), seg,
                          dir(QStringLiteral("fetched"))},
                         {}, m_env);
        QCOMPARE(r.exitCode, 3);
    }

    // Review of issue 17: base backup manifests are signed like a backup's, and recover checks the signature as
    // restore does, before anything is written: --require-signed refuses an unsigned one, an invalid one is refused
    // always.
    void recoverChecksBaseBackupSignatures() {
        const QStringList latest{QStringLiteral("recover"), QStringLiteral("src"),        QStringLiteral("--to"),
                                 QStringLiteral("latest"),  QStringLiteral("--identity"), m_identity,
                                 QStringLiteral("--port"),  QString::number(freePort())};
        // A key in the file store (whether or not a keychain is around): basebackup signs its manifest.
        m_env.insert(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"), QStringLiteral("pitr signing passphrase"));
        QCOMPARE(ctl({QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")}).exitCode, 0);
        TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("basebackup"), QStringLiteral("src"),
                              QStringLiteral("--storage"), QStringLiteral("disk")});
        QCOMPARE(r.exitCode, 0);
        const qint64 id = json(r).value(QStringLiteral("id")).toInteger();
        QVERIFY(switchAndPush());
        QString local;
        for (const QJsonValue &l : json(r).value(QStringLiteral("locations")).toArray())
            local = l.toObject().value(QStringLiteral("path")).toString();
        QFile mf(local + QStringLiteral(".manifest.json"));
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QByteArray manifest = mf.readAll();
        mf.close();
        QJsonObject unsignedManifest = QJsonDocument::fromJson(manifest).object();
        QVERIFY2(unsignedManifest.contains(QStringLiteral("signature")), manifest.constData());
        const auto writeManifest = [&mf](const QByteArray &bytes) {
            return mf.open(QIODevice::WriteOnly | QIODevice::Truncate) && mf.write(bytes) == bytes.size() &&
                   (mf.close(), true);
        };

        // The same manifest without its signature: --require-signed refuses it, nothing is written.
        unsignedManifest.remove(QStringLiteral("signature"));
        QVERIFY(writeManifest(QJsonDocument(unsignedManifest).toJson()));
        const QString unsignedDir = dir(QStringLiteral("signed-refused"));
        r = ctl(latest + QStringList{QStringLiteral("--data-dir"), unsignedDir, QStringLiteral("--require-signed")});
        QVERIFY(writeManifest(manifest));
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("unsigned"), r.err.constData());
        QVERIFY(!QFileInfo::exists(unsignedDir));

        // Signed by this installation: recovers with --require-signed.
        QJsonObject o;
        QCOMPARE(recoveredRows({QStringLiteral("--to"), QStringLiteral("latest")}, QStringLiteral("signed"), &o,
                               {QStringLiteral("--identity"), m_identity, QStringLiteral("--require-signed")}),
                 QStringLiteral("252:260"));
        QCOMPARE(o.value(QStringLiteral("plan")).toObject().value(QStringLiteral("baseBackupId")).toInteger(), id);
        QCOMPARE(o.value(QStringLiteral("manifestSignature")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("this-installation"));

        // A manifest changed after signing is refused without --require-signed too, and nothing is written.
        QByteArray tampered = manifest;
        const qsizetype at = tampered.indexOf("\"profile\"");
        QVERIFY(at >= 0);
        tampered.insert(at, "\"tamperedWith\": true, ");
        QVERIFY(writeManifest(tampered));
        const QString invalidDir = dir(QStringLiteral("signed-invalid"));
        r = ctl(latest + QStringList{QStringLiteral("--data-dir"), invalidDir});
        QVERIFY(writeManifest(manifest));
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("signature"), r.err.constData());
        QVERIFY(!QFileInfo::exists(invalidDir));
    }

    // Last: it leaves a hole in the archive.
    void missingSegmentIsNamed() {
        sql(m_port, QStringLiteral("INSERT INTO t (id) VALUES (252)"));
        const QString hole = sql(m_port, QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
        for (int i = 0; i < 300 && !QFile::exists(m_archive + QLatin1Char('/') + hole); ++i)
            QThread::msleep(100);
        sql(m_port, QStringLiteral("INSERT INTO t (id) VALUES (253)"));
        QVERIFY(switchAndPush({hole}));
        const QString data = dir(QStringLiteral("gap"));
        const TestEnv::Run r =
            ctl({QStringLiteral("recover"), QStringLiteral("src"), QStringLiteral("--to"), QStringLiteral("latest"),
                 QStringLiteral("--data-dir"), data, QStringLiteral("--port"), QString::number(freePort()),
                 QStringLiteral("--identity"), m_identity});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains(hole.toUtf8()), r.err.constData());
        QVERIFY(!QFileInfo::exists(data));
    }
};

QTEST_GUILESS_MAIN(TstPitrCli)
#include "tst_pitr_cli.moc"
