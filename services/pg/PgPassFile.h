#pragma once

#include <QString>
#include <QTemporaryFile>

#include <memory>

namespace lifeboat {

// Gives a password to pg_dump/pg_restore/psql without argv or environment: a 0600 temporary PGPASSFILE that
// lives exactly as long as this object. libpq reads it because PGPASSFILE points at it.
class PgPassFile {
public:
    PgPassFile() = default;
    bool create(const QString &password);
    QString path() const { return m_file ? m_file->fileName() : QString(); }
    bool isActive() const { return m_file != nullptr; }

    static QString escape(const QString &field);

private:
    std::unique_ptr<QTemporaryFile> m_file;
};

} // namespace lifeboat
