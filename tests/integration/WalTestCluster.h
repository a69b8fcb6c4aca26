#pragma once

// A throwaway PostgreSQL cluster for the WAL tests, separate from the shared pg fixture (whose settings other tests
// rely on): archive_mode/archive_command and a replication line in pg_hba are set here. As root it runs as the
// postgres user, like the fixture; then everything that cluster runs (archive_command's lifeboatctl) and every file
// it must reach (the Lifeboat home, local storage) belongs to postgres too — `owned()` and `asOwner()`.
#include "TestEnv.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QThread>

#include <unistd.h>

class WalTestCluster {
public:
    explicit WalTestCluster(QString base)
        : m_base(std::move(base)) {}
    ~WalTestCluster() { stop(); }

    static bool isRoot() { return ::geteuid() == 0; }
    static QString pgBinDir() {
        QString best;
        for (const QString &v :
             QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            if (QFile::exists(QStringLiteral("/usr/lib/postgresql/%1/bin/initdb").arg(v)) &&
                (best.isEmpty() || v.toInt() > best.toInt()))
                best = v;
        return QStringLiteral("/usr/lib/postgresql/%1/bin").arg(best);
    }
    // program args, as the cluster's owner.
    static TestEnv::Run asOwner(const QString &program, const QStringList &args,
                                const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                                int timeoutMs = 300000) {
        if (!isRoot())
            return TestEnv::run(program, args, {}, env, timeoutMs);
        return TestEnv::run(
            QStringLiteral("runuser"),
            QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} + args, {},
            env, timeoutMs);
    }
    // A directory the owner may use (created, world-traversable parents, chowned).
    static bool owned(const QString &dir) {
        if (!QDir().mkpath(dir))
            return false;
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                       QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                       QFileDevice::ExeOther);
        if (!isRoot())
            return true;
        return TestEnv::run(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("postgres:"), dir})
                   .exitCode == 0;
    }
    static int freePort() {
        QTcpServer s;
        s.listen(QHostAddress::LocalHost, 0);
        return s.serverPort();
    }

    // initdb + start; extraConf lines go into postgresql.conf. env: the server's (archive_command inherits it).
    bool start(const QStringList &extraConf, const QProcessEnvironment &env, QString *why) {
        m_bin = pgBinDir();
        m_port = freePort();
        if (!owned(m_base)) {
            *why = QStringLiteral("cannot prepare ") + m_base;
            return false;
        }
        auto r = asOwner(m_bin + QStringLiteral("/initdb"),
                         {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), QStringLiteral("postgres"),
                          QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                          QStringLiteral("--locale=C.UTF-8")});
        if (r.exitCode != 0) {
            *why = QString::fromUtf8(r.err + r.out);
            return false;
        }
        QFile hba(dataDir() + QStringLiteral("/pg_hba.conf"));
        QFile conf(dataDir() + QStringLiteral("/postgresql.conf"));
        if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate) || !conf.open(QIODevice::Append)) {
            *why = QStringLiteral("cannot write the cluster's configuration");
            return false;
        }
        hba.write("local all all trust\nhost all all 127.0.0.1/32 trust\nlocal replication all trust\n"
                  "host replication all 127.0.0.1/32 trust\n");
        QStringList lines{QStringLiteral("port = %1").arg(m_port),
                          QStringLiteral("listen_addresses = '127.0.0.1'"),
                          QStringLiteral("unix_socket_directories = '%1'").arg(m_base),
                          QStringLiteral("fsync = off"),
                          QStringLiteral("wal_level = replica"),
                          QStringLiteral("max_wal_senders = 5"),
                          QStringLiteral("wal_keep_size = '512MB'")};
        lines += extraConf;
        conf.write('\n' + lines.join(QLatin1Char('\n')).toUtf8() + '\n');
        hba.close();
        conf.close();
        r = asOwner(m_bin + QStringLiteral("/pg_ctl"),
                    {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), m_base + QStringLiteral("/server.log"),
                     QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("start")},
                    env);
        if (r.exitCode != 0) {
            *why = QString::fromUtf8(r.err + r.out) + serverLog();
            return false;
        }
        m_running = true;
        return true;
    }
    void stop() {
        if (!m_running)
            return;
        asOwner(m_bin + QStringLiteral("/pg_ctl"),
                {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
                 QStringLiteral("stop")});
        m_running = false;
    }
    QString sql(const QString &statement) const {
        const auto r = TestEnv::run(
            m_bin + QStringLiteral("/psql"),
            {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"),
             QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
             QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-d"), QStringLiteral("postgres"),
             QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"), statement});
        return QString::fromUtf8(r.exitCode == 0 ? r.out : "ERROR: " + r.err).trimmed();
    }
    QString serverLog() const {
        QFile f(m_base + QStringLiteral("/server.log"));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }
    QString dataDir() const { return m_base + QStringLiteral("/data"); }
    QString binDir() const { return m_bin; }
    int port() const { return m_port; }
    QString conninfo() const {
        return QStringLiteral("host=127.0.0.1 port=%1 user=postgres dbname=postgres").arg(m_port);
    }

private:
    QString m_base;
    QString m_bin;
    int m_port = 0;
    bool m_running = false;
};
