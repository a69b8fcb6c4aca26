#pragma once

#include "ops/UseCaseContext.h"

#include <QString>

#include <optional>

namespace lifeboat {

// The mirror use cases (`lifeboatctl mirror run` and `mirror restore`): a configured mirror copied into its storage,
// and a mirror run's objects put back into an S3 storage. Storages are named as the user gave them; S3 secrets come
// from UseCaseContext::secrets, read only after every name has resolved.
class Mirror {
public:
    struct RunRequest {
        QString mirror;
        QString type; // manual, daily, weekly or monthly (any case); empty: manual
        QString label;
    };
    struct RestoreRequest {
        QString run;                   // the mirror run's catalog id, as typed
        std::optional<QString> to;     // the S3 storage to restore into; unset: not given
        std::optional<QString> prefix; // below the storage's prefix; unset: the folder the objects came from
        bool overwrite = false;
    };

    static PreparedJob run(const RunRequest &request, const UseCaseContext &ctx);
    static PreparedJob restore(const RestoreRequest &request, const UseCaseContext &ctx);
};

} // namespace lifeboat
