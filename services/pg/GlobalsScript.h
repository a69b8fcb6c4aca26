#pragma once

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace lifeboat {

// Reads what pg_dumpall --globals-only wrote (a backup's roles companion) and plans "create the missing roles
// first" for a target server: only roles the target lacks are created — their CREATE ROLE, ALTER ROLE (attributes,
// settings), COMMENT and SECURITY LABEL statements — and the memberships whose two roles both exist afterwards, at
// least one of them new. Existing roles (the connecting role and the bootstrap superuser among them) are left alone
// and listed. Tablespaces and parameter grants are not roles: they are counted as left out.
class GlobalsScript {
public:
    struct Role {
        QString name;
        QStringList statements; // CREATE ROLE first
        bool hasPassword = false;
        bool hasCreate = false; // a CREATE ROLE of its own: only such a role is ever created
    };
    struct Membership {
        QString role;
        QString member;
        QString grantor; // GRANTED BY, empty when none
        QString statement;
    };
    struct Plan {
        QStringList create;      // roles to create, in the dump's order
        QStringList existing;    // roles the target already has: left alone
        QStringList memberships; // "member in role" granted with the new roles
        QStringList statements;  // what runs, in order, in one transaction
        int leftOut = 0;         // statements that are not about roles (tablespaces, parameter grants)
        // Not what pg_dumpall writes, so nothing of it may run: a statement about CURRENT_USER/SESSION_USER/
        // CURRENT_ROLE/ALL/PUBLIC (pg_dumpall names every role). Empty when the plan may be applied.
        QString refusal;
    };

    static GlobalsScript parse(const QByteArray &sql);

    const QList<Role> &roles() const { return m_roles; }
    const QList<Membership> &memberships() const { return m_memberships; }
    int otherStatements() const { return m_other.size(); }
    bool hasPasswords() const;

    Plan plan(const QSet<QString> &existingRoles) const;

    // The statements of the text, split at ';' outside quotes, without comment lines (pure; tested).
    static QStringList statements(const QString &sql);
    // An identifier at `pos` (quoted or not), unquoted — folded to lower case when it was not quoted, as PostgreSQL
    // does; advances pos past it. Empty when there is none. *quoted says which it was.
    static QString readIdentifier(const QString &s, qsizetype &pos, bool *quoted = nullptr);
    static QString quoteIdentifier(const QString &name);

private:
    Role *roleNamed(const QString &name);

    QList<Role> m_roles;
    QList<Membership> m_memberships;
    QStringList m_settings; // SET … at the top: only the session settings pg_dumpall writes
    QStringList m_other;
    QStringList m_refusals;
};

} // namespace lifeboat
