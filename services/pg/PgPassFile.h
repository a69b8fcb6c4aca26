#pragma once

#include "pg/Conninfo.h"

#include <QString>
#include <QTemporaryFile>

#include <memory>

namespace lifeboat {

// Gives a password to pg_dump/pg_restore/psql without argv or environment: a 0600 temporary PGPASSFILE that
// lives exactly as long as this object. libpq reads it because PGPASSFILE points at it.
class PgPassFile {
public:
    PgPassFile() = default;
    // One line for exactly this target (host, port, database, user — libpq's defaults where the conninfo leaves
    // one out), so libpq offers the password to no other server or database.
    bool create(const QString &password, const Conninfo &target);
    QString path() const { return m_file ? m_file->fileName() : QString(); }
    bool isActive() const { return m_file != nullptr; }

    static QString escape(const QString &field);
    static QString lineFor(const QString &password, const Conninfo &target);

private:
    std::unique_ptr<QTemporaryFile> m_file;
};

} // namespace lifeboat
