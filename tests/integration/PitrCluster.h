#pragma once

// The throwaway source cluster tst_pitr_cli works on: initdb'd (owned by postgres when the test runs as root) with
// archive_mode on and an archive_command copying each finished segment into a spool that `lifeboatctl wal push`
// sends to a local storage and the S3 fixture; profiles "src", "norep" (no REPLICATION) and "nohba" (no
// replication line in pg_hba.conf); and the helpers to run SQL, push WAL and recover.
#include "TestEnv.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <unistd.h>

class PitrCluster {
protected:
    QTemporaryDir m_tmp;
    QString m_base; // 0755, so the postgres user (tests run as root) can enter it
    QString m_home;
    QString m_bin;
    QString m_data;
    QString m_archive;
    int m_port = 0;
    QStringList m_pushed;
    QStringList m_running; // data directories of recovered servers left running
    QProcessEnvironment m_env;
    QDateTime m_between;
    qint64 m_firstBase = 0;
    QString m_firstBaseFile;
    QString m_firstBaseStop;
    QString m_identity;
    QString m_s3secret;

    static bool root() { return ::geteuid() == 0; }
    QStringList asOwner(const QString &program, const QStringList &args) const {
        return root() ? QStringList{QStringLiteral("runuser"), QStringLiteral("-u"), QStringLiteral("postgres"),
                                    QStringLiteral("--"), program} +
                            args
                      : QStringList{program} + args;
    }
    TestEnv::Run owner(const QString &tool, const QStringList &args) const {
        const QStringList full = asOwner(m_bin + QLatin1Char('/') + tool, args);
        return TestEnv::run(full.first(), full.mid(1));
    }
    static int freePort() {
        QTcpServer s;
        s.listen(QHostAddress::LocalHost, 0);
        return s.serverPort();
    }
    TestEnv::Run ctl(const QStringList &args) {
        const TestEnv::Run r = TestEnv::ctl(m_home, args, {}, m_env);
        if (r.exitCode != 0)
            qInfo("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return r;
    }
    QString sql(int port, const QString &statement, const QString &user = QStringLiteral("postgres")) {
        const TestEnv::Run r = TestEnv::run(
            m_bin + QStringLiteral("/psql"),
            {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"),
             QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
             QStringLiteral("-p"), QString::number(port), QStringLiteral("-U"), user, QStringLiteral("-d"),
             QStringLiteral("postgres"), QStringLiteral("-c"), statement});
        if (r.exitCode != 0)
            qWarning("psql: %s", r.err.constData());
        return QString::fromUtf8(r.out).trimmed();
    }
    static QJsonObject json(const TestEnv::Run &r) { return QJsonDocument::fromJson(r.out).object(); }
    // Waits until archive_command (cp, which writes in place) copied the whole segment.
    bool archived(const QString &seg) const {
        const QString path = m_archive + QLatin1Char('/') + seg;
        for (int i = 0; i < 300 && QFileInfo(path).size() < 16 * 1024 * 1024; ++i)
            QThread::msleep(100);
        return QFileInfo(path).size() == 16 * 1024 * 1024;
    }
    // Ends the current segment and waits until archive_command copied it, then pushes every new archived file.
    bool switchAndPush(const QStringList &skip = {}) {
        const QString seg = sql(m_port, QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"));
        if (!archived(seg))
            return false;
        return pushArchived(skip);
    }
    bool pushArchived(const QStringList &skip = {}) {
        QStringList files = QDir(m_archive).entryList(QDir::Files, QDir::Name);
        for (const QString &f : files) {
            if (m_pushed.contains(f) || skip.contains(f))
                continue;
            const TestEnv::Run r = ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("src"),
                                        m_archive + QLatin1Char('/') + f});
            if (r.exitCode != 0)
                return false;
            m_pushed << f;
        }
        return true;
    }
    QString dir(const QString &name) const { return m_base + QLatin1Char('/') + name; }
    void stopServer(const QString &dataDir) {
        owner(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), dataDir, QStringLiteral("-m"), QStringLiteral("fast"),
                                         QStringLiteral("-w"), QStringLiteral("stop")});
        m_running.removeAll(dataDir);
    }
    // recover … --start, then the rows of t on the recovered server, then a clean stop.
    QString recoveredRows(const QStringList &target, const QString &name, QJsonObject *out = nullptr,
                          const QStringList &extra = {}) {
        const int port = freePort();
        const QString data = dir(name);
        const TestEnv::Run r =
            ctl(QStringList{QStringLiteral("--json"), QStringLiteral("recover"), QStringLiteral("src")} + target +
                QStringList{QStringLiteral("--data-dir"), data, QStringLiteral("--port"), QString::number(port),
                            QStringLiteral("--start")} +
                extra);
        if (out)
            *out = json(r);
        if (r.exitCode != 0)
            return QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err));
        m_running << data;
        const QString rows = sql(port, QStringLiteral("SELECT count(*) || ':' || coalesce(max(id), 0) FROM t"));
        stopServer(data);
        return rows;
    }

    // Starts the source cluster, adds the storages and profiles and pushes the first segment.
    void setUpCluster() {
        QVERIFY(m_tmp.isValid());
        m_base = m_tmp.filePath(QStringLiteral("pitr"));
        QVERIFY(QDir().mkpath(m_base));
        QVERIFY(QFile::setPermissions(m_tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                        QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                                                        QFileDevice::ExeOther | QFileDevice::ReadGroup |
                                                        QFileDevice::ReadOther));
        const auto s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!s3.isEmpty(), "the s3 fixture is not running");
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), s3.value(QStringLiteral("S3_ACCESS_KEY")));
        m_env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), s3.value(QStringLiteral("S3_SECRET_KEY")));
        m_s3secret = s3.value(QStringLiteral("S3_SECRET_KEY"));
        for (const QString &d :
             QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            if (QFile::exists(QStringLiteral("/usr/lib/postgresql/%1/bin/initdb").arg(d)))
                m_bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(d);
        QVERIFY2(!m_bin.isEmpty(), "no PostgreSQL server binaries");

        // The source cluster, owned by postgres when the test runs as root.
        m_data = dir(QStringLiteral("source"));
        m_archive = dir(QStringLiteral("archive"));
        QVERIFY(QDir().mkpath(m_archive));
        if (root()) {
            QCOMPARE(TestEnv::run(QStringLiteral("chown"), {QStringLiteral("postgres:"), m_base, m_archive}).exitCode,
                     0);
        }
        const TestEnv::Run init = owner(QStringLiteral("initdb"),
                                        {QStringLiteral("-D"), m_data, QStringLiteral("-U"), QStringLiteral("postgres"),
                                         QStringLiteral("-A"), QStringLiteral("trust")});
        QVERIFY2(init.exitCode == 0, init.err.constData());
        // postgres may replicate from 127.0.0.1; "nohba" has the REPLICATION attribute but no replication line.
        QFile hba(m_data + QStringLiteral("/pg_hba.conf"));
        QVERIFY(hba.open(QIODevice::WriteOnly | QIODevice::Truncate));
        hba.write("local all all trust\nhost all all 127.0.0.1/32 trust\n"
                  "host replication postgres 127.0.0.1/32 trust\nhost replication norep 127.0.0.1/32 trust\n");
        hba.close();
        m_port = freePort();
        QFile conf(m_data + QStringLiteral("/postgresql.auto.conf"));
        QVERIFY(conf.open(QIODevice::Append));
        conf.write(QStringLiteral("port = %1\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%2'\n"
                                  "archive_mode = on\narchive_command = 'cp %p %3/%f'\nfsync = off\n")
                       .arg(m_port)
                       .arg(m_base, m_archive)
                       .toUtf8());
        conf.close();
        if (root())
            TestEnv::run(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("postgres:"), m_data});
        const TestEnv::Run start = owner(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_data, QStringLiteral("-l"),
                                                                    dir(QStringLiteral("source.log")),
                                                                    QStringLiteral("-w"), QStringLiteral("start")});
        QVERIFY2(start.exitCode == 0, start.err.constData());
        m_running << m_data;
        sql(m_port, QStringLiteral("CREATE ROLE norep LOGIN; CREATE ROLE nohba LOGIN REPLICATION;"
                                   "CREATE TABLE t (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())"));

        m_home = m_tmp.filePath(QStringLiteral("home"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), dir(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
                 QStringLiteral("pitr-%1").arg(QRandomGenerator::global()->bounded(1000000))})
                .exitCode,
            0);
        const QString conninfo = QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=").arg(m_port);
        for (const QString &user : {QStringLiteral("postgres"), QStringLiteral("norep"), QStringLiteral("nohba")}) {
            QCOMPARE(ctl({QStringLiteral("profile"), QStringLiteral("add"),
                          user == QLatin1String("postgres") ? QStringLiteral("src") : user,
                          QStringLiteral("--conninfo"), conninfo + user, QStringLiteral("--storage"),
                          QStringLiteral("disk"), QStringLiteral("--storage"), QStringLiteral("bucket")})
                         .exitCode,
                     0);
        }
        QVERIFY(switchAndPush());
    }

    // Stops the source and every recovered server still running.
    void stopAll() {
        for (const QString &d : QStringList(m_running))
            owner(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), d, QStringLiteral("-m"), QStringLiteral("immediate"),
                                             QStringLiteral("-w"), QStringLiteral("stop")});
    }
};
