#pragma once

#include "catalog/Catalog.h"

#include <QByteArray>
#include <QString>

// Catalog records for GUI tests: a deterministic mix of profiles, types, statuses, sizes and dates, inserted
// through the real SqlCatalog.
class GuiTestData {
public:
    // Record i: profile "alpha"/"beta"/"gamma" (i % 3), status FAILED every 10th, CANCELLED every 25th (else
    // COMPLETED), type MONTHLY every 30th, WEEKLY every 7th, DAILY otherwise except MANUAL every 5th; started
    // i hours before `newest`; size (i * 7919) % 1000003 + 1; database "db" + (i % 4); label "run-i".
    static lifeboat::BackupRecord record(int i, const QDateTime &newest);
    static bool fill(lifeboat::Catalog &catalog, int count, const QDateTime &newest, QString *error);

    // A real artifact on disk with its manifest, catalogued as COMPLETED under storage "disk".
    static lifeboat::BackupRecord artifact(lifeboat::Catalog &catalog, const QString &dir, const QString &name,
                                           const QByteArray &bytes, const QDateTime &started);
};
