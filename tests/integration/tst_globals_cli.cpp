// Issue 18 item 5: a database backup carries the server's roles (profile --globals: pg_dumpall --globals-only, no
// role passwords by default) as a companion file, and restore --create-missing-roles creates the roles a fresh
// server lacks before the database, so --keep-owner brings owners and grants back as on the source. Real clusters
// (two throwaway ones, started here), real pg_dumpall and pg_restore; no mock.
#include "TestEnv.h"
#include "WalTestCluster.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

class TstGlobalsCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_disk;
    std::unique_ptr<WalTestCluster> m_source;
    std::unique_ptr<WalTestCluster> m_target;
    qint64 m_backupId = 0;

    TestEnv::Run ctl(const QStringList &args, const QByteArray &stdinData = {}) {
        const TestEnv::Run r = TestEnv::ctl(m_home, args, stdinData);
        if (r.exitCode != 0)
            qInfo("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return r;
    }
    static QJsonObject json(const TestEnv::Run &r) { return QJsonDocument::fromJson(r.out).object(); }
    // SQL on one cluster's database, as postgres; unaligned rows.
    static QString sql(const WalTestCluster &c, const QString &db, const QString &statement) {
        const auto r = TestEnv::run(c.binDir() + QStringLiteral("/psql"),
                                    {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"),
                                     QStringLiteral("-t"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                                     QStringLiteral("-p"), QString::number(c.port()), QStringLiteral("-U"),
                                     QStringLiteral("postgres"), QStringLiteral("-d"), db, QStringLiteral("-v"),
                                     QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"), statement});
        return QString::fromUtf8(r.exitCode == 0 ? r.out : "ERROR: " + r.err).trimmed();
    }
    // What a restore must bring back: roles and their attributes, memberships, and the shop's owners and grants.
    static QString roles(const WalTestCluster &c) {
        return sql(c, QStringLiteral("postgres"),
                   QStringLiteral("SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolconnlimit FROM pg_roles "
                                  "WHERE rolname NOT LIKE 'pg\\_%' ORDER BY 1"));
    }
    static QString memberships(const WalTestCluster &c) {
        return sql(c, QStringLiteral("postgres"),
                   QStringLiteral("SELECT r.rolname || ' <- ' || m.rolname FROM pg_auth_members a JOIN pg_roles r ON "
                                  "r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member ORDER BY 1"));
    }
    static QString ownersAndGrants(const WalTestCluster &c, const QString &db) {
        return sql(c, db,
                   QStringLiteral("SELECT c.relname, pg_get_userbyid(c.relowner), c.relacl FROM pg_class c JOIN "
                                  "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND "
                                  "c.relkind IN ('r', 'v', 'S') ORDER BY 1"));
    }
    // pg_dumpall --globals-only of a cluster, comments and the bootstrap role's own lines left out.
    static QString globals(const WalTestCluster &c) {
        const auto r = TestEnv::run(c.binDir() + QStringLiteral("/pg_dumpall"),
                                    {QStringLiteral("--globals-only"), QStringLiteral("--no-role-passwords"),
                                     QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                                     QString::number(c.port()), QStringLiteral("-U"), QStringLiteral("postgres")});
        QStringList kept;
        for (const QString &l : QString::fromUtf8(r.out).split(QLatin1Char('\n'))) {
            if (l.startsWith(QLatin1String("--")) || l.trimmed().isEmpty() || l.startsWith(QLatin1String("\\")))
                continue;
            kept << l;
        }
        return kept.join(QLatin1Char('\n'));
    }
    QString localCopy(qint64 id) {
        const QJsonObject shown = json(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)}));
        for (const QJsonValue &l : shown.value(QStringLiteral("locations")).toArray())
            if (l.toObject().value(QStringLiteral("storage")).toString() == QLatin1String("disk"))
                return l.toObject().value(QStringLiteral("path")).toString();
        return {};
    }
    static QByteArray readAll(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY(WalTestCluster::owned(m_tmp.path())); // the clusters' owner must reach their directories
        QString why;
        m_source = std::make_unique<WalTestCluster>(m_tmp.filePath(QStringLiteral("source")));
        QVERIFY2(m_source->start({}, QProcessEnvironment::systemEnvironment(), &why), qPrintable(why));
        m_target = std::make_unique<WalTestCluster>(m_tmp.filePath(QStringLiteral("target")));
        QVERIFY2(m_target->start({}, QProcessEnvironment::systemEnvironment(), &why), qPrintable(why));

        // Roles that own objects, hold grants and belong to a group; passwords that must not reach a backup.
        QCOMPARE(sql(*m_source, QStringLiteral("postgres"),
                     QStringLiteral("CREATE ROLE app_owner LOGIN CREATEDB PASSWORD 'owner-secret-pw';"
                                    "CREATE ROLE readers NOLOGIN;"
                                    "CREATE ROLE reader LOGIN CONNECTION LIMIT 5 PASSWORD 'reader-secret-pw';"
                                    "CREATE ROLE \"Audit Team\" NOLOGIN;"
                                    "GRANT readers TO reader;"
                                    "COMMENT ON ROLE reader IS 'reads; reports';"
                                    "ALTER ROLE reader SET statement_timeout = '5s'")),
                 QString());
        QCOMPARE(sql(*m_source, QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE shop OWNER app_owner")),
                 QString());
        QCOMPARE(sql(*m_source, QStringLiteral("shop"),
                     QStringLiteral("SET ROLE app_owner;"
                                    "CREATE TABLE orders (id int PRIMARY KEY, note text);"
                                    "INSERT INTO orders SELECT g, 'n' || g FROM generate_series(1, 50) g;"
                                    "CREATE VIEW big_orders AS SELECT * FROM orders WHERE id > 25;"
                                    "GRANT SELECT ON orders TO reader;"
                                    "GRANT SELECT, INSERT ON orders TO readers;"
                                    "GRANT SELECT ON big_orders TO \"Audit Team\"")),
                 QString());

        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_disk = m_tmp.filePath(QStringLiteral("disk"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_disk})
                     .exitCode,
                 0);
        const QString src = QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=shop").arg(m_source->port());
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("src"), QStringLiteral("--conninfo"),
                 src, QStringLiteral("--storage"), QStringLiteral("disk"), QStringLiteral("--globals")})
                .exitCode,
            0);
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("plain"),
                      QStringLiteral("--conninfo"), src, QStringLiteral("--storage"), QStringLiteral("disk")})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("dst"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=postgres").arg(m_target->port())})
                .exitCode,
            0);
    }

    void cleanupTestCase() {
        m_source.reset();
        m_target.reset();
    }

    void backupCarriesTheRolesWithoutPasswords() {
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("src")});
        QCOMPARE(r.exitCode, 0);
        m_backupId = json(r).value(QStringLiteral("id")).toInteger();
        QVERIFY(m_backupId > 0);
        const QJsonObject shown =
            json(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(m_backupId)}));
        const QJsonObject g = shown.value(QStringLiteral("globals")).toObject();
        const QString artifact = localCopy(m_backupId);
        QVERIFY(!artifact.isEmpty());
        // The companion lies beside the artifact under its recorded name, whole (no .partial left), hashed.
        const QString name = g.value(QStringLiteral("file")).toString();
        QVERIFY2(name.endsWith(QLatin1String(".globals.sql")), qPrintable(name));
        const QString companion = QFileInfo(artifact).absoluteDir().filePath(name);
        const QByteArray bytes = readAll(companion);
        QVERIFY(!bytes.isEmpty());
        QVERIFY(!QFile::exists(companion + QStringLiteral(".partial")));
        QCOMPARE(g.value(QStringLiteral("size")).toInteger(), bytes.size());
        QCOMPARE(g.value(QStringLiteral("sha256")).toString(),
                 QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
        QVERIFY(bytes.contains("CREATE ROLE app_owner;"));
        QVERIFY(bytes.contains("GRANT readers TO reader"));
        // No password by default: neither the words nor their hashes, in the companion or the artifact's manifest.
        QVERIFY(!bytes.contains("owner-secret-pw") && !bytes.contains("reader-secret-pw"));
        QVERIFY(!bytes.contains("SCRAM-SHA-256") && !bytes.contains("PASSWORD"));
        QCOMPARE(g.value(QStringLiteral("rolePasswords")).toBool(), false);
        // The manifest lists it like the catalog does (a catalog rebuild keeps it).
        const QJsonObject manifest =
            QJsonDocument::fromJson(readAll(artifact + QStringLiteral(".manifest.json"))).object();
        QCOMPARE(manifest.value(QStringLiteral("globals")).toObject().value(QStringLiteral("sha256")).toString(),
                 g.value(QStringLiteral("sha256")).toString());
        QCOMPARE(manifest.value(QStringLiteral("globals")).toObject().value(QStringLiteral("file")).toString(), name);
    }

    // `download` copies what a restore of the file reads beside it: the manifest and the roles file (verified).
    void downloadKeepsTheRolesBesideTheCopy() {
        QVERIFY(m_backupId > 0);
        const QString dir = m_tmp.filePath(QStringLiteral("downloaded"));
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("download"), QString::number(m_backupId),
                                    QStringLiteral("--to"), dir});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject out = json(r);
        const QString file = out.value(QStringLiteral("path")).toString();
        const QString name = json(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(m_backupId)}))
                                 .value(QStringLiteral("globals"))
                                 .toObject()
                                 .value(QStringLiteral("file"))
                                 .toString();
        QCOMPARE(out.value(QStringLiteral("beside")).toArray().toVariantList(),
                 (QVariantList{file + QStringLiteral(".manifest.json"), QDir(dir).filePath(name)}));
        QVERIFY(out.value(QStringLiteral("notCopied")).toArray().isEmpty());
        QCOMPARE(readAll(QDir(dir).filePath(name)),
                 readAll(QFileInfo(localCopy(m_backupId)).absoluteDir().filePath(name)));
        // A restore of the downloaded file finds its roles (without them: "holds no roles", refused).
        const TestEnv::Run dry = ctl(
            {QStringLiteral("restore"), file, QStringLiteral("--target"), QStringLiteral("dst"),
             QStringLiteral("--target-db"), QStringLiteral("shop_from_file"), QStringLiteral("--create"),
             QStringLiteral("--keep-owner"), QStringLiteral("--create-missing-roles"), QStringLiteral("--dry-run")});
        QVERIFY2(dry.exitCode == 0, dry.err.constData());
        QVERIFY2(dry.out.contains("create 4 role(s)"), dry.out.constData());
    }

    void restoreOntoAFreshServerCreatesTheMissingRolesFirst() {
        QVERIFY(m_backupId > 0);
        QVERIFY(roles(*m_source) != roles(*m_target)); // the target starts without them
        // The dry run names the roles it would create and changes nothing.
        const TestEnv::Run dry = ctl(
            {QStringLiteral("restore"), QString::number(m_backupId), QStringLiteral("--target"), QStringLiteral("dst"),
             QStringLiteral("--target-db"), QStringLiteral("shop"), QStringLiteral("--create"),
             QStringLiteral("--keep-owner"), QStringLiteral("--create-missing-roles"), QStringLiteral("--dry-run")});
        QCOMPARE(dry.exitCode, 0);
        QVERIFY2(dry.out.contains("create 4 role(s): app_owner readers reader Audit Team") ||
                     dry.out.contains("create 4 role(s)"),
                 dry.out.constData());
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT count(*) FROM pg_roles WHERE "
                                    "rolname = 'app_owner'")),
                 QStringLiteral("0"));

        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("restore"), QString::number(m_backupId),
                                    QStringLiteral("--target"), QStringLiteral("dst"), QStringLiteral("--target-db"),
                                    QStringLiteral("shop"), QStringLiteral("--create"), QStringLiteral("--keep-owner"),
                                    QStringLiteral("--create-missing-roles")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject out = json(r);
        const QJsonObject rolesJson = out.value(QStringLiteral("roles")).toObject();
        QStringList created;
        for (const QJsonValue &v : rolesJson.value(QStringLiteral("create")).toArray())
            created << v.toString();
        created.sort();
        QCOMPARE(created, (QStringList{QStringLiteral("Audit Team"), QStringLiteral("app_owner"),
                                       QStringLiteral("reader"), QStringLiteral("readers")}));
        // The connecting (bootstrap) superuser exists on both: left alone and listed.
        QVERIFY(rolesJson.value(QStringLiteral("existing")).toArray().contains(QStringLiteral("postgres")));

        // Owners and grants as on the source, and the roles, memberships and settings too.
        QCOMPARE(ownersAndGrants(*m_target, QStringLiteral("shop")),
                 ownersAndGrants(*m_source, QStringLiteral("shop")));
        QVERIFY(ownersAndGrants(*m_target, QStringLiteral("shop")).contains(QStringLiteral("reader=r/app_owner")));
        QCOMPARE(roles(*m_target), roles(*m_source));
        QCOMPARE(memberships(*m_target), memberships(*m_source));
        QCOMPARE(globals(*m_target), globals(*m_source));
        QCOMPARE(
            sql(*m_target, QStringLiteral("postgres"),
                QStringLiteral("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = 'reader'")),
            QStringLiteral("reads; reports"));
        QCOMPARE(sql(*m_target, QStringLiteral("shop"), QStringLiteral("SELECT count(*) FROM orders")),
                 QStringLiteral("50"));
        // The backup held no passwords: the new login roles have none.
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT count(*) FROM pg_authid WHERE rolname IN ('app_owner', 'reader') AND "
                                    "rolpassword IS NOT NULL")),
                 QStringLiteral("0"));
    }

    void aSecondRestoreCreatesNoneAndListsThemAsExisting() {
        QVERIFY(m_backupId > 0);
        const QString before = roles(*m_target);
        // An existing role is left alone even where it differs from the backup's.
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"), QStringLiteral("ALTER ROLE reader CONNECTION LIMIT 9")),
                 QString());
        const TestEnv::Run r =
            ctl({QStringLiteral("restore"), QString::number(m_backupId), QStringLiteral("--target"),
                 QStringLiteral("dst"), QStringLiteral("--target-db"), QStringLiteral("shop2"),
                 QStringLiteral("--create"), QStringLiteral("--keep-owner"), QStringLiteral("--create-missing-roles")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("Roles created: none"), r.err.constData());
        QVERIFY2(r.err.contains("already there, left alone: app_owner, readers, reader, Audit Team, postgres") ||
                     (r.err.contains("left alone: ") && r.err.contains("app_owner") && r.err.contains("Audit Team")),
                 r.err.constData());
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT rolconnlimit FROM pg_roles WHERE rolname = 'reader'")),
                 QStringLiteral("9"));
        QVERIFY(roles(*m_target) != before); // only by the limit changed above
        QCOMPARE(ownersAndGrants(*m_target, QStringLiteral("shop2")),
                 ownersAndGrants(*m_source, QStringLiteral("shop")));
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"), QStringLiteral("ALTER ROLE reader CONNECTION LIMIT 5")),
                 QString());
    }

    void aBackupWithoutRolesRefusesCreateMissingRoles() {
        const TestEnv::Run b = ctl({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("plain")});
        QCOMPARE(b.exitCode, 0);
        const qint64 id = json(b).value(QStringLiteral("id")).toInteger();
        const QJsonObject shown = json(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)}));
        QVERIFY(!shown.contains(QStringLiteral("globals")));
        const TestEnv::Run r = ctl({QStringLiteral("restore"), QString::number(id), QStringLiteral("--target"),
                                    QStringLiteral("dst"), QStringLiteral("--target-db"), QStringLiteral("shop3"),
                                    QStringLiteral("--create"), QStringLiteral("--create-missing-roles")});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("holds no roles of its server"), r.err.constData());
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = 'shop3'")),
                 QStringLiteral("0"));
    }

    void encryptedBackupEncryptsItsRolesToo() {
        const QString key = m_tmp.filePath(QStringLiteral("age.key"));
        QCOMPARE(TestEnv::run(QStringLiteral("age-keygen"), {QStringLiteral("-o"), key}).exitCode, 0);
        QString recipient;
        for (const QByteArray &l : readAll(key).split('\n'))
            if (l.startsWith("# public key: "))
                recipient = QString::fromLatin1(l.mid(14)).trimmed();
        QVERIFY(!recipient.isEmpty());
        const TestEnv::Run b = ctl({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("src"),
                                    QStringLiteral("--recipient"), recipient});
        QCOMPARE(b.exitCode, 0);
        const qint64 id = json(b).value(QStringLiteral("id")).toInteger();
        const QJsonObject g = json(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)}))
                                  .value(QStringLiteral("globals"))
                                  .toObject();
        const QString name = g.value(QStringLiteral("file")).toString();
        QVERIFY2(name.endsWith(QLatin1String(".globals.sql.age")), qPrintable(name));
        const QString companion = QFileInfo(localCopy(id)).absoluteDir().filePath(name);
        const QByteArray stored = readAll(companion);
        QVERIFY(stored.startsWith("age-encryption.org/v1"));
        QVERIFY(!stored.contains("app_owner"));
        // The stock age tool reads it with the backup's key.
        const TestEnv::Run plain =
            TestEnv::run(QStringLiteral("age"), {QStringLiteral("-d"), QStringLiteral("-i"), key, companion});
        QCOMPARE(plain.exitCode, 0);
        QVERIFY(plain.out.contains("CREATE ROLE app_owner;"));

        // Restore onto a server without the roles: drop them on the target first (and what they own there).
        for (const QString &db : {QStringLiteral("shop"), QStringLiteral("shop2")})
            QCOMPARE(sql(*m_target, QStringLiteral("postgres"), QStringLiteral("DROP DATABASE %1").arg(db)), QString());
        QCOMPARE(
            sql(*m_target, QStringLiteral("postgres"),
                QStringLiteral("DROP ROLE reader; DROP ROLE readers; DROP ROLE \"Audit Team\"; DROP ROLE app_owner")),
            QString());
        const TestEnv::Run noKey =
            ctl({QStringLiteral("restore"), QString::number(id), QStringLiteral("--target"), QStringLiteral("dst"),
                 QStringLiteral("--target-db"), QStringLiteral("shop"), QStringLiteral("--create"),
                 QStringLiteral("--keep-owner"), QStringLiteral("--create-missing-roles")});
        QVERIFY(noKey.exitCode != 0);
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = 'app_owner'")),
                 QStringLiteral("0"));

        // A damaged companion is refused by its SHA-256 before anything changes.
        QByteArray damaged = stored;
        damaged[damaged.size() - 3] = char(damaged[damaged.size() - 3] ^ 0x01);
        {
            QFile f(companion);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(damaged);
        }
        const TestEnv::Run bad = ctl({QStringLiteral("restore"), QString::number(id), QStringLiteral("--target"),
                                      QStringLiteral("dst"), QStringLiteral("--target-db"), QStringLiteral("shop"),
                                      QStringLiteral("--create"), QStringLiteral("--keep-owner"),
                                      QStringLiteral("--create-missing-roles"), QStringLiteral("--identity"), key});
        QCOMPARE(bad.exitCode, 4);
        QVERIFY2(bad.err.contains("could not be read intact"), bad.err.constData());
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = 'shop'")),
                 QStringLiteral("0"));
        {
            QFile f(companion);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(stored);
        }

        const TestEnv::Run r = ctl({QStringLiteral("restore"), QString::number(id), QStringLiteral("--target"),
                                    QStringLiteral("dst"), QStringLiteral("--target-db"), QStringLiteral("shop"),
                                    QStringLiteral("--create"), QStringLiteral("--keep-owner"),
                                    QStringLiteral("--create-missing-roles"), QStringLiteral("--identity"), key});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(ownersAndGrants(*m_target, QStringLiteral("shop")),
                 ownersAndGrants(*m_source, QStringLiteral("shop")));
        QCOMPARE(memberships(*m_target), memberships(*m_source));
    }

    void productionServerNeedsTheNameTypedForNewRoles() {
        // A new database needs no typed confirmation, but roles are server-wide: on a production server creating them
        // does. Refused before anything changes, then done with --confirm.
        QVERIFY(m_backupId > 0);
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("dstprod"),
                      QStringLiteral("--conninfo"),
                      QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=postgres").arg(m_target->port()),
                      QStringLiteral("--production")})
                     .exitCode,
                 0);
        for (const QString &db : {QStringLiteral("shop"), QStringLiteral("shop2")})
            sql(*m_target, QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("DROP ROLE IF EXISTS reader; DROP ROLE IF EXISTS readers; DROP ROLE IF EXISTS "
                                    "\"Audit Team\"; DROP ROLE IF EXISTS app_owner")),
                 QString());
        const QStringList args{
            QStringLiteral("restore"),  QString::number(m_backupId),    QStringLiteral("--target"),
            QStringLiteral("dstprod"),  QStringLiteral("--target-db"),  QStringLiteral("fresh"),
            QStringLiteral("--create"), QStringLiteral("--keep-owner"), QStringLiteral("--create-missing-roles")};
        const TestEnv::Run refused = ctl(args);
        QCOMPARE(refused.exitCode, 6);
        QVERIFY2(refused.err.contains("production server needs --confirm fresh") ||
                     refused.out.contains("production server needs --confirm fresh"),
                 (refused.out + refused.err).constData());
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = 'app_owner'")),
                 QStringLiteral("0"));
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = 'fresh'")),
                 QStringLiteral("0"));
        const TestEnv::Run confirmed = ctl(args + QStringList{QStringLiteral("--confirm"), QStringLiteral("fresh")});
        QCOMPARE(confirmed.exitCode, 0);
        QCOMPARE(sql(*m_target, QStringLiteral("postgres"),
                     QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = 'app_owner'")),
                 QStringLiteral("1"));
    }

    void rolePasswordsOnlyInsideEncryptedBackups() {
        // Asked for without a recipient: refused, nothing saved (the hashes would be stored readable).
        const QString src = QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=shop").arg(m_source->port());
        const TestEnv::Run refused =
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("withpw"),
                 QStringLiteral("--conninfo"), src, QStringLiteral("--storage"), QStringLiteral("disk"),
                 QStringLiteral("--globals"), QStringLiteral("--globals-role-passwords")});
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("--recipient"), refused.err.constData());
        QVERIFY(!ctl({QStringLiteral("profile"), QStringLiteral("list")}).out.contains("withpw"));
        // With a recipient: the encrypted roles file holds the hashes, readable with the key only.
        const QString key = m_tmp.filePath(QStringLiteral("pw.key"));
        QCOMPARE(TestEnv::run(QStringLiteral("age-keygen"), {QStringLiteral("-o"), key}).exitCode, 0);
        QString recipient;
        for (const QByteArray &l : readAll(key).split('\n'))
            if (l.startsWith("# public key: "))
                recipient = QString::fromLatin1(l.mid(14)).trimmed();
        QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("withpw"),
                      QStringLiteral("--conninfo"), src, QStringLiteral("--storage"), QStringLiteral("disk"),
                      QStringLiteral("--globals"), QStringLiteral("--globals-role-passwords"),
                      QStringLiteral("--recipient"), recipient})
                     .exitCode,
                 0);
        const TestEnv::Run b = ctl({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("withpw")});
        QCOMPARE(b.exitCode, 0);
        const qint64 id = json(b).value(QStringLiteral("id")).toInteger();
        const QJsonObject g = json(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)}))
                                  .value(QStringLiteral("globals"))
                                  .toObject();
        const QString stored =
            QFileInfo(localCopy(id)).absoluteDir().filePath(g.value(QStringLiteral("file")).toString());
        QVERIFY2(stored.endsWith(QLatin1String(".age")), qPrintable(stored));
        QVERIFY(!readAll(stored).contains("SCRAM-SHA-256"));
        const auto plain =
            TestEnv::run(QStringLiteral("age"), {QStringLiteral("-d"), QStringLiteral("-i"), key, stored});
        QCOMPARE(plain.exitCode, 0);
        QVERIFY(plain.out.contains("SCRAM-SHA-256"));
    }

    void deletingABackupRemovesItsRolesFile() {
        const TestEnv::Run b = ctl({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("src")});
        QCOMPARE(b.exitCode, 0);
        const qint64 id = json(b).value(QStringLiteral("id")).toInteger();
        const QString artifact = localCopy(id);
        const QString name = json(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)}))
                                 .value(QStringLiteral("globals"))
                                 .toObject()
                                 .value(QStringLiteral("file"))
                                 .toString();
        const QString companion = QFileInfo(artifact).absoluteDir().filePath(name);
        QVERIFY(QFile::exists(companion));
        QCOMPARE(ctl({QStringLiteral("delete"), QString::number(id), QStringLiteral("--force")}).exitCode, 0);
        QVERIFY(!QFile::exists(artifact));
        QVERIFY2(!QFile::exists(companion), qPrintable(companion)); // left behind before: roles outliving the backup
    }

    void thePostgresTeamCatalogKeepsTheRolesFileToo() {
        // The same record on a PostgreSQL team catalog (a database on the source cluster): the column round-trips.
        QCOMPARE(sql(*m_source, QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE lbcatalog")), QString());
        const QStringList team{QStringLiteral("--catalog"),
                               QStringLiteral("postgresql://postgres@127.0.0.1:%1/lbcatalog").arg(m_source->port())};
        const TestEnv::Run b =
            ctl(team + QStringList{QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("src")});
        QCOMPARE(b.exitCode, 0);
        const qint64 id = json(b).value(QStringLiteral("id")).toInteger();
        const QJsonObject g =
            json(ctl(team + QStringList{QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)}))
                .value(QStringLiteral("globals"))
                .toObject();
        QVERIFY2(g.value(QStringLiteral("file")).toString().endsWith(QLatin1String(".globals.sql")),
                 qPrintable(QString::fromUtf8(QJsonDocument(g).toJson())));
        QCOMPARE(g.value(QStringLiteral("sha256")).toString().size(), 64);
        const TestEnv::Run r =
            ctl(team + QStringList{QStringLiteral("restore"), QString::number(id), QStringLiteral("--target"),
                                   QStringLiteral("dst"), QStringLiteral("--target-db"), QStringLiteral("shop_team"),
                                   QStringLiteral("--create"), QStringLiteral("--keep-owner"),
                                   QStringLiteral("--create-missing-roles"), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("Missing roles: none missing") || r.out.contains("none missing"), r.err.constData());
    }

    void anArchiveMoveTakesTheRolesFileAlong() {
        // Two monthly runs in the simulated future, then prune --archive-to: the older one moves to "cold" with its
        // roles file (the move removes the original's, so one left behind would be lost).
        const QString cold = m_tmp.filePath(QStringLiteral("cold"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("cold"),
                      QStringLiteral("--local"), cold})
                     .exitCode,
                 0);
        QCOMPARE(ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("monthly"),
                      QStringLiteral("--profile"), QStringLiteral("src"), QStringLiteral("--cron"),
                      QStringLiteral("0 3 1 * *"), QStringLiteral("--tz"), QStringLiteral("UTC")})
                     .exitCode,
                 0);
        const QDate first = QDate::currentDate().addMonths(1);
        QList<qint64> ids;
        QDateTime last;
        for (int m = 0; m < 2; ++m) {
            last = QDateTime(QDate(first.year(), first.month(), 1).addMonths(m), QTime(3, 0), QTimeZone::utc());
            const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("run-due"), QStringLiteral("--as-of"),
                                        last.addSecs(120).toString(Qt::ISODate), QStringLiteral("--no-prune")});
            QCOMPARE(r.exitCode, 0);
            const QJsonObject e = QJsonDocument::fromJson(r.out).array().first().toObject();
            QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));
            ids << e.value(QStringLiteral("recordId")).toInteger();
        }
        const TestEnv::Run p =
            ctl({QStringLiteral("prune"), QStringLiteral("--profile"), QStringLiteral("src"), QStringLiteral("--as-of"),
                 last.addDays(2).toString(Qt::ISODate), QStringLiteral("--keep-daily"), QStringLiteral("1"),
                 QStringLiteral("--keep-weekly"), QStringLiteral("0"), QStringLiteral("--keep-monthly"),
                 QStringLiteral("12"), QStringLiteral("--archive-to"), QStringLiteral("cold")});
        QCOMPARE(p.exitCode, 0);
        const QJsonObject shown =
            json(ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(ids.first())}));
        const QJsonArray locs = shown.value(QStringLiteral("locations")).toArray();
        QCOMPARE(locs.size(), 1);
        QCOMPARE(locs.first().toObject().value(QStringLiteral("storage")).toString(), QStringLiteral("cold"));
        const QString moved = locs.first().toObject().value(QStringLiteral("path")).toString();
        const QJsonObject g = shown.value(QStringLiteral("globals")).toObject();
        const QByteArray roles =
            readAll(QFileInfo(moved).absoluteDir().filePath(g.value(QStringLiteral("file")).toString()));
        QVERIFY2(roles.contains("CREATE ROLE app_owner;"), qPrintable(moved));
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(roles, QCryptographicHash::Sha256).toHex()),
                 g.value(QStringLiteral("sha256")).toString());
        // Restorable with its roles from the archive storage.
        const TestEnv::Run r =
            ctl({QStringLiteral("restore"), QString::number(ids.first()), QStringLiteral("--target"),
                 QStringLiteral("dst"), QStringLiteral("--target-db"), QStringLiteral("shop_cold"),
                 QStringLiteral("--create"), QStringLiteral("--create-missing-roles"), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
    }

    void aFailedRolesDumpFailsTheBackup() {
        // A tool directory with pg_dump but no pg_dumpall: the roles cannot be dumped, so the backup fails, recorded
        // FAILED with the reason, and no copy is left.
        const QString tools = m_tmp.filePath(QStringLiteral("tools"));
        QVERIFY(QDir().mkpath(tools));
        QVERIFY(QFile::link(m_source->binDir() + QStringLiteral("/pg_dump"), tools + QStringLiteral("/pg_dump")));
        const QString configPath = m_home + QStringLiteral("/config.json");
        QJsonObject config = QJsonDocument::fromJson(readAll(configPath)).object();
        QJsonObject options = config.value(QStringLiteral("options")).toObject();
        options[QStringLiteral("pgToolDir")] = tools;
        config[QStringLiteral("options")] = options;
        {
            QFile f(configPath);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QJsonDocument(config).toJson());
        }
        const TestEnv::Run r = ctl({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("src")});
        options.remove(QStringLiteral("pgToolDir"));
        config[QStringLiteral("options")] = options;
        {
            QFile f(configPath);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QJsonDocument(config).toJson());
        }
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("pg_dumpall"), r.err.constData());
        const QJsonArray list =
            QJsonDocument::fromJson(ctl({QStringLiteral("--json"), QStringLiteral("list")}).out).array();
        QJsonObject newest;
        for (const QJsonValue &v : list)
            if (v.toObject().value(QStringLiteral("id")).toInteger() > newest.value(QStringLiteral("id")).toInteger())
                newest = v.toObject();
        QCOMPARE(newest.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        QVERIFY2(newest.value(QStringLiteral("error")).toString().contains(QStringLiteral("pg_dumpall")),
                 qPrintable(newest.value(QStringLiteral("error")).toString()));
        QVERIFY(newest.value(QStringLiteral("locations")).toArray().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstGlobalsCli)
#include "tst_globals_cli.moc"
