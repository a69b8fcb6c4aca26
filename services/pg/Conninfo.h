#pragma once

#include "core/ExitCode.h"

#include <QList>
#include <QPair>
#include <QString>

namespace lifeboat {

// A libpq connection string (URI or key=value) parsed by libpq itself, so PG* environment variables, service
// files and ~/.pgpass keep working exactly as libpq users expect. The password, if the string carried one, is
// split off: it belongs in the credential store, never in settings, argv or logs.
class Conninfo {
public:
    static Conninfo parse(const QString &text, Error *error);

    bool isValid() const { return m_valid; }
    QString value(const QString &keyword) const;
    void setValue(const QString &keyword, const QString &value);

    QString host() const;   // as given (may be empty: libpq default / PGHOST)
    QString port() const;   // as given (may be empty)
    QString dbname() const; // as given
    QString user() const;
    QString password() const { return m_password; } // only when the input string contained one
    QString hostPort() const;                       // "host:port" with libpq's defaults filled in, for messages

    // key=value form without the password, values quoted: for settings and child processes.
    QString toKeywordString() const;
    // The same with dbname replaced.
    Conninfo withDatabase(const QString &db) const;

    static QString quoteValue(const QString &v);

private:
    QList<QPair<QString, QString>> m_values; // keyword order preserved
    QString m_password;
    bool m_valid = false;
};

} // namespace lifeboat
