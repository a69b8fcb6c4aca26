// Archive header and TOC parsing against real pg_dump 15 output (tests/data/restore: the fidelity schema's
// `pg_restore --list` and `--schema-only` script) and crafted headers.
#include "restore/ArchiveHeader.h"
#include "restore/RestorePlan.h"
#include "restore/TarExtractor.h"

#include "TestEnv.h"

#include <QFile>
#include <QTest>

using namespace lifeboat;

namespace {
// The first 130 bytes of a real `pg_dump -Fc` archive of database "fid" (PostgreSQL 15.20).
QByteArray realHeader() {
    return QByteArray::fromHex(
        "5047444d50010e0004080101010000000011000000002400000000110000000015000000000a000000007e000000000000000000"
        "03000000666964001e00000031352e323020284465626961"
        "6e2031352e32302d302b646562313275312900"
        "1e00000031352e323020284465626961"
        "6e2031352e32302d302b6465623132753129004500000000");
}
QString readData(const QString &name) {
    QFile f(TestEnv::sourceDir() + QStringLiteral("/tests/data/restore/") + name);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}
int find(const RestorePlan &plan, const QString &type, const QString &schema, const QString &name) {
    for (int i = 0; i < plan.entries().size(); ++i) {
        const TocEntry &e = plan.entries().at(i);
        if (e.type == type && e.schema == schema && e.name == name)
            return i;
    }
    return -1;
}
} // namespace

class TestRestoreParsing : public QObject {
    Q_OBJECT
private slots:
    void customHeader() {
        const ArchiveHeader h = ArchiveHeader::parse(realHeader());
        QCOMPARE(h.kind, ArchiveHeader::Kind::Custom);
        QCOMPARE(h.versionString(), QStringLiteral("1.14"));
        QCOMPARE(h.intSize, 4);
        QCOMPARE(h.offSize, 8);
        QCOMPARE(h.format, int(ArchiveHeader::FormatCustom));
        QCOMPARE(h.compression, -1);
        QVERIFY(h.complete);
        QCOMPARE(h.database, QStringLiteral("fid"));
        QCOMPARE(h.serverVersion, QStringLiteral("15.20 (Debian 15.20-0+deb12u1)"));
        QCOMPARE(h.dumpVersion, QStringLiteral("15.20 (Debian 15.20-0+deb12u1)"));
        QCOMPARE(h.created.time().second(), 17);
        QCOMPARE(h.dumpMajor(), 15);
        QVERIFY(h.clientMismatch(15).isEmpty());
        QVERIFY(h.clientMismatch(14).isEmpty()); // 14 reads format 1.14 too
        QVERIFY(h.clientMismatch(17).isEmpty());
        QVERIFY(h.clientMismatch(13).contains(QStringLiteral("archive made by pg_dump 14")));
    }

    void newerArchiveNamesTheRelease_data() {
        QTest::addColumn<int>("minor");
        QTest::addColumn<int>("client");
        QTest::addColumn<QString>("message");
        QTest::newRow("1.15 on 15") << 15 << 15
                                    << QStringLiteral(
                                           "archive made by pg_dump 16 — install PostgreSQL 16 client tools");
        QTest::newRow("1.16 on 15") << 16 << 15
                                    << QStringLiteral(
                                           "archive made by pg_dump 17 — install PostgreSQL 17 client tools");
        QTest::newRow("1.16 on 16") << 16 << 16
                                    << QStringLiteral(
                                           "archive made by pg_dump 17 — install PostgreSQL 17 client tools");
        QTest::newRow("1.20 on 17") << 20 << 17 << QStringLiteral("newer than PostgreSQL 17");
        QTest::newRow("1.15 on 16") << 15 << 16 << QString();
    }
    void newerArchiveNamesTheRelease() {
        QFETCH(int, minor);
        QFETCH(int, client);
        QFETCH(QString, message);
        QByteArray bytes = realHeader();
        bytes[6] = char(minor);
        const ArchiveHeader h = ArchiveHeader::parse(bytes);
        QCOMPARE(h.kind, ArchiveHeader::Kind::Custom);
        QCOMPARE(h.versionMinor, minor);
        const QString got = h.clientMismatch(client);
        if (message.isEmpty())
            QVERIFY2(got.isEmpty(), qPrintable(got));
        else
            QVERIFY2(got.contains(message), qPrintable(got));
    }

