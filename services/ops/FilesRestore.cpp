#include "ops/FilesRestore.h"

#include "files/FilesRestoreJob.h"
#include "ops/Restore.h"

namespace lifeboat {

PreparedJob FilesRestore::prepare(Request request, const UseCaseContext &ctx) {
    FilesRestoreJob::Request req;
    req.source = request.source;
    req.catalog = ctx.catalog;
    req.storages = ctx.config.storages();
    const QHash<QString, QString> secrets = Restore::storageSecrets(ctx); // before the job runs
    req.secretFor = [secrets](const QString &storage) { return secrets.value(storage); };
    req.identities = std::move(request.identities);
    req.verifyOnly = request.verifyOnly;
    req.requireSigned = request.requireSigned;
    if (!request.verifyOnly) {
        req.targetDir = request.targetDir;
        req.overwrite = request.overwrite;
        req.allowExternalSymlinks = request.allowExternalSymlinks;
    }
    PreparedJob p;
    p.job = std::make_unique<FilesRestoreJob>(std::move(req));
    p.finished = [](const JobResult &) {}; // the job records the restore itself
    return p;
}

} // namespace lifeboat
