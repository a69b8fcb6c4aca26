#pragma once

#include "catalog/Catalog.h"
#include "core/ExitCode.h"
#include "crypto/AgeRecipient.h"
#include "wal/WalName.h"
#include "wal/WalStorage.h"

#include <QByteArray>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace lifeboat {

// Stores one WAL file in every archive storage of a profile and records each copy (`wal push`, and `wal receive`
// for each finished segment). Idempotent: a file already stored with the same plain bytes (the catalog's
// plain_sha256, or the object's own plain-sha256 when the catalog has no row) is left as it is; different bytes
// under the name of a segment or history file are refused (ExitCode::Integrity) before anything is written
// anywhere. A partial segment is replaced on each push; storing a complete segment removes its partial.
class WalArchiver {
public:
    struct Setup {
        QString profile;
        std::vector<std::unique_ptr<WalStorage>> storages;
        std::vector<AgeRecipient> recipients; // empty: plain zstd
        std::shared_ptr<Catalog> catalog;
    };
    struct Outcome {
        Error error;
        WalName wal;
        QStringList stored;  // storages this push wrote to
        QStringList already; // storages that held these bytes already
    };

    explicit WalArchiver(Setup setup);
    ~WalArchiver();

    // PATH as PostgreSQL's %p (or a file pg_receivewal wrote); its base name says what it is.
    Outcome pushFile(const QString &path);
    Outcome push(const WalName &wal, const QByteArray &plain);

    void setLog(std::function<void(const QString &)> log) { m_log = std::move(log); }
    const Setup &setup() const { return m_setup; }

private:
    enum class Existing { None, Same, Different, Unknown };
    Existing compareStored(WalStorage &storage, const WalName &wal, const QString &plainSha, WalFileRecord *row,
                           Error *error);
    bool record(WalStorage &storage, const WalName &wal, const QString &relativePath, qint64 size, const QString &sha,
                const QString &plainSha, qint64 plainSize, bool encrypted, Error *error);
    void removePartial(WalStorage &storage, const WalName &wal);

    Setup m_setup;
    std::function<void(const QString &)> m_log;
};

} // namespace lifeboat