    void otherKinds() {
        QCOMPARE(ArchiveHeader::parse("age-encryption.org/v1\n-> X25519 abc\n").kind, ArchiveHeader::Kind::Age);
        QCOMPARE(ArchiveHeader::parse("-----BEGIN AGE ENCRYPTED FILE-----\n").kind, ArchiveHeader::Kind::AgeArmored);
        QCOMPARE(ArchiveHeader::parse(QByteArray::fromHex("1f8b0800000000000003")).kind, ArchiveHeader::Kind::Gzip);
        QCOMPARE(ArchiveHeader::parse("--\n-- PostgreSQL database dump\n--\nSET x = 1;\n").kind,
                 ArchiveHeader::Kind::PlainSql);
        QCOMPARE(ArchiveHeader::parse(QByteArray::fromHex("00ff13a7c0de0001")).kind, ArchiveHeader::Kind::Unknown);
        QCOMPARE(ArchiveHeader::parse(QByteArray()).kind, ArchiveHeader::Kind::Unknown);
        // Truncated inside the fixed part: not an archive we can describe.
        const ArchiveHeader cut = ArchiveHeader::parse(realHeader().left(7));
        QCOMPARE(cut.kind, ArchiveHeader::Kind::Unknown);
        // Truncated in the strings: the kind and version are known, the rest is not.
        const ArchiveHeader part = ArchiveHeader::parse(realHeader().left(70));
        QCOMPARE(part.kind, ArchiveHeader::Kind::Custom);
        QVERIFY(!part.complete);
        QCOMPARE(part.dumpMajor(), 14); // from the format version alone
    }

    void tarWithToc() {
        // pg_dump -Ft: a tar whose first member is toc.dat, itself a PGDMP header with format 3.
        QByteArray tar(512, '\0');
        tar.replace(0, 7, "toc.dat");
        tar.replace(257, 5, "ustar");
        QByteArray toc = realHeader();
        toc[10] = char(ArchiveHeader::FormatTar);
        const ArchiveHeader h = ArchiveHeader::parse(tar + toc);
        QCOMPARE(h.kind, ArchiveHeader::Kind::Tar);
        QCOMPARE(h.tarFirstMember, QStringLiteral("toc.dat"));
        QCOMPARE(h.format, int(ArchiveHeader::FormatTar));
        QCOMPARE(h.versionString(), QStringLiteral("1.14"));
        // Lifeboat's directory tar: another first member, no inner header.
        QByteArray dir(1024, '\0');
        dir.replace(0, 9, "3456.dat.gz");
        dir.replace(257, 5, "ustar");
        const ArchiveHeader d = ArchiveHeader::parse(dir);
        QCOMPARE(d.kind, ArchiveHeader::Kind::Tar);
        QCOMPARE(d.format, int(ArchiveHeader::FormatUnknown));
    }

