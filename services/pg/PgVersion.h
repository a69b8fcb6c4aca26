#pragma once

#include <QString>

namespace lifeboat {

// A PostgreSQL version: major (10+ numbering; 9.6 is major 9, minor 6 for our purposes) and minor.
struct PgVersion {
    int major = 0;
    int minor = 0;

    bool isValid() const { return major > 0; }
    QString toString() const { return isValid() ? QStringLiteral("%1.%2").arg(major).arg(minor) : QStringLiteral("?"); }

    // "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", "psql (PostgreSQL) 16beta2", "15.4", "9.6.24"
    static PgVersion fromVersionOutput(const QString &text);
    // server_version_num: 150018 -> 15.18, 90624 -> 9.6
    static PgVersion fromVersionNum(int num);

    friend bool operator==(const PgVersion &, const PgVersion &) = default;
    friend auto operator<=>(const PgVersion &, const PgVersion &) = default;
};

} // namespace lifeboat
