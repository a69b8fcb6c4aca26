#pragma once

#include <QHash>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

// Reads what fixtures published and runs lifeboatctl the way a user would.
class TestEnv {
public:
    // Values from FIXTURE_DIR/<name>.env; empty when the fixture is not running (the test then fails loudly).
    static QHash<QString, QString> fixture(const QString &name);
    static QString fixtureValue(const QString &name, const QString &key);

    static QString testDataDir(); // ../shared/testdata
    static QString sourceDir();
    static QString lifeboatctl();

    // libpq conninfo for the pg fixture; superuser (trust) or the SCRAM password user (password not included).
    static QString pgConninfo(const QString &db, bool superuser = true);
    static QString pgBin(const QString &tool);

    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    // Runs a program to completion with optional stdin and extra environment.
    static Run run(const QString &program, const QStringList &args, const QByteArray &stdinData = {},
                   const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 300000);
    static Run ctl(const QString &home, const QStringList &args, const QByteArray &stdinData = {},
                   const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 300000);
    // Runs SQL as the fixture superuser through psql; returns stdout (unaligned, tuples only).
    static QString psql(const QString &db, const QString &sql);
};