    void tocListing() {
        const QString list = readData(QStringLiteral("fidelity.list"));
        QVERIFY(!list.isEmpty());
        QString err;
        const RestorePlan plan = RestorePlan::fromList(list, &err);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QCOMPARE(plan.entries().size(), 65); // the header counts 69 with ENCODING, STDSTRINGS, SEARCHPATH, DATABASE
        QCOMPARE(plan.headerValue(QStringLiteral("dbname")), QStringLiteral("fid"));
        QCOMPARE(plan.headerValue(QStringLiteral("Dumped by pg_dump version")),
                 QStringLiteral("15.20 (Debian 15.20-0+deb12u1)"));
        const TocEntry &first = plan.entries().first();
        QCOMPARE(first.dumpId, 6);
        QCOMPARE(first.catalogOid, 2615u);
        QCOMPARE(first.objectOid, 16386u);
        QCOMPARE(first.type, QStringLiteral("SCHEMA"));
        QCOMPARE(first.schema, QString());
        QCOMPARE(first.name, QStringLiteral("Sales"));
        QCOMPARE(first.owner, QStringLiteral("postgres"));
        QVERIFY(find(plan, QStringLiteral("TABLE DATA"), QStringLiteral("données"), QStringLiteral("über tabelle")) >=
                0);
        QVERIFY(find(plan, QStringLiteral("FUNCTION"), QStringLiteral("Sales"),
                     QStringLiteral("Customer Total(integer)")) >= 0);
        QVERIFY(find(plan, QStringLiteral("MATERIALIZED VIEW DATA"), QStringLiteral("inventory"),
                     QStringLiteral("status_counts")) >= 0);
        QVERIFY(find(plan, QStringLiteral("SEQUENCE OWNED BY"), QStringLiteral("Sales"),
                     QStringLiteral("Order Lines_id_seq")) >= 0);
        const int blobs = find(plan, QStringLiteral("BLOBS"), QString(), QStringLiteral("BLOBS"));
        QVERIFY(blobs >= 0);
        QCOMPARE(plan.entries().at(blobs).owner, QString());
        // Parents from the listing alone: data by OID, constraints and triggers by their table-name prefix.
        const int orderLines = plan.indexOfTable(QStringLiteral("Sales"), QStringLiteral("Order Lines"));
        QVERIFY(orderLines >= 0);
        QCOMPARE(
            plan.entries()
                .at(find(plan, QStringLiteral("TABLE DATA"), QStringLiteral("Sales"), QStringLiteral("Order Lines")))
                .parent,
            orderLines);
        QCOMPARE(plan.entries()
                     .at(find(plan, QStringLiteral("TRIGGER"), QStringLiteral("Sales"),
                              QStringLiteral("Order Lines Order Lines audit")))
                     .parent,
                 orderLines);
        QCOMPARE(plan.tableIndexes().size(), 8);
        // Garbage is an error, not a silently empty plan.
        RestorePlan::fromList(QStringLiteral("this is not a listing\n"), &err);
        QVERIFY(!err.isEmpty());
    }

    void definitionsResolveParents() {
        QString err;
        RestorePlan plan = RestorePlan::fromList(readData(QStringLiteral("fidelity.list")), &err);
        plan.attachDefinitions(readData(QStringLiteral("fidelity.schema.sql")));
        const int customer = plan.indexOfTable(QStringLiteral("Sales"), QStringLiteral("Customer"));
        const int orderLines = plan.indexOfTable(QStringLiteral("Sales"), QStringLiteral("Order Lines"));
        const int events = plan.indexOfTable(QStringLiteral("inventory"), QStringLiteral("events"));
        auto parentOf = [&](const QString &type, const QString &schema, const QString &name) {
            const int i = find(plan, type, schema, name);
            return i < 0 ? -2 : plan.entries().at(i).parent;
        };
        QCOMPARE(parentOf(QStringLiteral("INDEX"), QStringLiteral("Sales"), QStringLiteral("Order Lines_customer_idx")),
                 orderLines);
        QCOMPARE(
            parentOf(QStringLiteral("SEQUENCE"), QStringLiteral("Sales"), QStringLiteral("Customer_CustomerID_seq")),
            customer);
        QCOMPARE(parentOf(QStringLiteral("SEQUENCE SET"), QStringLiteral("Sales"),
                          QStringLiteral("Customer_CustomerID_seq")),
                 customer);
        QCOMPARE(parentOf(QStringLiteral("SEQUENCE"), QStringLiteral("inventory"), QStringLiteral("events_id_seq")),
                 events); // identity column
        QCOMPARE(parentOf(QStringLiteral("COMMENT"), QStringLiteral("Sales"), QStringLiteral("TABLE \"Customer\"")),
                 customer);
        QCOMPARE(parentOf(QStringLiteral("SEQUENCE"), QStringLiteral("inventory"), QStringLiteral("sku_seq")), -1);
        const int fk = find(plan, QStringLiteral("FK CONSTRAINT"), QStringLiteral("Sales"),
                            QStringLiteral("Order Lines Order Lines_CustomerID_fkey"));
        QCOMPARE(plan.entries().at(fk).referencedTable, QStringLiteral("Sales.Customer"));
        QVERIFY(plan.entries()
                    .at(find(plan, QStringLiteral("INDEX"), QStringLiteral("Sales"),
                             QStringLiteral("Order Lines_customer_idx")))
                    .definition.startsWith(QStringLiteral("CREATE INDEX \"Order Lines_customer_idx\"")));

        const RestorePlan::Counts c = plan.counts();
        QCOMPARE(c.tables, 8);
        QCOMPARE(c.indexes, 10); // 1 CREATE INDEX + 9 primary key / unique constraints
        QCOMPARE(c.sequences, 6);
        QCOMPARE(c.views, 1);
        QCOMPARE(c.materializedViews, 1);
        QCOMPARE(c.functions, 2);
        QCOMPARE(c.largeObjects, 2);
    }

