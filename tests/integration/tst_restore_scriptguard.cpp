// Issue #14 follow-up: the psql meta-command guard for plain SQL restores fails closed. A psql without \restrict
// is refused; the whole script is scanned before the target is touched; constructs where Lifeboat's filter and psql
// could read a line differently (NUL bytes, COPY heads not alone on their line, standard_conforming_strings changes
// mid-line, client-only encodings, over-long COPY heads) are refused. Real PostgreSQL fixture, real psql, driven
// through lifeboatctl.
#include "TestEnv.h"

#include "restore/RestoreEngine.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestRestoreScriptGuard : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_home;
    int m_counter = 0;

    QString newDb(const QString &what) {
        return QStringLiteral("sg_%1_%2_%3").arg(what).arg(QCoreApplication::applicationPid()).arg(++m_counter);
    }
    QString marker() const { return m_tmp.filePath(QStringLiteral("marker")); }
    QString writeScript(const QString &name, QByteArray text) {
        text.replace("MARKER", QFile::encodeName(marker()));
        const QString path = m_tmp.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size())
            return {};
        return path;
    }
    bool dbExists(const QString &db) {
        return TestEnv::psql(QStringLiteral("postgres"),
                             QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(db)) ==
               QLatin1String("1");
    }
    TestEnv::Run restoreInto(const QString &file, const QString &db) {
        const TestEnv::Run r =
            TestEnv::ctl(m_home, {QStringLiteral("restore"), file, QStringLiteral("--target"),
                                  TestEnv::pgConninfo(QStringLiteral("postgres")), QStringLiteral("--target-db"), db,
                                  QStringLiteral("--confirm"), db});
        if (r.exitCode != 0)
            qInfo("restore -> %d\n%s", r.exitCode, r.err.constData());
        return r;
    }
    QString existingDb(const QString &what) {
        const QString db = newDb(what);
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(db));
        return db;
    }
    QString tables(const QString &db) {
        return TestEnv::psql(db, QStringLiteral("SELECT count(*) FROM pg_class WHERE relname LIKE 'sg\\_%'"));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(!TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_PORT")).isEmpty(),
                 "the pg fixture is not running");
        m_home = m_tmp.filePath(QStringLiteral("home"));
    }

    // The version predicate behind the refusal of a psql without \restrict, at each boundary.
    void psqlWithoutRestrictIsRefused() {
        const struct {
            int major, minor;
            bool ok;
        } cases[] = {{12, 22, false}, {13, 21, false}, {13, 22, true}, {14, 18, false}, {14, 19, true}, {15, 13, false},
                     {15, 14, true},  {16, 9, false},  {16, 10, true}, {17, 5, false},  {17, 6, true},  {18, 0, true}};
        for (const auto &c : cases) {
            PgToolLocator::Tool psql{QStringLiteral("/usr/lib/postgresql/%1/bin/psql").arg(c.major),
                                     PgVersion{c.major, c.minor}};
            const QString why = RestoreEngine::plainScriptRefusal(psql);
            QVERIFY2(why.isEmpty() == c.ok, qPrintable(QStringLiteral("%1.%2: %3").arg(c.major).arg(c.minor).arg(why)));
            if (!c.ok) {
                QVERIFY2(why.contains(QLatin1String("13.22, 14.19, 15.14, 16.10, 17.6")), qPrintable(why));
                QVERIFY2(why.contains(QStringLiteral("postgresql-client-%1").arg(c.major)), qPrintable(why));
            }
        }
    }

    // A script that commits on its own and carries a meta-command far later: refused before psql starts, so
    // nothing it said earlier was committed.
    void wholeScriptScannedBeforeTheTarget() {
        QFile::remove(marker());
        QByteArray script = "CREATE TABLE sg_early (a int);\nCOMMIT;\n";
        // 9 MB of comment lines: more than psql's input buffer holds, so psql has run the early statements by the
        // time a streaming filter reaches the end.
        script += ("-- " + QByteArray(96, 'p') + '\n').repeated(90000);
        script += "\\! touch MARKER\n";
        const QString file = writeScript(QStringLiteral("late.sql"), script);
        const QString db = existingDb(QStringLiteral("late"));
        const TestEnv::Run r = restoreInto(file, db);
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("line 90003"), r.err.constData());
        QVERIFY(!QFile::exists(marker()));
        QCOMPARE(tables(db), QStringLiteral("0"));

        // With --create the database is not even created.
        const QString fresh = newDb(QStringLiteral("latec"));
        const TestEnv::Run c = TestEnv::ctl(m_home, {QStringLiteral("restore"), file, QStringLiteral("--target"),
                                                     TestEnv::pgConninfo(QStringLiteral("postgres")),
                                                     QStringLiteral("--target-db"), fresh, QStringLiteral("--create")});
        QCOMPARE(c.exitCode, 6);
        QVERIFY(!dbExists(fresh));
        QVERIFY(!QFile::exists(marker()));
    }

    // Crafted scripts on which psql and a line filter could part ways: each refused with its reason, nothing kept,
    // no command run.
    void ambiguousScriptsAreRefused_data() {
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<QString>("reason");
        // psql stops reading a line at NUL ("SELECT ''" ends there), the filter would see an open string. Past the
        // part of the file the format sniffing reads, which refuses binary-looking files on its own.
        QTest::newRow("nul") << (QByteArray("CREATE TABLE sg_nul (a text);\n") +
                                 QByteArray("SELECT 1;\n").repeated(20000) + QByteArray("SELECT ''") + '\0' +
                                 QByteArray("'\n\\! touch MARKER\n';\n"))
                             << QStringLiteral("NUL byte");
        // psql reads the rest of the line after the data block: the quote there opens a string the filter missed.
        QTest::newRow("copy-trailing")
            << QByteArray("CREATE TABLE sg_ct (a text);\nCOPY sg_ct (a) FROM stdin; SELECT '\nx\n\\.\n'; \\! touch "
                          "MARKER --';\n")
            << QStringLiteral("not alone on its line");
        // psql scans the rest of the line with the setting in force at its start.
        QTest::newRow("scs-midline")
            << QByteArray("CREATE TABLE sg_scs (a text);\nSET standard_conforming_strings = off; SELECT 'a\\'; \\! "
                          "touch MARKER --';\n")
            << QStringLiteral("standard_conforming_strings");
        QTest::newRow("scs-set-config")
            << QByteArray("CREATE TABLE sg_scs2 (a text);\nSELECT set_config('standard_conforming_strings', 'off', "
                          "false);\n")
            << QStringLiteral("standard_conforming_strings");
        QTest::newRow("client-encoding-sjis") << QByteArray("CREATE TABLE sg_enc (a text);\nSET client_encoding = "
                                                            "'SJIS';\nSELECT 1;\n")
                                              << QStringLiteral("client-only");
        QTest::newRow("set-names-big5") << QByteArray("CREATE TABLE sg_enc2 (a text);\nSET NAMES 'big5';\n")
                                        << QStringLiteral("client-only");
        QTest::newRow("copy-head-overflow")
            << QByteArray("CREATE TABLE sg_long (a text);\nCOPY sg_long (a) FROM STDIN WITH (NULL '") +
                   QByteArray(70000, 'n') + QByteArray("');\nx\n\\.\n")
            << QStringLiteral("longer than");
    }
    void ambiguousScriptsAreRefused() {
        QFETCH(QByteArray, script);
        QFETCH(QString, reason);
        QFile::remove(marker());
        const QString file = writeScript(QStringLiteral("crafted.sql"), script);
        const QString db = existingDb(QStringLiteral("amb"));
        const TestEnv::Run r = restoreInto(file, db);
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains(reason.toUtf8()), r.err.constData());
        QVERIFY(!QFile::exists(marker()));
        QCOMPARE(tables(db), QStringLiteral("0"));
    }

    // COPY heads the server accepts in other spellings are data blocks to the filter too: their data (with a
    // backslash line-start look-alike) restores as data.
    void copySpellingsAreDataBlocks_data() {
        QTest::addColumn<QByteArray>("head");
        QTest::newRow("quoted-no-space") << QByteArray("COPY\"sg_cp\"FROM STDIN;");
        QTest::newRow("comment-between") << QByteArray("COPY sg_cp/* c */FROM stdin;");
        QTest::newRow("line-comment") << QByteArray("COPY sg_cp (a) FROM stdin; -- trailing");
    }
    void copySpellingsAreDataBlocks() {
        QFETCH(QByteArray, head);
        const QByteArray script = "CREATE TABLE sg_cp (a text);\n" + head + "\n\\\\! not a command\n\\.\n";
        const QString file = writeScript(QStringLiteral("copy.sql"), script);
        const QString db = existingDb(QStringLiteral("cp"));
        const TestEnv::Run r = restoreInto(file, db);
        if (QTest::currentDataTag() == QByteArray("line-comment")) {
            // Not alone on its line: refused rather than guessed.
            QCOMPARE(r.exitCode, 6);
            QVERIFY2(r.err.contains("not alone on its line"), r.err.constData());
            return;
        }
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(TestEnv::psql(db, QStringLiteral("SELECT a FROM sg_cp")), QStringLiteral("\\! not a command"));
    }
};

QTEST_GUILESS_MAIN(TestRestoreScriptGuard)
#include "tst_restore_scriptguard.moc"
