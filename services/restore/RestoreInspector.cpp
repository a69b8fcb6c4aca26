#include "restore/RestoreInspector.h"

#include "restore/RestoreEngine.h"

namespace lifeboat {

RestoreInspector::Result RestoreInspector::inspect(const Request &req) {
    Result r;
    auto src = RestoreSource::open(req.source, req.catalog.get(), req.storages, &r.error);
    if (!src)
        return r;
    if ((r.error = src->requireDatabase()))
        return r;
    src->setIdentities(req.identities);
    src->setSecretLookup([secrets = req.storageSecrets](const QString &storage) { return secrets.value(storage); });
    r.displayName = src->displayName();
    r.record = src->record();
    r.manifest = src->manifest();
    r.encrypted = src->encrypted();
    r.size = src->size();
    RestoreEngine engine(std::move(*src), req.pgToolDir, QString(), req.cancel);

    auto refused = [&r](const SafetyCheck &c) {
        if (!c.refused())
            return false;
        r.error = {c.code, c.detail};
        return true;
    };
    // The copy to inspect is fetched into scratch (its checksum verified on the way) before anything reads it, so
    // the TOC shown is the TOC of verified bytes.
    if (engine.source().needsFetch() && refused(engine.checkIntegrity()))
        return r;
    if (refused(engine.inspectArchive()))
        return r;
    r.header = engine.header();
    r.hasToc = engine.hasToc();
    r.format = engine.inputDescription();
    // Against no particular server: the newest client decides whether the archive can be read at all.
    const SafetyCheck tool = engine.chooseTool(PgVersion{});
    if (tool.refused()) {
        r.clientMessage = tool.detail;
        return r;
    }
    r.client = engine.tool().version;
    if (r.hasToc && refused(engine.checkReadable(false, true, false)))
        return r;
    r.plan = engine.plan();
    return r;
}

} // namespace lifeboat
