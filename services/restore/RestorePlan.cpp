#include "restore/RestorePlan.h"

#include <QRegularExpression>

#include <algorithm>

namespace lifeboat {

namespace {
// Types of more than one word, longest first, so "MATERIALIZED VIEW DATA" wins over "MATERIALIZED VIEW".
const QStringList &multiWordTypes() {
    static const QStringList types = [] {
        QStringList t{QStringLiteral("MATERIALIZED VIEW DATA"),
                      QStringLiteral("PUBLICATION TABLES IN SCHEMA"),
                      QStringLiteral("TEXT SEARCH CONFIGURATION"),
                      QStringLiteral("TEXT SEARCH DICTIONARY"),
                      QStringLiteral("TEXT SEARCH TEMPLATE"),
                      QStringLiteral("TEXT SEARCH PARSER"),
                      QStringLiteral("FOREIGN DATA WRAPPER"),
                      QStringLiteral("PROCEDURAL LANGUAGE"),
                      QStringLiteral("DATABASE PROPERTIES"),
                      QStringLiteral("SEQUENCE OWNED BY"),
                      QStringLiteral("PUBLICATION TABLE"),
                      QStringLiteral("MATERIALIZED VIEW"),
                      QStringLiteral("STATISTICS DATA"),
                      QStringLiteral("OPERATOR CLASS"),
                      QStringLiteral("OPERATOR FAMILY"),
                      QStringLiteral("CHECK CONSTRAINT"),
                      QStringLiteral("LARGE OBJECT"),
                      QStringLiteral("BLOB METADATA"),
                      QStringLiteral("EVENT TRIGGER"),
                      QStringLiteral("FOREIGN TABLE"),
                      QStringLiteral("FK CONSTRAINT"),
                      QStringLiteral("ACCESS METHOD"),
                      QStringLiteral("INDEX ATTACH"),
                      QStringLiteral("TABLE ATTACH"),
                      QStringLiteral("USER MAPPING"),
                      QStringLiteral("SEQUENCE SET"),
                      QStringLiteral("ROW SECURITY"),
                      QStringLiteral("SECURITY LABEL"),
                      QStringLiteral("DEFAULT ACL"),
                      QStringLiteral("SEARCH PATH"),
                      QStringLiteral("SHELL TYPE"),
                      QStringLiteral("TABLE DATA")};
        std::sort(t.begin(), t.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
        return t;
    }();
    return types;
}

// A possibly quoted SQL identifier as pg_dump writes it (fmtId quotes anything but [a-z_][a-z0-9_$]*).
const QString kIdent = QStringLiteral(R"((?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*))");

QString unquote(const QString &ident) {
    if (ident.size() >= 2 && ident.startsWith(QLatin1Char('"')) && ident.endsWith(QLatin1Char('"')))
        return ident.mid(1, ident.size() - 2).replace(QStringLiteral("\"\""), QStringLiteral("\""));
    return ident;
}

// Parses "a.b" / "a.b.c" made of kIdent parts.
QStringList identParts(const QString &text) {
    static const QRegularExpression part(kIdent);
    QStringList out;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const auto m =
            part.match(text, pos, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
        if (!m.hasMatch())
            break;
        out << unquote(m.captured(0));
        pos = m.capturedEnd(0);
        if (pos < text.size() && text.at(pos) == QLatin1Char('.'))
            ++pos;
        else
            break;
    }
    return out;
}

QString key(const QString &type, const QString &schema, const QString &name) {
    return type + QChar(0x1f) + schema + QChar(0x1f) + name;
}
} // namespace

QPair<QString, QString> RestorePlan::splitName(const QString &name) {
    const QString t = name.trimmed();
    static const QRegularExpression qualified(QStringLiteral("^(%1)\\.(%1)$").arg(kIdent));
    const auto m = qualified.match(t);
    if (m.hasMatch())
        return {unquote(m.captured(1)), unquote(m.captured(2))};
    // Unquoted mixed case or spaces ("Sales.Order Lines"): split at the first dot.
    const int dot = t.indexOf(QLatin1Char('.'));
    if (dot < 0)
        return {QString(), unquote(t)};
    return {unquote(t.left(dot)), unquote(t.mid(dot + 1))};
}

RestorePlan RestorePlan::fromList(const QString &listOutput, QString *error) {
    RestorePlan plan;
    const QStringList lines = listOutput.split(QLatin1Char('\n'));
    static const QRegularExpression entryRe(QStringLiteral(R"(^(\d+); (\d+) (\d+) (.*)$)"));
    static const QRegularExpression headerRe(QStringLiteral(R"(^;\s+([^:]+):\s*(.*)$)"));
    QStringList schemas{QStringLiteral("public"), QStringLiteral("pg_catalog")};
    // SCHEMA entries first: schema names may contain spaces, and knowing them splits "SCHEMA NAME OWNER".
    for (const QString &l : lines) {
        const auto m = entryRe.match(l);
        if (m.hasMatch() && m.captured(4).startsWith(QLatin1String("SCHEMA - "))) {
            const QString rest = m.captured(4).mid(9);
            const int sp = rest.lastIndexOf(QLatin1Char(' '));
            schemas << (sp > 0 ? rest.left(sp) : rest);
        }
    }
    std::sort(schemas.begin(), schemas.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &raw : lines) {
        const QString l = raw.trimmed().isEmpty() ? QString() : raw;
        if (l.isEmpty())
            continue;
        if (l.startsWith(QLatin1Char(';'))) {
            const auto h = headerRe.match(l);
            if (h.hasMatch())
                plan.m_header.insert(h.captured(1).trimmed(), h.captured(2).trimmed());
            continue;
        }
        const auto m = entryRe.match(l);
        if (!m.hasMatch()) {
            if (error)
                *error = QStringLiteral("unexpected line in the archive's table of contents: %1").arg(l.left(200));
            return {};
        }
        TocEntry e;
        e.dumpId = m.captured(1).toInt();
        e.catalogOid = m.captured(2).toUInt();
        e.objectOid = m.captured(3).toUInt();
        e.line = raw;
        QString rest = m.captured(4);
        for (const QString &t : multiWordTypes()) {
            if (rest.startsWith(t + QLatin1Char(' '))) {
                e.type = t;
                break;
            }
        }
        if (e.type.isEmpty())
            e.type = rest.section(QLatin1Char(' '), 0, 0);
        rest = rest.mid(e.type.size() + 1);
        if (rest.startsWith(QLatin1String("- "))) {
            rest = rest.mid(2);
        } else {
            bool found = false;
            for (const QString &s : schemas) {
                if (rest.startsWith(s + QLatin1Char(' '))) {
                    e.schema = s;
                    rest = rest.mid(s.size() + 1);
                    found = true;
                    break;
                }
            }
            if (!found) {
                e.schema = rest.section(QLatin1Char(' '), 0, 0);
                rest = rest.mid(e.schema.size() + 1);
            }
        }
        // The owner is the last word; it is empty (line ends in a space) for entries without one.
        const int sp = rest.lastIndexOf(QLatin1Char(' '));
        if (sp >= 0) {
            e.name = rest.left(sp);
            e.owner = rest.mid(sp + 1);
        } else {
            e.name = rest;
        }
        plan.m_entries.append(e);
    }
    plan.resolveByTag();
    return plan;
}

int RestorePlan::indexOfTable(const QString &schema, const QString &name) const {
    for (int i = 0; i < m_entries.size(); ++i) {
        const TocEntry &e = m_entries.at(i);
        if ((e.isTable() || e.type == QLatin1String("MATERIALIZED VIEW")) && e.schema == schema && e.name == name)
            return i;
    }
    return -1;
}

int RestorePlan::findTable(const QString &qualifiedOrBare) const {
    // An exact "schema.name" match first (names may contain dots or spaces), then the parsed forms.
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).isTable() && m_entries.at(i).qualified() == qualifiedOrBare)
            return i;
    }
    const auto [schema, name] = splitName(qualifiedOrBare);
    if (!schema.isEmpty())
        return indexOfTable(schema, name);
    int found = -1;
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).isTable() && m_entries.at(i).name == name) {
            if (found >= 0)
                return -1; // ambiguous without a schema
            found = i;
        }
    }
    return found;
}

