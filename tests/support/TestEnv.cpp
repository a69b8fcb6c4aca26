#include "TestEnv.h"

#include <QDir>
#include <QFile>
#include <QProcess>

QHash<QString, QString> TestEnv::fixture(const QString &name) {
    QHash<QString, QString> values;
    QFile f(qEnvironmentVariable("LIFEBOAT_FIXTURE_DIR") + QLatin1Char('/') + name + QStringLiteral(".env"));
    if (!f.open(QIODevice::ReadOnly))
        return values;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const int eq = line.indexOf('=');
        if (eq > 0)
            values.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
    }
    return values;
}

QString TestEnv::fixtureValue(const QString &name, const QString &key) {
    return fixture(name).value(key);
}

QString TestEnv::testDataDir() {
    return qEnvironmentVariable("LIFEBOAT_TESTDATA_DIR");
}
QString TestEnv::sourceDir() {
    return qEnvironmentVariable("LIFEBOAT_SOURCE_DIR");
}
QString TestEnv::lifeboatctl() {
    return qEnvironmentVariable("LIFEBOAT_CTL");
}

QString TestEnv::pgConninfo(const QString &db, bool superuser) {
    const auto pg = fixture(QStringLiteral("pg"));
    return QStringLiteral("host=%1 port=%2 user=%3 dbname=%4 connect_timeout=10")
        .arg(pg.value(QStringLiteral("PG_HOST")), pg.value(QStringLiteral("PG_PORT")),
             pg.value(superuser ? QStringLiteral("PG_SUPERUSER") : QStringLiteral("PG_USER")), db);
}

QString TestEnv::pgBin(const QString &tool) {
    return fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_BIN")) + QLatin1Char('/') + tool;
}

TestEnv::Run TestEnv::run(const QString &program, const QStringList &args, const QByteArray &stdinData,
                          const QProcessEnvironment &env, int timeoutMs) {
    Run r;
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForStarted(30000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

TestEnv::Run TestEnv::ctl(const QString &home, const QStringList &args, const QByteArray &stdinData,
                          const QProcessEnvironment &env, int timeoutMs) {
    QStringList full{QStringLiteral("--home"), home};
    full += args;
    return run(lifeboatctl(), full, stdinData, env, timeoutMs);
}

QString TestEnv::psql(const QString &db, const QString &sql) {
    const auto pg = fixture(QStringLiteral("pg"));
    const Run r = run(pgBin(QStringLiteral("psql")),
                      {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"),
                       QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"), pgConninfo(db),
                       QStringLiteral("-c"), sql});
    if (r.exitCode != 0)
        qWarning("psql failed: %s", r.err.constData());
    return QString::fromUtf8(r.out).trimmed();
}
