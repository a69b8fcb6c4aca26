#pragma once

#include "catalog/Catalog.h"
#include "core/ExitCode.h"
#include "crypto/AgeIdentity.h"
#include "wal/WalStorage.h"

#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace lifeboat {

// Brings one archived WAL file back (`wal fetch`, PostgreSQL's restore_command). With catalog rows, each copy's
// stored bytes are checked against the row's SHA-256 (a damaged copy is passed over for the next storage's) and
// the plain bytes against its plain SHA-256; without rows (the workstation's catalog was lost) the storages are
// asked directly and the zstd frame's checksum and age's MAC vouch for the bytes. DEST is written atomically.
class WalFetcher {
public:
    struct Setup {
        QString profile;
        std::vector<std::unique_ptr<WalStorage>> storages; // tried in this order
        std::vector<AgeIdentity> identities;
        std::shared_ptr<Catalog> catalog;
    };
    enum class Result { Fetched, NotFound, Failed };
    struct Outcome {
        Result result = Result::NotFound;
        Error error;
        QString storage;  // where the bytes came from
        QString location; // their path or key
        bool partial = false;
        qint64 bytes = 0;
        bool fromCatalog = false;
    };

    explicit WalFetcher(Setup setup);
    ~WalFetcher();

    // name: %f (segment, NNNNNNNN.history, a .backup file, or SEGMENT.partial). allowPartial: when the complete
    // segment is in no storage, its newest partial upload is written to DEST under the name asked for (what
    // recovery to the latest point needs; see docs/runbook.md).
    Outcome fetch(const QString &name, const QString &dest, bool allowPartial);

    void setLog(std::function<void(const QString &)> log) { m_log = std::move(log); }

private:
    Outcome fetchKind(const QString &name, const QString &kind, const QString &dest);
    void log(const QString &line) const {
        if (m_log)
            m_log(line);
    }

    Setup m_setup;
    std::function<void(const QString &)> m_log;
};

} // namespace lifeboat
