// PsqlScriptFilter on its own (no psql, no server): the database-level statements of a --create dump are found by
// their tokens, and the whole-script scan words its refusal for what it did.
#include "pipeline/MemorySink.h"
#include "restore/PsqlScriptFilter.h"

#include <QTest>

using namespace lifeboat;

namespace {
struct Run {
    bool ok = false;
    QByteArray out;
    QString error;
    QStringList notes;
};

// Feeds the script in small pieces, so statements and lines cross write() calls as they do from a pipe.
Run filter(const QByteArray &script, bool preScan = false) {
    MemorySink sink;
    // RestoreEngine's scan before the restore has no target database.
    PsqlScriptFilter f(&sink, preScan ? QString() : QStringLiteral("tgt"));
    Run r;
    r.ok = true;
    for (qsizetype i = 0; r.ok && i < script.size(); i += 7)
        r.ok = f.write(QByteArrayView(script.constData() + i, qMin<qsizetype>(7, script.size() - i)));
    r.ok = r.ok && f.finish();
    r.out = sink.data();
    r.error = f.error().message;
    r.notes = f.notes();
    return r;
}

// A dump made with --create: the database-level statements come before its \connect.
QByteArray createDump(const QByteArray &dbStatements) {
    return "SET client_encoding = 'UTF8';\n" + dbStatements + "\\connect src\n" +
           "CREATE TABLE public.t (id integer);\n";
}
} // namespace

class TestPsqlScriptFilter : public QObject {
    Q_OBJECT
private slots:
    void alterWithBlockCommentIsPointedAtTarget() {
        const Run r = filter(createDump("ALTER/*x*/DATABASE src SET work_mem TO '8MB';\n"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY2(r.out.contains("ALTER/*x*/DATABASE \"tgt\" SET work_mem TO '8MB';"), r.out.constData());
        QVERIFY(!r.out.contains("DATABASE src"));
    }
    void alterWithLineCommentAcrossLinesIsPointedAtTarget() {
        const Run r = filter(createDump("ALTER -- c\n DATABASE src OWNER TO app;\n"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY2(r.out.contains("ALTER -- c\n DATABASE \"tgt\" OWNER TO app;\n"), r.out.constData());
        QVERIFY(!r.out.contains("DATABASE src"));
    }
    void alterWithNameOnItsOwnLine() {
        const Run r = filter(createDump("ALTER\nDATABASE\n/* why */ \"src\"\nSET search_path = public;\n"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY2(r.out.contains("ALTER\nDATABASE\n/* why */ \"tgt\"\nSET search_path = public;\n"), r.out.constData());
    }
    void createWithCommentIsDropped() {
        const Run r = filter(createDump("CREATE/*x*/DATABASE src WITH TEMPLATE = template0 ENCODING = 'UTF8';\n"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY2(!r.out.contains("CREATE/*x*/DATABASE"), r.out.constData());
        QVERIFY(r.out.contains("CREATE TABLE public.t"));
        QVERIFY(r.notes.join(u'\n').contains(QStringLiteral("CREATE DATABASE src is skipped")));
    }
    void commentOnWithCommentIsPointedAtTarget() {
        const Run r = filter(createDump("COMMENT ON /* c */ DATABASE src IS 'the shop';\n"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY2(r.out.contains("COMMENT ON /* c */ DATABASE \"tgt\" IS 'the shop';"), r.out.constData());
    }
    void stringLiteralHoldingTheWordsIsNoDatabaseStatement() {
        const QByteArray stmts = "COMMENT ON TABLE public.t IS 'ALTER DATABASE src SET x';\n"
                                 "SELECT 'ALTER DATABASE src' AS s;\n"
                                 "ALTER\nTABLE public.t OWNER TO src;\n";
        const Run r = filter(createDump(stmts));
        QVERIFY2(r.ok, qPrintable(r.error));
        // Unchanged, and in their place (before the \connect's successors).
        QVERIFY2(r.out.contains(stmts), r.out.constData());
        QVERIFY(!r.out.contains("\"tgt\""));
    }
    void otherDatabaseIsLeftAsWritten() {
        const Run r = filter(createDump("ALTER DATABASE other SET work_mem TO '8MB';\n"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(r.out.contains("ALTER DATABASE other SET work_mem TO '8MB';"));
    }
    void refusalWording() {
        const QByteArray script = "SELECT 1;\n\\! id > /tmp/x\n";
        const Run stream = filter(script);
        QVERIFY(!stream.ok);
        QVERIFY2(stream.error.contains(QStringLiteral("stopped psql")), qPrintable(stream.error));
        const Run scan = filter(script, true);
        QVERIFY(!scan.ok);
        QVERIFY2(!scan.error.contains(QStringLiteral("stopped psql")), qPrintable(scan.error));
        QVERIFY2(!scan.error.contains(QStringLiteral("nothing was kept")), qPrintable(scan.error));
        QVERIFY2(scan.error.contains(QStringLiteral("before psql starts")), qPrintable(scan.error));
        const Run scan2 = filter("\\connect host=elsewhere dbname=x\n", true);
        QVERIFY(!scan2.ok);
        QVERIFY2(scan2.error.contains(QStringLiteral("the target was not touched")), qPrintable(scan2.error));
    }
};

QTEST_GUILESS_MAIN(TestPsqlScriptFilter)
#include "tst_psqlscriptfilter.moc"