int RestorePlan::tableByTagPrefix(const QString &schema, const QString &tag) const {
    int best = -1;
    qsizetype bestLen = -1;
    for (int i = 0; i < m_entries.size(); ++i) {
        const TocEntry &t = m_entries.at(i);
        if (!t.isTable() || t.schema != schema)
            continue;
        if ((tag == t.name || tag.startsWith(t.name + QLatin1Char(' '))) && t.name.size() > bestLen) {
            best = i;
            bestLen = t.name.size();
        }
    }
    return best;
}

void RestorePlan::resolveByTag() {
    QHash<quint32, int> byOid;
    for (int i = 0; i < m_entries.size(); ++i) {
        const TocEntry &e = m_entries.at(i);
        if ((e.isTable() || e.type == QLatin1String("MATERIALIZED VIEW")) && e.objectOid)
            byOid.insert(e.objectOid, i);
    }
    for (TocEntry &e : m_entries) {
        if (e.parent >= 0)
            continue;
        if (e.type == QLatin1String("TABLE DATA") || e.type == QLatin1String("MATERIALIZED VIEW DATA")) {
            e.parent = byOid.value(e.objectOid, -1);
        } else if (e.type == QLatin1String("CONSTRAINT") || e.type == QLatin1String("FK CONSTRAINT") ||
                   e.type == QLatin1String("TRIGGER") || e.type == QLatin1String("DEFAULT") ||
                   e.type == QLatin1String("TABLE ATTACH") || e.type == QLatin1String("CHECK CONSTRAINT") ||
                   e.type == QLatin1String("POLICY") || e.type == QLatin1String("RULE")) {
            e.parent = tableByTagPrefix(e.schema, e.name);
        } else if ((e.type == QLatin1String("COMMENT") || e.type == QLatin1String("ACL")) &&
                   e.name.startsWith(QLatin1String("TABLE "))) {
            e.parent = indexOfTable(e.schema, unquote(e.name.mid(6)));
        }
    }
}

