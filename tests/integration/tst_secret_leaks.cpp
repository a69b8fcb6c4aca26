// No secret leaks (issue 5): a database password (SCRAM user, given through --secret-env) and an S3 secret (AWS
// environment) go through a whole backup → S3 → restore → verify cycle. While each command runs, no process it
// starts may carry either secret in /proc/PID/cmdline or environ; afterwards no output, log, catalog, settings file,
// manifest or report may contain them.
#include "TestEnv.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

namespace {
QByteArray slurp(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QHash<qint64, qint64> parents() {
    QHash<qint64, qint64> out;
    for (const QString &e : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool ok = false;
        const qint64 pid = e.toLongLong(&ok);
        if (!ok)
            continue;
        QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray s = f.readAll();
        const QList<QByteArray> rest = s.mid(s.lastIndexOf(')') + 2).split(' ');
        if (rest.size() > 1)
            out.insert(pid, rest.at(1).toLongLong());
    }
    return out;
}

QList<qint64> descendants(qint64 root) {
    const auto p = parents();
    QList<qint64> out, frontier{root};
    while (!frontier.isEmpty()) {
        const qint64 cur = frontier.takeFirst();
        for (auto it = p.begin(); it != p.end(); ++it)
            if (it.value() == cur) {
                out << it.key();
                frontier << it.key();
            }
    }
    return out;
}

} // namespace

class TstSecretLeaks : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QByteArray m_dbPassword;
    const QByteArray m_s3Secret = "S3RVER"; // the fixture's fixed secret (and key id: neither may appear)
    QHash<QString, QString> m_pg, m_s3;
    QByteArray m_allOutput;
    QStringList m_childrenSeen;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(m_s3Secret));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(m_s3Secret));
        e.insert(QStringLiteral("LB_DBPW"), QString::fromUtf8(m_dbPassword));
        return e;
    }

    // Runs lifeboatctl, inspecting every descendant while it runs. Returns stdout.
    QByteArray watched(const QStringList &args, int expectExit = 0) {
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(TestEnv::lifeboatctl(), QStringList{QStringLiteral("--home"), m_home} + args);
        if (!p.waitForStarted())
            return {};
        QByteArray out, err;
        const QString lifeboatctl = QFileInfo(TestEnv::lifeboatctl()).canonicalFilePath();
        while (p.state() != QProcess::NotRunning) {
            for (qint64 pid : descendants(p.processId())) {
                // Between fork() and exec() a child is still a copy of lifeboatctl (its image, its environment,
                // which holds the secret on purpose: that is how --secret-env works). Judge it once it has become
                // the program it runs.
                if (QFileInfo(QStringLiteral("/proc/%1/exe").arg(pid)).canonicalFilePath() == lifeboatctl)
                    continue;
                const QByteArray cmdline = slurp(QStringLiteral("/proc/%1/cmdline").arg(pid));
                const QByteArray environ = slurp(QStringLiteral("/proc/%1/environ").arg(pid));
                if (cmdline.isEmpty())
                    continue;
                const QString comm = QString::fromUtf8(slurp(QStringLiteral("/proc/%1/comm").arg(pid))).trimmed();
                if (!m_childrenSeen.contains(comm))
                    m_childrenSeen << comm;
                if (cmdline.contains(m_dbPassword) || environ.contains(m_dbPassword))
                    qFatal("the database password reached %s (pid %lld)", qPrintable(comm), pid);
                if (cmdline.contains(m_s3Secret) || environ.contains(m_s3Secret))
                    qFatal("the S3 secret reached %s (pid %lld)", qPrintable(comm), pid);
            }
            p.waitForFinished(2);
            out += p.readAllStandardOutput();
            err += p.readAllStandardError();
        }
        out += p.readAllStandardOutput();
        err += p.readAllStandardError();
        m_allOutput += out + err;
        if (p.exitCode() != expectExit)
            qWarning("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), p.exitCode(),
                     err.constData());
        [&] { QCOMPARE(p.exitCode(), expectExit); }();
        return out;
    }

