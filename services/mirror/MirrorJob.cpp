#include "mirror/MirrorJob.h"

#include "core/ArtifactName.h"
#include "core/ProcessIdentity.h"
#include "jobs/StoreFactory.h"
#include "mirror/MirrorStore.h"
#include "pipeline/HashStage.h"
#include "pipeline/Sha256.h"
#include "storage/S3Session.h"
#include "storage/S3UploadSink.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QLocale>
#include <QSysInfo>

namespace lifeboat {

MirrorJob::MirrorJob(Request request, QObject *parent)
    : Job(parent)
    , m_req(std::move(request)) {}

MirrorJob::~MirrorJob() = default;

QString MirrorJob::title() const {
    return QStringLiteral("Mirror of %1").arg(m_req.mirror.name);
}

QString MirrorJob::sourceKeyPrefix(const S3Config &source, const QString &mirrorPrefix) {
    QString rel = mirrorPrefix;
    while (rel.startsWith(QLatin1Char('/')))
        rel.remove(0, 1);
    if (!rel.isEmpty() && !rel.endsWith(QLatin1Char('/')))
        rel += QLatin1Char('/');
    return source.keyFor(rel);
}

std::optional<BackupRecord> MirrorJob::lastRun(Catalog &catalog, const QString &mirrorName) {
    CatalogFilter f;
    f.kind = QStringLiteral("mirror");
    f.profile = mirrorName;
    f.status = BackupRecord::statusCompleted();
    f.limit = 1;
    const QList<BackupRecord> runs = catalog.list(f);
    if (runs.isEmpty())
        return std::nullopt;
    return runs.first();
}

Error MirrorJob::copyObject(S3Session &source, MirrorStore &store, const QString &sourceKey, MirrorEntry &entry) {
    Error e;
    std::unique_ptr<ByteSink> writer = store.writer(entry.storedKey, entry.size, &e);
    if (!writer)
        return e;
    HashStage hash(writer.get());
    // The GET streams into the upload on the source session's network thread; the upload's back-pressure blocks
    // that thread, never ours.
    e = source.getObject(sourceKey, &hash);
    if (!e && !hash.finish())
        e = hash.error();
    if (!e && hash.bytes() != entry.size)
        e = {ExitCode::Integrity, QStringLiteral("\"%1\" changed while it was copied (%2 bytes listed, %3 read); "
                                                 "run the mirror again")
                                      .arg(sourceKey)
                                      .arg(entry.size)
                                      .arg(hash.bytes())};
    if (e) {
        writer->abort();
        return {e.code, QStringLiteral("copying \"%1\": %2").arg(sourceKey, e.message)};
    }
    entry.sha256 = QString::fromLatin1(hash.sha256Hex());
    if (const auto *upload = dynamic_cast<const S3UploadSink *>(writer.get()); upload && upload->usedMultipart())
        ++m_multipartObjects;
    return {};
}

JobResult MirrorJob::finishRecord(BackupRecord &record, const Error &e, MirrorStore *store, const QString &runId) {
    record.finished = QDateTime::currentDateTimeUtc();
    record.durationMs = record.started.msecsTo(record.finished);
    if (e) {
        record.status = e.code == ExitCode::Cancelled ? BackupRecord::statusCancelled() : BackupRecord::statusFailed();
        record.error = e.message;
        record.locations.clear();
        if (store)
            store->removeRun(runId);
        log(e.message);
    } else {
        record.status = BackupRecord::statusCompleted();
    }
    QString catalogError;
    if (!m_req.catalog->update(record, &catalogError)) {
        return {{ExitCode::Usage,
                 QStringLiteral("catalog update failed for mirror run %1: %2").arg(record.filename, catalogError)},
                record.id,
                {}};
    }
    return {e, record.id, {}};
}

JobResult MirrorJob::execute() {
    const MirrorConfig &mc = m_req.mirror;
    const QDateTime started = QDateTime::currentDateTimeUtc();
    m_progress.phase = QStringLiteral("listing");
    reportProgress(m_progress, true);
    if (!m_req.source.isS3())
        return {
            {ExitCode::Usage, QStringLiteral("the mirror source \"%1\" is not an S3 storage").arg(mc.sourceStorage)},
            0,
            {}};
    Error e;
    auto source = StoreFactory::s3Session(m_req.source, m_req.sourceSecret, &e);
    if (!source)
        return {e, 0, {}};
    auto store = MirrorStore::open(m_req.destination, m_req.destinationSecret, mc.name, &e);
    if (!store)
        return {e, 0, {}};

    // The previous run's list decides what is unchanged.
    QList<MirrorEntry> previous;
    if (const auto last = lastRun(*m_req.catalog, mc.name); last && !last->locations.isEmpty()) {
        QByteArray json;
        QString why;
        e = store->readObjectList(last->locations.first(), &json);
        const MirrorManifest before = e ? MirrorManifest() : MirrorManifest::fromJson(json, &why);
        if (e || !why.isEmpty())
            log(QStringLiteral("the previous object list (run #%1) is unreadable (%2); copying everything")
                    .arg(last->id)
                    .arg(e ? e.message : why));
        else
            previous = before.entries;
    }

    const QString prefix = sourceKeyPrefix(source->config(), mc.sourcePrefix);
    S3ListResult listing;
    if (Error le = source->listAll(prefix, QString(), &listing))
        return {
            {le.code,
             QStringLiteral("listing the mirror source %1/%2: %3").arg(source->config().bucket, prefix, le.message)},
            0,
            {}};

    // Run ids are the folder of the run's objects: one per second, made unique if two runs share a second.
    QString runId = started.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QString filename;
    for (int seq = 1;; ++seq) {
        const QString id = seq == 1 ? runId : QStringLiteral("%1-%2").arg(runId).arg(seq);
        filename = QStringLiteral("mirror_%1_%2.json").arg(ArtifactName::safePart(mc.name), id);
        if (!m_req.catalog->hasFilename(filename)) {
            runId = id;
            break;
        }
    }

    MirrorManifest manifest;
    manifest.name = mc.name;
    manifest.runId = runId;
    manifest.setId = m_req.options.setId;
    manifest.sourceStorage = mc.sourceStorage;
    manifest.sourceBucket = source->config().bucket;
    manifest.sourcePrefix = prefix;
    manifest.storage = m_req.destination.name;
    manifest.started = started;
    manifest.entries = MirrorManifest::plan(previous, listing.objects, prefix, runId);

    BackupRecord record;
    record.profile = mc.name;
    record.database = manifest.sourceBucket + QLatin1Char('/') + prefix;
    record.kind = QStringLiteral("mirror");
    record.type = m_req.options.type;
    record.label = m_req.options.label;
    record.setId = m_req.options.setId;
    record.filename = filename;
    record.format = QStringLiteral("mirror");
    record.compression = QStringLiteral("none");
    record.toolVersion = QCoreApplication::applicationVersion();
    record.started = started;
    record.host = QSysInfo::machineHostName();
    record.pid = QCoreApplication::applicationPid();
    record.owner = ProcessIdentity::ownerIdentity(); // start-up recovery tells a live run by it
    QString catalogError;
    if (!m_req.catalog->insert(record, &catalogError))
        return {{ExitCode::Usage, QStringLiteral("catalog: %1").arg(catalogError)}, 0, {}};

    qint64 toCopyBytes = 0;
    int toCopy = 0;
    for (const MirrorEntry &x : std::as_const(manifest.entries)) {
        if (x.state == QLatin1String("new") || x.state == QLatin1String("changed")) {
            toCopyBytes += x.size;
            ++toCopy;
        }
    }
    log(QStringLiteral("%1: %2 objects listed, %3 to copy (%4), %5 deleted at the source")
            .arg(mc.name)
            .arg(manifest.liveCount())
            .arg(toCopy)
            .arg(QLocale::c().formattedDataSize(toCopyBytes))
            .arg(manifest.count(QStringLiteral("deleted"))));
    m_progress.phase = QStringLiteral("copying");
    m_progress.bytesTotal = toCopyBytes;
    m_progress.itemsTotal = toCopy;
    for (MirrorEntry &entry : manifest.entries) {
        if (entry.state != QLatin1String("new") && entry.state != QLatin1String("changed"))
            continue;
        if (isCancelled())
            return finishRecord(record, {ExitCode::Cancelled, QStringLiteral("cancelled")}, store.get(), runId);
        m_progress.currentItem = entry.key;
        reportProgress(m_progress);
        if (Error ce = copyObject(*source, *store, prefix + entry.key, entry))
            return finishRecord(record, ce, store.get(), runId);
        m_progress.bytes += entry.size;
        ++m_progress.itemsDone;
    }

    manifest.finished = QDateTime::currentDateTimeUtc();
    const QByteArray json = manifest.toJson();
    BackupLocation location;
    if (Error pe = store->putObjectList(runId, json, &location))
        return finishRecord(record, {pe.code, QStringLiteral("writing the object list: %1").arg(pe.message)},
                            store.get(), runId);
    record.locations = {location};
    record.size = manifest.liveBytes();
    record.sha256 = QString::fromLatin1(Sha256::hex(json));
    record.plainSha256 = record.sha256;
    record.tableCount = manifest.liveCount(); // for a mirror: the number of objects in the run's list
    JobResult result = finishRecord(record, {}, store.get(), runId);
    m_progress.phase = QStringLiteral("done");
    reportProgress(m_progress, true);
    const int copied = manifest.count(QStringLiteral("new")) + manifest.count(QStringLiteral("changed"));
    result.details = QJsonObject{{QStringLiteral("id"), record.id},
                                 {QStringLiteral("status"), record.status},
                                 {QStringLiteral("mirror"), mc.name},
                                 {QStringLiteral("runId"), runId},
                                 {QStringLiteral("objects"), manifest.liveCount()},
                                 {QStringLiteral("bytes"), manifest.liveBytes()},
                                 {QStringLiteral("copied"), copied},
                                 {QStringLiteral("copiedBytes"), toCopyBytes},
                                 {QStringLiteral("multipartObjects"), m_multipartObjects},
                                 {QStringLiteral("unchanged"), manifest.count(QStringLiteral("unchanged"))},
                                 {QStringLiteral("deleted"), manifest.count(QStringLiteral("deleted"))},
                                 {QStringLiteral("objectList"), location.path},
                                 {QStringLiteral("setId"), record.setId}};
    log(QStringLiteral("%1: copied %2 objects (%3); object list %4")
            .arg(mc.name)
            .arg(copied)
            .arg(QLocale::c().formattedDataSize(toCopyBytes), location.path));
    return result;
}

} // namespace lifeboat