void RestorePlan::attachDefinitions(const QString &schemaSql) {
    static const QRegularExpression header(
        QStringLiteral(R"(^-- Name: (.*?); Type: ([A-Z][A-Z ]*); Schema: (.*?); Owner: (.*)$)"),
        QRegularExpression::MultilineOption);
    QHash<QString, QString> defs;
    auto it = header.globalMatch(schemaSql);
    QString pendingKey;
    qsizetype pendingStart = -1;
    auto flush = [&](qsizetype end) {
        if (pendingStart < 0)
            return;
        // The header block ends with a "--" line; what follows up to the next header is the object's SQL.
        QStringList lines = schemaSql.mid(pendingStart, end - pendingStart).split(QLatin1Char('\n'));
        while (!lines.isEmpty() && (lines.first().trimmed().isEmpty() || lines.first().startsWith(QLatin1String("--"))))
            lines.removeFirst();
        while (!lines.isEmpty() && (lines.last().trimmed().isEmpty() || lines.last().startsWith(QLatin1String("--"))))
            lines.removeLast();
        defs.insert(pendingKey, lines.join(QLatin1Char('\n')));
    };
    while (it.hasNext()) {
        const auto m = it.next();
        flush(m.capturedStart(0));
        const QString schema = m.captured(3) == QLatin1String("-") ? QString() : m.captured(3);
        pendingKey = key(m.captured(2), schema, m.captured(1));
        pendingStart = m.capturedEnd(0);
    }
    flush(schemaSql.size());

    const QString q2 = QStringLiteral("(%1\\.%1)").arg(kIdent);
    static const QRegularExpression onTable(QStringLiteral(R"(\sON\s+(?:ONLY\s+)?)") + q2);
    static const QRegularExpression alterTable(QStringLiteral(R"(ALTER\s+(?:FOREIGN\s+)?TABLE\s+(?:ONLY\s+)?)") + q2);
    static const QRegularExpression ownedBy(QStringLiteral(R"(OWNED BY\s+)") + q2);
    static const QRegularExpression identity(QStringLiteral(R"(ALTER\s+TABLE\s+(?:ONLY\s+)?)") + q2 +
                                                 QStringLiteral(R"(\s+ALTER\s+COLUMN\s.*ADD\s+GENERATED)"),
                                             QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression references(QStringLiteral(R"(REFERENCES\s+)") + q2);
    auto tableFrom = [&](const QRegularExpression &re, const QString &sql) -> int {
        const auto m = re.match(sql);
        if (!m.hasMatch())
            return -1;
        const QStringList parts = identParts(m.captured(1));
        return parts.size() == 2 ? indexOfTable(parts.at(0), parts.at(1)) : -1;
    };

    QHash<QString, int> sequenceParent;
    for (TocEntry &e : m_entries) {
        e.definition = defs.value(key(e.type, e.schema, e.name));
        if (e.definition.isEmpty())
            continue;
        int p = -1;
        if (e.type == QLatin1String("INDEX") || e.type == QLatin1String("TRIGGER") ||
            e.type == QLatin1String("POLICY") || e.type == QLatin1String("RULE")) {
            p = tableFrom(onTable, e.definition);
        } else if (e.type == QLatin1String("CONSTRAINT") || e.type == QLatin1String("FK CONSTRAINT") ||
                   e.type == QLatin1String("DEFAULT") || e.type == QLatin1String("CHECK CONSTRAINT")) {
            p = tableFrom(alterTable, e.definition);
            if (e.type == QLatin1String("FK CONSTRAINT")) {
                const auto m = references.match(e.definition);
                if (m.hasMatch())
                    e.referencedTable = identParts(m.captured(1)).join(QLatin1Char('.'));
            }
        } else if (e.type == QLatin1String("SEQUENCE OWNED BY")) {
            p = tableFrom(ownedBy, e.definition);
        } else if (e.type == QLatin1String("SEQUENCE")) {
            p = tableFrom(identity, e.definition);
        }
        if (p >= 0)
            e.parent = p;
        if (e.type == QLatin1String("SEQUENCE OWNED BY") && p >= 0)
            sequenceParent.insert(e.schema + QChar(0x1f) + e.name, p);
    }
    // A sequence belongs to its owning table; so do its value (SEQUENCE SET) and the sequence itself.
    for (TocEntry &e : m_entries) {
        if (e.type == QLatin1String("SEQUENCE") && e.parent < 0)
            e.parent = sequenceParent.value(e.schema + QChar(0x1f) + e.name, -1);
        else if (e.type == QLatin1String("SEQUENCE") && e.parent >= 0)
            sequenceParent.insert(e.schema + QChar(0x1f) + e.name, e.parent);
    }
    for (TocEntry &e : m_entries) {
        if (e.type == QLatin1String("SEQUENCE SET") && e.parent < 0)
            e.parent = sequenceParent.value(e.schema + QChar(0x1f) + e.name, -1);
    }
    // An attached partition index belongs where the index it attaches does.
    for (TocEntry &e : m_entries) {
        if (e.type != QLatin1String("INDEX ATTACH") || e.parent >= 0)
            continue;
        for (const TocEntry &o : m_entries) {
            if (o.schema == e.schema && o.parent >= 0 &&
                ((o.type == QLatin1String("INDEX") && o.name == e.name) ||
                 (o.type == QLatin1String("CONSTRAINT") && o.name.endsWith(QLatin1Char(' ') + e.name)))) {
                e.parent = o.parent;
                break;
            }
        }
    }
    resolveByTag();
}

QList<int> RestorePlan::tableIndexes() const {
    QList<int> out;
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).isTable())
            out << i;
    }
    return out;
}