private slots:
    void fullCycleLeaksNothing() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY(!m_pg.isEmpty() && !m_s3.isEmpty());
        m_dbPassword = m_pg.value(QStringLiteral("PG_PASSWORD")).toUtf8();
        m_home = m_tmp.filePath(QStringLiteral("home"));
        const QString db = QStringLiteral("lb_leak_%1").arg(QRandomGenerator::global()->bounded(1000000));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1 OWNER lifeboat_user").arg(db));
        TestEnv::psql(db, QStringLiteral("SET ROLE lifeboat_user; CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v "
                                         "FROM generate_series(1, 300000) g"));
        const QString conn = QStringLiteral("host=%1 port=%2 user=lifeboat_user dbname=%3")
                                 .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), db);
        const QString prefix = QStringLiteral("leaks-%1").arg(QRandomGenerator::global()->bounded(1000000));

        watched({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("b"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
                 m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
                 prefix});
        watched({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"), QStringLiteral("--conninfo"),
                 conn, QStringLiteral("--storage"), QStringLiteral("b")});
        const QJsonObject backup =
            QJsonDocument::fromJson(
                watched({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("p"),
                         QStringLiteral("--secret-env"), QStringLiteral("LB_DBPW"), QStringLiteral("--verbose")}))
                .object();
        const QString id = QString::number(backup.value(QStringLiteral("id")).toInteger());
        QVERIFY(id != QLatin1String("0"));

        watched({QStringLiteral("restore"), id, QStringLiteral("--target"), QStringLiteral("p"),
                 QStringLiteral("--target-db"), db + QStringLiteral("_restored"), QStringLiteral("--create"),
                 QStringLiteral("--secret-env"), QStringLiteral("LB_DBPW"), QStringLiteral("--verbose")});
        QCOMPARE(TestEnv::psql(db + QStringLiteral("_restored"), QStringLiteral("SELECT count(*) FROM t")),
                 QStringLiteral("300000"));

        const QString jsonReport = m_tmp.filePath(QStringLiteral("report.json"));
        const QString htmlReport = m_tmp.filePath(QStringLiteral("report.html"));
        watched({QStringLiteral("verify"), id, QStringLiteral("--target"), QStringLiteral("p"),
                 QStringLiteral("--secret-env"), QStringLiteral("LB_DBPW"), QStringLiteral("--report"), jsonReport});
        watched({QStringLiteral("verify"), id, QStringLiteral("--target"), QStringLiteral("p"),
                 QStringLiteral("--secret-env"), QStringLiteral("LB_DBPW"), QStringLiteral("--report"), htmlReport});
        watched({QStringLiteral("--json"), QStringLiteral("show"), id});

        // The watch saw real children, so the checks above inspected something.
        QVERIFY2(m_childrenSeen.contains(QStringLiteral("pg_dump")), qPrintable(m_childrenSeen.join(QLatin1Char(','))));
        QVERIFY2(m_childrenSeen.contains(QStringLiteral("pg_restore")),
                 qPrintable(m_childrenSeen.join(QLatin1Char(','))));

        // Everything written: outputs and logs, home (settings, catalog, WAL), reports, the bucket's objects.
        QStringList files{jsonReport, htmlReport};
        for (const QString &root : {m_home, m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') +
                                                m_s3.value(QStringLiteral("S3_BUCKET")) + QLatin1Char('/') + prefix}) {
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext())
                files << it.next();
        }
        QVERIFY(files.size() > 4);
        QVERIFY(QFile::exists(jsonReport) && QFile::exists(htmlReport));
        for (const QString &f : files) {
            if (f.contains(QStringLiteral("_S3rver_object")) && !f.contains(QStringLiteral("manifest")))
                continue; // the backup itself: its data is the database's, not ours to police
            const QByteArray content = slurp(f);
            QVERIFY2(!content.contains(m_dbPassword), qPrintable(QStringLiteral("database password in %1").arg(f)));
            QVERIFY2(!content.contains(m_s3Secret), qPrintable(QStringLiteral("S3 secret in %1").arg(f)));
        }
        QVERIFY2(!m_allOutput.contains(m_dbPassword), "database password in lifeboatctl's output");
        QVERIFY2(!m_allOutput.contains(m_s3Secret), "S3 secret in lifeboatctl's output");
        QVERIFY(m_allOutput.contains("pg_dump: dumping contents of table")); // the logs were really captured

        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1_restored").arg(db));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
    }
};

QTEST_GUILESS_MAIN(TstSecretLeaks)
#include "tst_secret_leaks.moc"
