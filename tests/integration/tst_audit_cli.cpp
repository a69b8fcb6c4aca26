// The audit trail from the command line (issue 18, part 3): a backup, a restore, a verification, a delete, a
// profile change and a schedule, each one row with the OS user, host and program "cli", read back with `audit`
// and its filters; a failed backup is a row too. The SQLite catalog refuses UPDATE and DELETE of a row (the
// migration's triggers), so not even a tool with the file can quietly rewrite history.
#include "TestEnv.h"

#include "catalog/SqlCatalog.h"
#include "core/Home.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

using namespace lifeboat;

class TstAuditCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_db;
    QString m_copy;
    QString m_user;

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args); }
    QList<QJsonObject> audit(const QStringList &filters = {}) {
        const auto r = ctl(QStringList{QStringLiteral("--json"), QStringLiteral("audit")} + filters);
        if (r.exitCode != 0)
            qWarning("audit: %s", r.err.constData());
        QList<QJsonObject> out;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array())
            out << v.toObject();
        return out;
    }
    static QJsonObject find(const QList<QJsonObject> &rows, const QString &action, qint64 backupId = -1) {
        for (const QJsonObject &o : rows)
            if (o.value(QStringLiteral("action")).toString() == action &&
                (backupId < 0 || o.value(QStringLiteral("backupId")).toInteger() == backupId))
                return o;
        return {};
    }
    void checkWho(const QJsonObject &row) {
        QCOMPARE(row.value(QStringLiteral("user")).toString(), m_user);
        QCOMPARE(row.value(QStringLiteral("host")).toString(), QSysInfo::machineHostName());
        QCOMPARE(row.value(QStringLiteral("program")).toString(), QStringLiteral("cli"));
        QVERIFY(QDateTime::fromString(row.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs).isValid());
    }

