// GlobalsScript: the statements of a pg_dumpall --globals-only script, sorted by role, and the plan for a target that
// has some of the roles already; GlobalsDump's arguments (no password on the command line, none dumped by default).
#include "catalog/GlobalsCompanion.h"
#include "jobs/GlobalsDump.h"
#include "pg/GlobalsScript.h"

#include <QTest>

using namespace lifeboat;

class TstGlobalsScript : public QObject {
    Q_OBJECT

    // As PostgreSQL 15/16 write it (16 adds WITH INHERIT … to memberships).
    static QByteArray script() {
        return "--\n-- PostgreSQL database cluster dump\n--\n\nSET default_transaction_read_only = off;\n\n"
               "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n--\n-- Roles\n--\n\n"
               "CREATE ROLE \"Audit \"\"Team\"\"\";\n"
               "ALTER ROLE \"Audit \"\"Team\"\"\" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN;\n"
               "CREATE ROLE app_owner;\n"
               "ALTER ROLE app_owner WITH NOSUPERUSER INHERIT NOCREATEROLE CREATEDB LOGIN NOREPLICATION;\n"
               "CREATE ROLE postgres;\n"
               "ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS;\n"
               "CREATE ROLE reader;\n"
               "ALTER ROLE reader WITH LOGIN CONNECTION LIMIT 5 PASSWORD 'SCRAM-SHA-256$4096:abc;def';\n"
               "COMMENT ON ROLE reader IS 'reads; -- reports';\n"
               "CREATE ROLE readers;\nALTER ROLE readers WITH NOLOGIN;\n\n"
               "--\n-- User Configurations\n--\n\nALTER ROLE reader SET statement_timeout TO '5s';\n\n"
               "--\n-- Role memberships\n--\n\n"
               "GRANT readers TO reader WITH INHERIT TRUE GRANTED BY postgres;\n"
               "GRANT app_owner TO postgres GRANTED BY postgres;\n"
               "GRANT readers TO \"Audit \"\"Team\"\"\" GRANTED BY old_admin;\n\n"
               "CREATE TABLESPACE fast OWNER postgres LOCATION '/srv/fast';\n"
               "GRANT SET ON PARAMETER work_mem TO reader;\n\n--\n-- PostgreSQL database cluster dump complete\n--\n\n";
    }

private slots:
    void aRecordedRolesFileIsAPlainNameBesideTheArtifact() {
        // Catalog rows and manifests are data: a name that leaves the artifact's directory is never read or deleted.
        const auto named = [](const QString &file) {
            return GlobalsCompanion::fromJson(
                {{QStringLiteral("file"), file}, {QStringLiteral("sha256"), QString(64, QLatin1Char('a'))}});
        };
        QVERIFY(named(QStringLiteral("p_db_2026-01-01_00-00-00Z.dump.zst.globals.sql")).present());
        QVERIFY(named(QStringLiteral("p_db_2026-01-01_00-00-00Z.dump.zst.globals.sql.age")).present());
        QVERIFY(!named(QStringLiteral("../other/x.globals.sql")).present());
        QVERIFY(!named(QStringLiteral("sub/x.globals.sql")).present());
        QVERIFY(!named(QStringLiteral("..globals.sql")).present());
        QVERIFY(!named(QStringLiteral("x.dump.zst")).present()); // never the artifact or another file
        QCOMPARE(GlobalsCompanion::nameFor(QStringLiteral("p.dump.zst.age"), true),
                 QStringLiteral("p.dump.zst.globals.sql.age"));
        GlobalsCompanion g = named(QStringLiteral("p.dump.zst.globals.sql"));
        QCOMPARE(g.siblingOf(QStringLiteral("/srv/b/manual/2026-01-01/p.dump.zst")),
                 QStringLiteral("/srv/b/manual/2026-01-01/p.dump.zst.globals.sql"));
    }

    void splitsAtSemicolonsOutsideQuotesAndSkipsComments() {
        const QStringList st = GlobalsScript::statements(QString::fromUtf8(script()));
        QVERIFY(st.contains(QStringLiteral("COMMENT ON ROLE reader IS 'reads; -- reports';")));
        QVERIFY(st.contains(
            QStringLiteral("ALTER ROLE reader WITH LOGIN CONNECTION LIMIT 5 PASSWORD 'SCRAM-SHA-256$4096:abc;def';")));
        for (const QString &s : st)
            QVERIFY2(!s.startsWith(QLatin1String("--")), qPrintable(s));
    }

    void readsRolesMembershipsAndTheRest() {
        const GlobalsScript g = GlobalsScript::parse(script());
        QStringList names;
        for (const auto &r : g.roles())
            names << r.name;
        QCOMPARE(names, (QStringList{QStringLiteral("Audit \"Team\""), QStringLiteral("app_owner"),
                                     QStringLiteral("postgres"), QStringLiteral("reader"), QStringLiteral("readers")}));
        QCOMPARE(g.roles().at(3).statements.size(), 4); // CREATE, ALTER … WITH, COMMENT, ALTER … SET
        QVERIFY(g.hasPasswords());
        QCOMPARE(g.memberships().size(), 3);
        QCOMPARE(g.memberships().at(2).member, QStringLiteral("Audit \"Team\""));
        QCOMPARE(g.memberships().at(2).grantor, QStringLiteral("old_admin"));
        QCOMPARE(g.otherStatements(), 2); // the tablespace and the parameter grant
    }

