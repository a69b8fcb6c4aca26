#include "mirror/MirrorRestoreJob.h"

#include "jobs/StoreFactory.h"
#include "mirror/MirrorJob.h"
#include "mirror/MirrorStore.h"
#include "pipeline/HashStage.h"
#include "pipeline/TeeSink.h"
#include "storage/S3Session.h"
#include "storage/S3UploadSink.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QRandomGenerator>

namespace lifeboat {

namespace {
// Counts and hashes what it is given, discarding the bytes (comparing an existing target object).
class NullSink : public ByteSink {
public:
    bool write(QByteArrayView) override { return true; }
    bool finish() override { return true; }
    void abort() override {}
};
} // namespace

MirrorRestoreJob::MirrorRestoreJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

MirrorRestoreJob::~MirrorRestoreJob() = default;

QString MirrorRestoreJob::title() const {
    return QStringLiteral("Restore of mirror run #%1").arg(m_req.record.id);
}

Error MirrorRestoreJob::open() {
    if (m_store && m_target)
        return {};
    if (m_req.record.kind != QLatin1String("mirror"))
        return {
            ExitCode::Usage,
            QStringLiteral("backup #%1 is a %2 backup, not a mirror run").arg(m_req.record.id).arg(m_req.record.kind)};
    if (m_req.record.status != BackupRecord::statusCompleted() || m_req.record.locations.isEmpty())
        return {ExitCode::Usage, QStringLiteral("mirror run #%1 is %2, not a completed run with an object list")
                                     .arg(m_req.record.id)
                                     .arg(m_req.record.status)};
    if (!m_req.target.isS3())
        return {ExitCode::Usage,
                QStringLiteral("the restore target \"%1\" is not an S3 storage").arg(m_req.target.name)};
    Error e;
    m_store = MirrorStore::open(m_req.mirrorStorage, m_req.mirrorSecret, m_req.record.profile, &e);
    if (!m_store)
        return e;
    m_target = StoreFactory::s3Session(m_req.target, m_req.targetSecret, &e);
    if (!m_target)
        return e;
    return {};
}

Error MirrorRestoreJob::sameContent(const MirrorEntry &entry, const QString &targetKey, bool *identical) {
    *identical = false;
    S3ObjectInfo info;
    int status = 0;
    if (Error e = m_target->headObject(targetKey, &info, &status)) {
        if (status == 404)
            return {};
        return {e.code, QStringLiteral("checking %1 in the target: %2").arg(targetKey, e.message)};
    }
    if (info.size != entry.size) {
        *identical = false;
        return {ExitCode::Refused, QString()}; // exists and differs
    }
    if (!entry.sha256.isEmpty() && info.metadata.value(QStringLiteral("sha256")) == entry.sha256) {
        *identical = true;
        return {};
    }
    // Same size, no hash to compare: read it (an object restored earlier, or the original left in place).
    NullSink discard;
    HashStage hash(&discard);
    if (Error e = m_target->getObject(targetKey, &hash))
        return {e.code, QStringLiteral("reading %1 in the target: %2").arg(targetKey, e.message)};
    hash.finish();
    *identical = QString::fromLatin1(hash.sha256Hex()) == entry.sha256;
    return *identical ? Error{} : Error{ExitCode::Refused, QString()};
}

Error MirrorRestoreJob::check(Check *out) {
    if (Error e = open())
        return e;
    QByteArray json;
    if (Error e = m_store->readObjectList(m_req.record.locations.first(), &json))
        return e;
    QString why;
    out->manifest = MirrorManifest::fromJson(json, &why);
    if (!why.isEmpty())
        return {ExitCode::Integrity, QStringLiteral("mirror run #%1: %2").arg(m_req.record.id).arg(why)};
    // The object list must be the one the catalog recorded (an edited list could point anywhere in the mirror).
    if (!m_req.record.sha256.isEmpty() && QString::fromLatin1(Sha256::hex(json)) != m_req.record.sha256)
        return {ExitCode::Integrity,
                QStringLiteral("the object list of mirror run #%1 does not match the catalog's SHA-256; it was "
                               "changed after the run")
                    .arg(m_req.record.id)};
    QString relative = m_req.prefix;
    if (relative.isNull()) {
        // The original prefix, relative to the source storage's own prefix when restoring into that storage.
        relative = out->manifest.sourcePrefix;
        const QString storagePrefix = m_target->config().keyFor(QString());
        if (!storagePrefix.isEmpty() && relative.startsWith(storagePrefix))
            relative = relative.mid(storagePrefix.size());
    }
    out->targetPrefix = MirrorJob::sourceKeyPrefix(m_target->config(), relative);
    for (const MirrorEntry &entry : std::as_const(out->manifest.entries)) {
        if (!entry.isLive())
            continue;
        bool identical = false;
        const Error e = sameContent(entry, out->targetPrefix + entry.key, &identical);
        if (e && e.code != ExitCode::Refused)
            return e;
        if (identical)
            out->identical << entry.key;
        else if (e)
            out->conflicts << entry.key;
        if (!identical)
            out->toWrite << entry.key;
        if (isCancelled())
            return {ExitCode::Cancelled, QStringLiteral("cancelled")};
    }
    if (!out->conflicts.isEmpty() && !m_req.overwrite) {
        QStringList shown = out->conflicts.mid(0, 5);
        return {ExitCode::Refused,
                QStringLiteral("%1 object(s) already exist in %2/%3 with different content (%4%5); nothing was "
                               "written. Restore into an empty prefix (--prefix) or pass --overwrite.")
                    .arg(out->conflicts.size())
                    .arg(m_target->config().bucket, out->targetPrefix, shown.join(QStringLiteral(", ")),
                         out->conflicts.size() > shown.size() ? QStringLiteral(", …") : QString())};
    }
    return {};
}

Error MirrorRestoreJob::writeObject(const MirrorEntry &entry, const QString &targetKey, bool createOnly,
                                    QString *md5Hex) {
    S3UploadSink::Options o;
    o.expectedSize = entry.size;
    o.partSize = MirrorStore::kPartSize;
    o.createOnly = createOnly;
    S3UploadSink upload(m_target.get(), targetKey, o);
    // The hash sits beside the upload, not in front of it: it is compared before the upload is completed, so bytes
    // the object list does not vouch for never become an object.
    HashStage hash(nullptr);
    TeeSink tee({&hash, &upload});
    Error e = m_store->read(entry.storedKey, &tee);
    if (e) {
        upload.abort();
        return e;
    }
    hash.finish();
    if (!entry.sha256.isEmpty() && QString::fromLatin1(hash.sha256Hex()) != entry.sha256) {
        upload.abort();
        return {ExitCode::Integrity, QStringLiteral("the mirror copy (%1) does not match its recorded SHA-256; the "
                                                    "object was not written")
                                         .arg(m_store->fullPath(entry.storedKey))};
    }
    if (!upload.finish())
        return upload.error();
    if (md5Hex)
        *md5Hex = upload.md5Hex();
    return {};
}

Error MirrorRestoreJob::replaceObject(const MirrorEntry &entry, const QString &targetKey) {
    const QString temp = targetKey + QStringLiteral(".lifeboat-restore-") +
                         QString::number(QRandomGenerator::global()->generate64(), 36);
    QString md5;
    if (Error e = writeObject(entry, temp, true, &md5))
        return e; // the original is untouched
    if (entry.size > S3UploadSink::kMaxPartSize) {
        // S3 copies at most 5 GiB in one request. The verified temporary copy proves the bytes; the original is
        // then replaced by a second upload that is completed only after its own hash matched (S3 swaps an object
        // only when its upload completes), so the original is still never gone before a verified replacement.
        Error e = writeObject(entry, targetKey, false);
        m_target->deleteObject(temp);
        return e;
    }
    QMap<QString, QString> metadata;
    if (!entry.sha256.isEmpty())
        metadata.insert(QStringLiteral("sha256"), entry.sha256);
    if (Error e = m_target->copyObject(temp, targetKey, metadata)) {
        m_target->deleteObject(temp);
        return e;
    }
    S3ObjectInfo info;
    Error e = m_target->headObject(targetKey, &info);
    const bool md5Etag = !info.serverSideEncryption.startsWith(QLatin1String("aws:kms")) &&
                         info.serverSideEncryption != QLatin1String("SSE-C");
    if (!e && (info.size != entry.size || (md5Etag && info.etag.toLower() != md5)))
        e = {ExitCode::Transfer, QStringLiteral("after replacing %1 from its verified temporary copy %2, the server "
                                                "reports %3 bytes and ETag %4 (expected %5 bytes, %6); the temporary "
                                                "copy was kept")
                                     .arg(targetKey, temp)
                                     .arg(info.size)
                                     .arg(info.etag)
                                     .arg(entry.size)
                                     .arg(md5)};
    if (!e)
        m_target->deleteObject(temp);
    return e;
}

JobResult MirrorRestoreJob::execute() {
    JobProgress progress;
    progress.phase = QStringLiteral("checking");
    reportProgress(progress, true);
    Check plan;
    if (Error e = check(&plan)) {
        log(e.message);
        return {e, m_req.record.id, {}};
    }
    QHash<QString, const MirrorEntry *> byKey;
    for (const MirrorEntry &entry : std::as_const(plan.manifest.entries))
        byKey.insert(entry.key, &entry);
    progress.phase = QStringLiteral("restoring");
    progress.itemsTotal = static_cast<int>(plan.toWrite.size());
    for (const QString &key : std::as_const(plan.toWrite)) {
        if (isCancelled())
            return cancelledResult();
        const MirrorEntry &entry = *byKey.value(key);
        const QString targetKey = plan.targetPrefix + key;
        progress.currentItem = key;
        reportProgress(progress);
        // A key that exists (a conflict, with --overwrite) is never written to directly: the copy goes to a
        // temporary key first, is verified there, and only then replaces the original — which stays in place until
        // its replacement is known good. A free key is created conditionally (If-None-Match: *).
        const bool replace = plan.conflicts.contains(key);
        if (Error e = replace ? replaceObject(entry, targetKey) : writeObject(entry, targetKey, true)) {
            e.message = QStringLiteral("restoring \"%1\": %2").arg(key, e.message);
            log(e.message);
            return {e, m_req.record.id, {}};
        }
        progress.bytes += entry.size;
        ++progress.itemsDone;
    }
    progress.phase = QStringLiteral("done");
    reportProgress(progress, true);
    log(QStringLiteral("restored %1 objects (%2) into %3/%4; %5 already identical")
            .arg(plan.toWrite.size())
            .arg(QLocale::c().formattedDataSize(progress.bytes), m_target->config().bucket, plan.targetPrefix)
            .arg(plan.identical.size()));
    return {{},
            m_req.record.id,
            QJsonObject{{QStringLiteral("id"), m_req.record.id},
                        {QStringLiteral("bucket"), m_target->config().bucket},
                        {QStringLiteral("prefix"), plan.targetPrefix},
                        {QStringLiteral("restored"), static_cast<int>(plan.toWrite.size())},
                        {QStringLiteral("identical"), static_cast<int>(plan.identical.size())},
                        {QStringLiteral("overwritten"), static_cast<int>(plan.conflicts.size())},
                        {QStringLiteral("bytes"), progress.bytes}}};
}

} // namespace lifeboat
