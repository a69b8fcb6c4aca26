#pragma once

#include <QString>
#include <QStringList>

namespace lifeboat {

// What to dump and how; shared by the CLI, the GUI's "Back up now" dialog and schedules.
struct BackupOptions {
    QString format = QStringLiteral("custom"); // custom | plain | directory
    int jobs = 1;                              // directory format only
    QString compression;                       // "" (tool default) | none | gzip[:L] | zstd[:L] | lz4[:L]
    QStringList tables;                        // only these (schema.table or table), exact names
    QStringList excludeTables;
    bool schemaOnly = false;
    QString type = QStringLiteral("MANUAL");
    QString label;
    QString setId; // application backup set this dump is a member of (empty: standalone)
};

} // namespace lifeboat