QList<int> RestorePlan::childrenOf(int index) const {
    QList<int> out;
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).parent == index)
            out << i;
    }
    return out;
}

QSet<int> RestorePlan::selectionForTables(const QStringList &names, QString *error) const {
    QSet<int> tables;
    for (const QString &n : names) {
        const int t = findTable(n);
        if (t < 0) {
            if (error)
                *error = QStringLiteral("table \"%1\" is not in this backup (or the name is ambiguous without a "
                                        "schema) — see the plan for the tables it holds")
                             .arg(n);
            return {};
        }
        tables.insert(t);
    }
    QSet<QString> selectedNames;
    for (int t : tables)
        selectedNames.insert(m_entries.at(t).qualified());
    QSet<int> ids;
    for (int i = 0; i < m_entries.size(); ++i) {
        const TocEntry &e = m_entries.at(i);
        const bool mine = tables.contains(i) || (e.parent >= 0 && tables.contains(e.parent));
        if (!mine)
            continue;
        // A foreign key to a table that is not being restored would fail: it is left out.
        if (e.type == QLatin1String("FK CONSTRAINT") && !e.referencedTable.isEmpty() &&
            !selectedNames.contains(e.referencedTable))
            continue;
        ids.insert(e.dumpId);
    }
    return ids;
}

QString RestorePlan::listFile(const QSet<int> &dumpIds) const {
    QString out = QStringLiteral(";\n; Lifeboat selective restore list\n;\n");
    for (const TocEntry &e : m_entries) {
        if (dumpIds.contains(e.dumpId))
            out += e.line + QLatin1Char('\n');
    }
    return out;
}

RestorePlan::Counts RestorePlan::counts() const {
    Counts c;
    static const QRegularExpression indexed(QStringLiteral(R"(\b(PRIMARY KEY|UNIQUE|EXCLUDE)\b)"));
    for (const TocEntry &e : m_entries) {
        const QString &t = e.type;
        if (t == QLatin1String("TABLE"))
            ++c.tables;
        else if (t == QLatin1String("INDEX"))
            ++c.indexes;
        else if (t == QLatin1String("CONSTRAINT") && (e.definition.isEmpty() || indexed.match(e.definition).hasMatch()))
            ++c.indexes;
        else if (t == QLatin1String("SEQUENCE"))
            ++c.sequences;
        else if (t == QLatin1String("VIEW"))
            ++c.views;
        else if (t == QLatin1String("MATERIALIZED VIEW"))
            ++c.materializedViews;
        else if (t == QLatin1String("FUNCTION") || t == QLatin1String("PROCEDURE"))
            ++c.functions;
        else if (t == QLatin1String("BLOB") || t == QLatin1String("LARGE OBJECT"))
            ++c.largeObjects;
    }
    return c;
}

} // namespace lifeboat
