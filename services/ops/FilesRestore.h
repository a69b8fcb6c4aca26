#pragma once

#include "crypto/AgeIdentity.h"
#include "ops/UseCaseContext.h"

#include <QString>

#include <vector>

namespace lifeboat {

// The files restore use case (`lifeboatctl files restore` and `files verify`): a directory backup, by catalog id or
// file, into a directory (or only checked), with the storages' S3 secrets from UseCaseContext::secrets.
class FilesRestore {
public:
    struct Request {
        QString source; // catalog id or backup file
        std::vector<AgeIdentity> identities;
        QString targetDir; // absolute; ignored when verifyOnly
        bool overwrite = false;
        bool allowExternalSymlinks = false;
        bool verifyOnly = false;
        bool requireSigned = false;
    };

    static PreparedJob prepare(Request request, const UseCaseContext &ctx);
};

} // namespace lifeboat
