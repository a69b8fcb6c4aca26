#pragma once

// What the lifeboatctl restore tests share (tst_restore, tst_restore_targets): a home with a local storage, the
// source database filled from tests/data/restore/fidelity.sql with a profile "src" on it, and the tools to compare a
// restored database with it.
#include "TestEnv.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

class RestoreFixture {
protected:
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

    // The source database, the storage and profile "src", and one backup of it (m_backupId, m_artifact).
    void setUpSource() {
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
};
