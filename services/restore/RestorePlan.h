#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace lifeboat {

// One line of `pg_restore --list`: "ID; CATALOG_OID OBJECT_OID TYPE SCHEMA NAME OWNER".
struct TocEntry {
    int dumpId = 0;
    quint32 catalogOid = 0;
    quint32 objectOid = 0;
    QString type;   // "TABLE", "TABLE DATA", "FK CONSTRAINT", …
    QString schema; // empty for "-"
    QString name;   // pg_restore's tag, e.g. "Order Lines Order Lines_pkey" for a constraint
    QString owner;
    QString line;            // the list line as pg_restore printed it (what a -L file carries)
    QString definition;      // the SQL, when attachDefinitions() was given a schema script
    int parent = -1;         // index of the TABLE (or materialized view) this entry belongs to, -1 for none
    QString referencedTable; // FK CONSTRAINT: "schema.table" it points at, when known

    QString qualified() const { return schema.isEmpty() ? name : schema + QLatin1Char('.') + name; }
    bool isTable() const { return type == QLatin1String("TABLE"); }
};

// The archive's table of contents as a restore plan: entries in pg_restore's order, each table with the entries
// that belong to it (its data, indexes, constraints, triggers, defaults, owned sequences and their values), so a
// selective restore of a table brings everything the table needs to work, and a -L list file for pg_restore.
//
// Why two inputs: `pg_restore --list` names objects but not what they belong to (an index's tag is only its own
// name), and names are printed unquoted, so "Order Lines Order Lines_pkey" is ambiguous. The schema-only script
// (`pg_restore --schema-only -f -`) has each object's SQL with quoted identifiers after a
// "-- Name: …; Type: …; Schema: …; Owner: …" header; CREATE INDEX … ON "s"."t", ALTER TABLE ONLY "s"."t" …,
// CREATE TRIGGER … ON "s"."t" and ALTER SEQUENCE … OWNED BY "s"."t"."c" give the owning table exactly.
class RestorePlan {
public:
    struct Counts {
        int tables = 0;  // incl. partitioned parents and partitions
        int indexes = 0; // CREATE INDEX entries plus index-backed constraints (primary key, unique, exclusion)
        int sequences = 0;
        int views = 0;
        int materializedViews = 0;
        int functions = 0; // functions and procedures
        int largeObjects = 0;
    };

    static RestorePlan fromList(const QString &listOutput, QString *error = nullptr);
    // Resolves parents from the schema-only SQL script; entries without a header in it keep the tag heuristics.
    void attachDefinitions(const QString &schemaSql);

    const QList<TocEntry> &entries() const { return m_entries; }
    bool isEmpty() const { return m_entries.isEmpty(); }
    QList<int> tableIndexes() const;
    QList<int> childrenOf(int index) const;
    int indexOfTable(const QString &schema, const QString &name) const;
    // "schema.table" or "table" (unique across schemas); -1 when not found.
    int findTable(const QString &qualifiedOrBare) const;

    // The dump ids that restore these tables with everything that belongs to them; error names any unknown table.
    QSet<int> selectionForTables(const QStringList &names, QString *error) const;
    // A pg_restore -L file that restores exactly `dumpIds`, in the archive's order.
    QString listFile(const QSet<int> &dumpIds) const;

    Counts counts() const;
    // Header lines of the listing ("; Dumped by pg_dump version: …").
    QString headerValue(const QString &key) const { return m_header.value(key); }

    // Splits "s.t" / "\"S\".\"t\"" into its parts (unquoting); bare names give an empty schema.
    static QPair<QString, QString> splitName(const QString &name);

private:
    void resolveByTag();
    int tableByTagPrefix(const QString &schema, const QString &tag) const;

    QList<TocEntry> m_entries;
    QHash<QString, QString> m_header;
};

} // namespace lifeboat