private slots:
    void initTestCase() {
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture must be running");
        m_user = QString::fromLocal8Bit(getpwuid(geteuid())->pw_name);
        const int n = QRandomGenerator::global()->bounded(1000000);
        m_db = QStringLiteral("lb_audit_%1").arg(n);
        m_copy = QStringLiteral("lb_audit_copy_%1").arg(n);
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE t AS SELECT g FROM generate_series(1, 100) g"));
        m_home = m_tmp.filePath(QStringLiteral("home"));
        for (const QStringList &args :
             QList<QStringList>{{QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                                 QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("store"))},
                                {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"),
                                 QStringLiteral("--conninfo"), TestEnv::pgConninfo(m_db), QStringLiteral("--storage"),
                                 QStringLiteral("disk")}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
    }
    void cleanupTestCase() {
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_db));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_copy));
    }

    void everyActionIsARowWithItsUser() {
        auto r = ctl({QStringLiteral("backup"), QStringLiteral("shop")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto list = ctl(
            {QStringLiteral("--json"), QStringLiteral("list"), QStringLiteral("--profile"), QStringLiteral("shop")});
        const qint64 id =
            QJsonDocument::fromJson(list.out).array().first().toObject().value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);
        r = ctl({QStringLiteral("restore"), QString::number(id), QStringLiteral("--target"), QStringLiteral("shop"),
                 QStringLiteral("--target-db"), m_copy, QStringLiteral("--create")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("verify"), QString::number(id)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--conninfo"),
                 TestEnv::pgConninfo(m_db) + QStringLiteral(" connect_timeout=5"), QStringLiteral("--storage"),
                 QStringLiteral("disk")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("nightly"),
                 QStringLiteral("--profile"), QStringLiteral("shop")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("delete"), QString::number(id), QStringLiteral("--force")});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        const QList<QJsonObject> rows = audit();
        const QJsonObject backup = find(rows, QStringLiteral("backup"), id);
        QVERIFY2(!backup.isEmpty(), ctl({QStringLiteral("audit")}).out.constData());
        checkWho(backup);
        QCOMPARE(backup.value(QStringLiteral("target")).toString(), QStringLiteral("shop"));
        QCOMPARE(backup.value(QStringLiteral("outcome")).toString(), QStringLiteral("completed"));
        const QJsonObject restore = find(rows, QStringLiteral("restore"), id);
        QVERIFY(!restore.isEmpty());
        checkWho(restore);
        QCOMPARE(restore.value(QStringLiteral("outcome")).toString(), QStringLiteral("completed"));
        const QJsonObject verify = find(rows, QStringLiteral("verify"), id);
        QVERIFY(!verify.isEmpty());
        QCOMPARE(verify.value(QStringLiteral("outcome")).toString(), QStringLiteral("completed"));
        const QJsonObject change = find(rows, QStringLiteral("profile.change"));
        QVERIFY(!change.isEmpty());
        checkWho(change);
        QCOMPARE(change.value(QStringLiteral("target")).toString(), QStringLiteral("shop"));
        QCOMPARE(change.value(QStringLiteral("detail")).toString(), QStringLiteral("changed: conninfo"));
        QVERIFY(!find(rows, QStringLiteral("profile.add")).isEmpty());
        QVERIFY(!find(rows, QStringLiteral("storage.add")).isEmpty());
        QVERIFY(!find(rows, QStringLiteral("schedule.add")).isEmpty());
        const QJsonObject del = find(rows, QStringLiteral("delete"), id);
        QVERIFY(!del.isEmpty());
        checkWho(del);
        // Newest first: the delete is the last thing done.
        QCOMPARE(rows.first().value(QStringLiteral("action")).toString(), QStringLiteral("delete"));

        // Filters.
        for (const QJsonObject &o : audit({QStringLiteral("--action"), QStringLiteral("profile")}))
            QVERIFY(o.value(QStringLiteral("action")).toString().startsWith(QLatin1String("profile.")));
        QCOMPARE(audit({QStringLiteral("--action"), QStringLiteral("profile")}).size(), 2);
        QCOMPARE(audit({QStringLiteral("--user"), m_user}).size(), rows.size());
        QCOMPARE(audit({QStringLiteral("--user"), QStringLiteral("nobody-else")}).size(), 0);
        QCOMPARE(
            audit({QStringLiteral("--since"), QDateTime::currentDateTimeUtc().addDays(1).toString(Qt::ISODate)}).size(),
            0);
        QCOMPARE(ctl({QStringLiteral("audit"), QStringLiteral("--since"), QStringLiteral("yesterday")}).exitCode, 3);
        // No secret and no conninfo value in the trail.
        const QByteArray text = ctl({QStringLiteral("audit")}).out;
        QVERIFY2(!text.contains("connect_timeout"), text.constData());
    }

    void aFailedBackupIsARow() {
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("gone"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=1 dbname=x"), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
        QVERIFY(ctl({QStringLiteral("backup"), QStringLiteral("gone")}).exitCode != 0);
        const QJsonObject row =
            find(audit({QStringLiteral("--action"), QStringLiteral("backup")}), QStringLiteral("backup"));
        QCOMPARE(row.value(QStringLiteral("target")).toString(), QStringLiteral("gone"));
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"));
        QVERIFY(row.value(QStringLiteral("detail")).toString().contains(QStringLiteral("cannot connect")));
    }

    void rowsCannotBeChangedOrDeleted() {
        QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("audit-tamper"));
        d.setDatabaseName(Home::catalogPath(m_home));
        QVERIFY(d.open());
        {
            QSqlQuery q(d);
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_log")) && q.next());
            const int before = q.value(0).toInt();
            QVERIFY(before > 5);
            QVERIFY(!q.exec(QStringLiteral("UPDATE audit_log SET os_user = 'someone'")));
            QVERIFY2(q.lastError().text().contains(QStringLiteral("append-only")), qPrintable(q.lastError().text()));
            QVERIFY(!q.exec(QStringLiteral("DELETE FROM audit_log")));
            QVERIFY2(q.lastError().text().contains(QStringLiteral("append-only")), qPrintable(q.lastError().text()));
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE os_user = 'someone'")) && q.next());
            QCOMPARE(q.value(0).toInt(), 0);
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_log")) && q.next());
            QCOMPARE(q.value(0).toInt(), before);
        }
        d.close();
        d = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("audit-tamper"));
    }
};

QTEST_GUILESS_MAIN(TstAuditCli)
#include "tst_audit_cli.moc"