    void selectionAndListFile() {
        QString err;
        RestorePlan plan = RestorePlan::fromList(readData(QStringLiteral("fidelity.list")), &err);
        plan.attachDefinitions(readData(QStringLiteral("fidelity.schema.sql")));
        const QSet<int> customer = plan.selectionForTables({QStringLiteral("Sales.Customer")}, &err);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QSet<QString> types;
        for (const TocEntry &e : plan.entries()) {
            if (customer.contains(e.dumpId)) {
                types.insert(e.type);
                QVERIFY2(!e.name.startsWith(QLatin1String("Order Lines")), qPrintable(e.line));
            }
        }
        for (const char *t : {"TABLE", "TABLE DATA", "CONSTRAINT", "DEFAULT", "SEQUENCE", "SEQUENCE OWNED BY",
                              "SEQUENCE SET", "COMMENT"})
            QVERIFY2(types.contains(QString::fromLatin1(t)), t);
        QCOMPARE(customer.size(), 9);
        // Order Lines alone: its foreign key to Customer would fail, so it stays out; with Customer it comes along.
        const int fk = plan.entries()
                           .at(find(plan, QStringLiteral("FK CONSTRAINT"), QStringLiteral("Sales"),
                                    QStringLiteral("Order Lines Order Lines_CustomerID_fkey")))
                           .dumpId;
        QVERIFY(!plan.selectionForTables({QStringLiteral("\"Sales\".\"Order Lines\"")}, &err).contains(fk));
        QVERIFY(plan.selectionForTables({QStringLiteral("Sales.Order Lines"), QStringLiteral("Sales.Customer")}, &err)
                    .contains(fk));
        // Unknown and ambiguous names are errors.
        QVERIFY(plan.selectionForTables({QStringLiteral("Sales.Nope")}, &err).isEmpty());
        QVERIFY(err.contains(QStringLiteral("Sales.Nope")));
        const QString listFile = plan.listFile(customer);
        QVERIFY(listFile.contains(QStringLiteral("; 1259 16404 TABLE Sales Customer postgres")));
        QVERIFY(!listFile.contains(QStringLiteral("TABLE Sales Order Lines")));
        QCOMPARE(listFile.count(QLatin1Char('\n')), 3 + 9);
    }

    void names() {
        QCOMPARE(RestorePlan::splitName(QStringLiteral("\"Sales\".\"Order Lines\"")),
                 qMakePair(QStringLiteral("Sales"), QStringLiteral("Order Lines")));
        QCOMPARE(RestorePlan::splitName(QStringLiteral("Sales.Order Lines")),
                 qMakePair(QStringLiteral("Sales"), QStringLiteral("Order Lines")));
        QCOMPARE(RestorePlan::splitName(QStringLiteral("public.t")),
                 qMakePair(QStringLiteral("public"), QStringLiteral("t")));
        QCOMPARE(RestorePlan::splitName(QStringLiteral("\"a\"\"b\".c")),
                 qMakePair(QStringLiteral("a\"b"), QStringLiteral("c")));
        QCOMPARE(RestorePlan::splitName(QStringLiteral("solo")), qMakePair(QString(), QStringLiteral("solo")));
    }

    void tarMemberNames() {
        QVERIFY(TarExtractor::isSafeMemberName(QStringLiteral("toc.dat")));
        QVERIFY(TarExtractor::isSafeMemberName(QStringLiteral("sub/3456.dat.gz")));
        QVERIFY(!TarExtractor::isSafeMemberName(QStringLiteral("/etc/passwd")));
        QVERIFY(!TarExtractor::isSafeMemberName(QStringLiteral("../x")));
        QVERIFY(!TarExtractor::isSafeMemberName(QStringLiteral("a/../../x")));
        QVERIFY(!TarExtractor::isSafeMemberName(QStringLiteral("..\\x")));
        QVERIFY(!TarExtractor::isSafeMemberName(QString()));
    }
};

QTEST_GUILESS_MAIN(TestRestoreParsing)
#include "tst_restoreparsing.moc"