    void plansOnlyTheMissingRoles() {
        const GlobalsScript g = GlobalsScript::parse(script());
        const GlobalsScript::Plan p =
            g.plan({QStringLiteral("postgres"), QStringLiteral("readers"), QStringLiteral("pg_monitor")});
        QCOMPARE(p.create, (QStringList{QStringLiteral("Audit \"Team\""), QStringLiteral("app_owner"),
                                        QStringLiteral("reader")}));
        QCOMPARE(p.existing, (QStringList{QStringLiteral("postgres"), QStringLiteral("readers")}));
        // Nothing about an existing role runs: not the bootstrap superuser's ALTER, not readers' attributes.
        for (const QString &s : p.statements) {
            QVERIFY2(!s.startsWith(QLatin1String("ALTER ROLE postgres")), qPrintable(s));
            QVERIFY2(!s.startsWith(QLatin1String("ALTER ROLE readers")), qPrintable(s));
            QVERIFY2(!s.startsWith(QLatin1String("CREATE TABLESPACE")), qPrintable(s));
        }
        QVERIFY(p.statements.contains(QStringLiteral("CREATE ROLE app_owner;")));
        QVERIFY(p.statements.contains(QStringLiteral("ALTER ROLE reader SET statement_timeout TO '5s';")));
        // Memberships whose roles both exist afterwards and one is new; a grantor the target lacks is dropped.
        QVERIFY(
            p.statements.contains(QStringLiteral("GRANT readers TO reader WITH INHERIT TRUE GRANTED BY postgres;")));
        QVERIFY(p.statements.contains(QStringLiteral("GRANT app_owner TO postgres GRANTED BY postgres;")));
        QVERIFY(p.statements.contains(QStringLiteral("GRANT readers TO \"Audit \"\"Team\"\"\";")));
        QCOMPARE(p.memberships.size(), 3);
        QCOMPARE(p.leftOut, 2);
        // The settings come first, before any role.
        QCOMPARE(p.statements.first(), QStringLiteral("SET default_transaction_read_only = off;"));
    }

    void nothingToDoWhenEveryRoleExists() {
        const GlobalsScript g = GlobalsScript::parse(script());
        const GlobalsScript::Plan p =
            g.plan({QStringLiteral("Audit \"Team\""), QStringLiteral("app_owner"), QStringLiteral("postgres"),
                    QStringLiteral("reader"), QStringLiteral("readers")});
        QVERIFY(p.create.isEmpty());
        QVERIFY(p.statements.isEmpty());
        QCOMPARE(p.existing.size(), 5);
    }

    void aCraftedScriptNeverActsOnExistingRoles() {
        // Statements about the connecting role (CURRENT_USER …) or every role (ALL): the whole file is refused.
        for (const QByteArray &bad :
             {QByteArray("CREATE ROLE x;\nALTER ROLE CURRENT_USER WITH PASSWORD 'x' NOLOGIN;\n"),
              QByteArray("ALTER ROLE ALL SET search_path TO evil;\n"),
              QByteArray("CREATE ROLE x;\nGRANT x TO session_user;\n")}) {
            const GlobalsScript::Plan p = GlobalsScript::parse(bad).plan({QStringLiteral("postgres")});
            QVERIFY2(!p.refusal.isEmpty(), bad.constData());
            QVERIFY(p.statements.isEmpty());
        }
        // An unquoted name is the lower-case role: "Postgres" is the existing postgres, left alone.
        GlobalsScript::Plan p = GlobalsScript::parse("ALTER ROLE Postgres NOLOGIN;\nCREATE ROLE Fresh;\n")
                                    .plan({QStringLiteral("postgres")});
        QVERIFY(p.refusal.isEmpty());
        QCOMPARE(p.existing, QStringList{QStringLiteral("postgres")});
        QCOMPARE(p.create, QStringList{QStringLiteral("fresh")});
        QCOMPARE(p.statements, QStringList{QStringLiteral("CREATE ROLE Fresh;")});
        // A role the server lacks that the file only ALTERs is not created or altered; a SET pg_dumpall never
        // writes does not run.
        p = GlobalsScript::parse("SET client_encoding = 'UTF8';\nSET search_path = evil;\nALTER ROLE ghost "
                                 "SUPERUSER;\nCREATE ROLE fresh;\n")
                .plan({});
        QCOMPARE(p.create, QStringList{QStringLiteral("fresh")});
        QCOMPARE(p.statements,
                 (QStringList{QStringLiteral("SET client_encoding = 'UTF8';"), QStringLiteral("CREATE ROLE fresh;")}));
        QCOMPARE(p.leftOut, 2);
    }

    void dumpArgumentsLeavePasswordsOut() {
        Error e;
        const Conninfo ci = Conninfo::parse(QStringLiteral("host=db port=5433 user=backup dbname=shop"), &e);
        const QStringList args = GlobalsDump::arguments(ci, false);
        QVERIFY(args.contains(QStringLiteral("--globals-only")));
        QVERIFY(args.contains(QStringLiteral("--no-role-passwords")));
        QVERIFY(args.contains(QStringLiteral("--database=shop")));
        QVERIFY(args.contains(QStringLiteral("--no-password")));
        QVERIFY(!GlobalsDump::arguments(ci, true).contains(QStringLiteral("--no-role-passwords")));
    }
};

QTEST_GUILESS_MAIN(TstGlobalsScript)
#include "tst_globals_script.moc"
