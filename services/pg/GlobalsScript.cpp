#include "pg/GlobalsScript.h"

#include <QRegularExpression>

namespace lifeboat {

QStringList GlobalsScript::statements(const QString &sql) {
    QStringList out;
    QString cur;
    bool inString = false, inIdent = false;
    for (qsizetype i = 0; i < sql.size(); ++i) {
        const QChar c = sql.at(i);
        if (!inString && !inIdent && c == QLatin1Char('-') && i + 1 < sql.size() && sql.at(i + 1) == QLatin1Char('-')) {
            while (i < sql.size() && sql.at(i) != QLatin1Char('\n'))
                ++i; // a comment runs to the end of its line
            continue;
        }
        if (c == QLatin1Char('\'') && !inIdent)
            inString = !inString; // '' inside a literal toggles twice: still inside
        else if (c == QLatin1Char('"') && !inString)
            inIdent = !inIdent;
        if (c == QLatin1Char(';') && !inString && !inIdent) {
            if (!cur.trimmed().isEmpty())
                out << cur.trimmed() + QLatin1Char(';');
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (!cur.trimmed().isEmpty())
        out << cur.trimmed();
    return out;
}

QString GlobalsScript::readIdentifier(const QString &s, qsizetype &pos, bool *quoted) {
    if (quoted)
        *quoted = false;
    while (pos < s.size() && s.at(pos).isSpace())
        ++pos;
    if (pos >= s.size())
        return {};
    QString name;
    if (s.at(pos) == QLatin1Char('"')) {
        if (quoted)
            *quoted = true;
        ++pos;
        while (pos < s.size()) {
            if (s.at(pos) == QLatin1Char('"')) {
                if (pos + 1 < s.size() && s.at(pos + 1) == QLatin1Char('"')) {
                    name += QLatin1Char('"');
                    pos += 2;
                    continue;
                }
                ++pos;
                return name;
            }
            name += s.at(pos++);
        }
        return {}; // unterminated
    }
    while (pos < s.size() &&
           (s.at(pos).isLetterOrNumber() || s.at(pos) == QLatin1Char('_') || s.at(pos) == QLatin1Char('$')))
        name += s.at(pos++);
    return name.toLower();
}

namespace {
// Role specifications that are not a role's name: a statement about one of them would act on the connecting role or
// on every role, never on a role the backup creates.
bool roleKeyword(const QString &name, bool quoted) {
    static const QStringList keywords{QStringLiteral("current_user"), QStringLiteral("session_user"),
                                      QStringLiteral("current_role"), QStringLiteral("all"),
                                      QStringLiteral("public"),       QStringLiteral("none")};
    return !quoted && keywords.contains(name);
}

// The session settings pg_dumpall puts at the top of its output; any other SET is not run.
bool dumpSetting(const QString &statement) {
    static const QRegularExpression known(
        QStringLiteral("^SET\\s+(default_transaction_read_only|client_encoding|standard_conforming_strings)\\s*(=|TO)"),
        QRegularExpression::CaseInsensitiveOption);
    return known.match(statement).hasMatch();
}
} // namespace

QString GlobalsScript::quoteIdentifier(const QString &name) {
    static const QRegularExpression plain(QStringLiteral("^[a-z_][a-z0-9_$]*$"));
    if (plain.match(name).hasMatch())
        return name;
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

GlobalsScript::Role *GlobalsScript::roleNamed(const QString &name) {
    for (Role &r : m_roles) {
        if (r.name == name)
            return &r;
    }
    return nullptr;
}

bool GlobalsScript::hasPasswords() const {
    return std::any_of(m_roles.begin(), m_roles.end(), [](const Role &r) { return r.hasPassword; });
}

GlobalsScript GlobalsScript::parse(const QByteArray &sql) {
    GlobalsScript g;
    static const QRegularExpression password(QStringLiteral("\\bPASSWORD\\s+'"),
                                             QRegularExpression::CaseInsensitiveOption);
    for (const QString &st : statements(QString::fromUtf8(sql))) {
        const QString upper = st.left(40).toUpper();
        qsizetype pos = 0;
        auto roleStatement = [&](qsizetype at) -> bool {
            pos = at;
            bool quoted = false;
            const QString name = readIdentifier(st, pos, &quoted);
            if (name.isEmpty())
                return false;
            if (roleKeyword(name, quoted)) {
                g.m_refusals << st.left(60);
                return true;
            }
            Role *r = g.roleNamed(name);
            if (!r) {
                g.m_roles.append({name, {}, false, false});
                r = &g.m_roles.last();
            }
            if (upper.startsWith(QLatin1String("CREATE ROLE ")))
                r->hasCreate = true;
            r->statements << st;
            if (password.match(st).hasMatch())
                r->hasPassword = true;
            return true;
        };
        if (upper.startsWith(QLatin1String("SET "))) {
            if (dumpSetting(st))
                g.m_settings << st;
            else
                g.m_other << st;
            continue;
        }
        if (upper.startsWith(QLatin1String("CREATE ROLE ")) && roleStatement(12))
            continue;
        if (upper.startsWith(QLatin1String("ALTER ROLE ")) && roleStatement(11))
            continue;
        if (upper.startsWith(QLatin1String("COMMENT ON ROLE ")) && roleStatement(16))
            continue;
        if (upper.startsWith(QLatin1String("SECURITY LABEL "))) {
            const qsizetype on = st.indexOf(QLatin1String(" ON ROLE "), 0, Qt::CaseInsensitive);
            if (on > 0 && roleStatement(on + 9))
                continue;
        }
        if (upper.startsWith(QLatin1String("GRANT "))) {
            pos = 6;
            bool roleQuoted = false;
            const QString role = readIdentifier(st, pos, &roleQuoted);
            qsizetype after = pos;
            while (after < st.size() && st.at(after).isSpace())
                ++after;
            if (!role.isEmpty() && st.mid(after, 3).compare(QLatin1String("TO "), Qt::CaseInsensitive) == 0) {
                pos = after + 3;
                bool memberQuoted = false;
                const QString member = readIdentifier(st, pos, &memberQuoted);
                if (roleKeyword(role, roleQuoted) || roleKeyword(member, memberQuoted)) {
                    g.m_refusals << st.left(60);
                    continue;
                }
                if (!member.isEmpty()) {
                    Membership m{role, member, {}, st};
                    const qsizetype by = st.indexOf(QLatin1String(" GRANTED BY "), pos, Qt::CaseInsensitive);
                    if (by > 0) {
                        qsizetype gp = by + 12;
                        m.grantor = readIdentifier(st, gp);
                    }
                    g.m_memberships.append(m);
                    continue;
                }
            }
        }
        g.m_other << st;
    }
    return g;
}

GlobalsScript::Plan GlobalsScript::plan(const QSet<QString> &existingRoles) const {
    Plan p;
    if (!m_refusals.isEmpty()) {
        p.refusal = QStringLiteral("the roles file is not what pg_dumpall writes — it has %1 statement(s) about "
                                   "CURRENT_USER, SESSION_USER, CURRENT_ROLE, ALL or PUBLIC (first: %2…); nothing of "
                                   "it is run")
                        .arg(m_refusals.size())
                        .arg(m_refusals.first());
        return p;
    }
    QSet<QString> after = existingRoles;
    QSet<QString> created;
    for (const Role &r : m_roles) {
        if (existingRoles.contains(r.name) || r.name.startsWith(QLatin1String("pg_"))) {
            p.existing << r.name;
            continue;
        }
        if (!r.hasCreate) {
            p.leftOut += static_cast<int>(r.statements.size()); // only ALTERs of a role this server lacks: not ours
            continue;
        }
        p.create << r.name;
        created.insert(r.name);
        after.insert(r.name);
    }
    if (!p.create.isEmpty())
        p.statements << m_settings;
    for (const Role &r : m_roles) {
        if (created.contains(r.name))
            p.statements << r.statements;
    }
    for (const Membership &m : m_memberships) {
        if (!after.contains(m.role) || !after.contains(m.member))
            continue;
        if (!created.contains(m.role) && !created.contains(m.member))
            continue; // both roles existed: left alone
        QString st = m.statement;
        if (!m.grantor.isEmpty() && !after.contains(m.grantor)) {
            // The grantor is not on this server: the grant is made by the restoring role instead.
            static const QRegularExpression by(QStringLiteral("\\s+GRANTED BY\\s+(\"(?:[^\"]|\"\")*\"|[^\\s;]+)"),
                                               QRegularExpression::CaseInsensitiveOption);
            st.replace(by, QString());
        }
        p.statements << st;
        p.memberships << QStringLiteral("%1 in %2").arg(m.member, m.role);
    }
    p.leftOut += static_cast<int>(m_other.size());
    return p;
}

} // namespace lifeboat
