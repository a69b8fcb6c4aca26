#include "jobs/BucketArtifacts.h"

#include "jobs/ManifestVerifier.h"
#include "pipeline/MemorySink.h"
#include "storage/S3Session.h"
#include "storage/S3Types.h"

namespace lifeboat {

namespace {
constexpr qint64 kMaxManifestBytes = 16 * 1024 * 1024; // the limit `catalog rebuild` applies

QString fileNameOf(const QString &key) {
    return key.section(QLatin1Char('/'), -1);
}
} // namespace

QHash<QString, BucketArtifacts::Entry> BucketArtifacts::catalogued(Catalog &catalog, const QString &storageName) {
    QHash<QString, Entry> out;
    const QList<BackupRecord> records = catalog.list(CatalogFilter{});
    for (const BackupRecord &r : records) {
        if (r.status == BackupRecord::statusDeleted())
            continue;
        for (const BackupLocation &loc : r.locations)
            if (loc.storage == storageName && loc.kind == QLatin1String("s3") && !loc.path.isEmpty())
                out.insert(loc.path, {r.id, r.status});
    }
    return out;
}

Error BucketArtifacts::readManifest(S3Session &session, const QString &artifactKey, Manifest *out, bool *found,
                                    QByteArray *raw) {
    *found = false;
    const QString key = manifestKey(artifactKey);
    S3ObjectInfo info;
    int status = 0;
    if (Error e = session.headObject(key, &info, &status)) {
        if (status == 404)
            return {};
        return e;
    }
    if (info.size > kMaxManifestBytes)
        return {ExitCode::Integrity,
                QStringLiteral("%1 is %2 bytes, too large to be a Lifeboat manifest").arg(key).arg(info.size)};
    MemorySink mem;
    if (Error e = session.getObject(key, &mem))
        return e;
    QString why;
    *out = Manifest::fromJson(mem.data(), &why);
    if (!why.isEmpty())
        return {ExitCode::Integrity, QStringLiteral("%1 is not a valid manifest: %2").arg(key, why)};
    *found = true;
    if (raw)
        *raw = mem.data();
    return {};
}

BucketArtifacts::Imported BucketArtifacts::import(S3Session &session, Catalog &catalog, const QString &storageName,
                                                  const QString &artifactKey) {
    Imported result;
    Manifest m;
    bool found = false;
    QByteArray raw;
    if ((result.error = readManifest(session, artifactKey, &m, &found, &raw)))
        return result;
    if (found) {
        // Believed only after its signature, as `catalog rebuild` does.
        ManifestVerdict verdict = ManifestVerifier::fromCatalog(&catalog).verify(raw);
        verdict.where = manifestKey(artifactKey);
        if ((result.error = ManifestVerifier::enforce(verdict, false, artifactKey)))
            return result;
        result.signer = verdict.describe();
    }
    if (!found) {
        result.error = {ExitCode::Usage, QStringLiteral("%1 has no manifest beside it (%2), so it cannot be "
                                                        "imported: the catalog needs the manifest's description")
                                             .arg(artifactKey, manifestKey(artifactKey))};
        return result;
    }
    if (m.artifact != fileNameOf(artifactKey)) {
        result.error = {ExitCode::Integrity,
                        QStringLiteral("the manifest beside %1 describes another artifact (%2); not imported")
                            .arg(artifactKey, m.artifact)};
        return result;
    }
    S3ObjectInfo info;
    if ((result.error = session.headObject(artifactKey, &info)))
        return result;
    if (info.size != m.size) {
        result.error = {ExitCode::Integrity,
                        QStringLiteral("%1 has %2 bytes but its manifest says %3; the artifact is incomplete or "
                                       "altered and was not imported")
                            .arg(artifactKey)
                            .arg(info.size)
                            .arg(m.size)};
        return result;
    }
    if (catalog.hasArtifact(m.artifact, m.sha256)) {
        result.alreadyKnown = true;
        for (const BackupRecord &r : catalog.list(CatalogFilter{}))
            if (r.filename == m.artifact && r.sha256 == m.sha256 && r.status != BackupRecord::statusDeleted())
                result.id = r.id;
        if (result.id == 0)
            result.error = {ExitCode::Usage, QStringLiteral("the catalog has a deleted record of %1; it is not "
                                                            "imported again")
                                                 .arg(m.artifact)};
        return result;
    }
    BackupRecord r = m.toRecord();
    r.locations = {{storageName, QStringLiteral("s3"), artifactKey, manifestKey(artifactKey)}};
    QString err;
    if (!catalog.insert(r, &err)) {
        result.error = {ExitCode::Usage, QStringLiteral("cannot add %1 to the catalog: %2").arg(artifactKey, err)};
        return result;
    }
    // A base backup's WAL range travels in its manifest (recover needs it).
    if (BaseBackupInfo info = BaseBackupInfo::fromJson(m.baseBackup); info.isValid()) {
        info.backupId = r.id;
        catalog.saveBaseBackup(info, &err);
    }
    result.id = r.id;
    return result;
}

Error BucketArtifacts::removeObject(S3Session &session, const QString &key, QStringList *removed) {
    if (Error e = session.deleteObject(key))
        return e;
    removed->append(key);
    if (isManifestKey(key))
        return {};
    const QString manifest = manifestKey(key);
    S3ObjectInfo info;
    int status = 0;
    if (Error e = session.headObject(manifest, &info, &status))
        return status == 404 ? Error{} : e;
    if (Error e = session.deleteObject(manifest))
        return {e.code, QStringLiteral("%1 was deleted but its manifest was not: %2").arg(key, e.message)};
    removed->append(manifest);
    return {};
}

} // namespace lifeboat
