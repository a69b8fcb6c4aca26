#include "jobs/ArtifactReader.h"

#include "jobs/BucketArtifacts.h"
#include "jobs/StoreFactory.h"
#include "pipeline/AtomicFileSink.h"
#include "pipeline/HashStage.h"
#include "pipeline/TeeSink.h"
#include "storage/S3Download.h"
#include "storage/S3Session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace lifeboat {

namespace {
// A tee branch that only tells its owner that bytes went by.
class ChunkSignal : public ByteSink {
public:
    explicit ChunkSignal(const std::function<void()> &fn)
        : m_fn(fn) {}
    bool write(QByteArrayView) override {
        if (m_fn)
            m_fn();
        return true;
    }
    bool finish() override { return true; }
    void abort() override {}

private:
    const std::function<void()> &m_fn;
};
} // namespace

ArtifactReader::ArtifactReader(QList<StorageConfig> storages, const std::atomic_bool *cancel)
    : m_storages(std::move(storages))
    , m_cancel(cancel) {}

bool ArtifactReader::streamFile(const QString &path, ByteSink *sink, qint64 offset, const std::atomic_bool *cancel,
                                Error *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = {ExitCode::Transfer, QStringLiteral("cannot read %1: %2").arg(path, f.errorString())};
        return false;
    }
    if (offset > 0 && !f.seek(offset)) {
        if (error)
            *error = {ExitCode::Transfer, QStringLiteral("cannot seek in %1").arg(path)};
        return false;
    }
    QByteArray buf(1 << 20, Qt::Uninitialized);
    qint64 n;
    while ((n = f.read(buf.data(), buf.size())) > 0) {
        if (cancel && cancel->load()) {
            if (error)
                *error = {ExitCode::Cancelled, QStringLiteral("cancelled")};
            return false;
        }
        if (!sink->write(QByteArrayView(buf.constData(), n))) {
            if (error)
                *error = sink->error();
            return false;
        }
    }
    if (n < 0) {
        if (error)
            *error = {ExitCode::Transfer, QStringLiteral("reading %1 failed: %2").arg(path, f.errorString())};
        return false;
    }
    return true;
}

std::shared_ptr<S3Session> ArtifactReader::sessionFor(const BackupLocation &loc, QString *problem) {
    for (const StorageConfig &sc : std::as_const(m_storages)) {
        if (sc.name != loc.storage)
            continue;
        Error e;
        auto session = StoreFactory::s3Session(sc, m_secretFor ? m_secretFor(sc.name) : QString(), &e);
        if (!session)
            *problem = e.message;
        return session;
    }
    *problem = QStringLiteral("storage \"%1\" is not configured here (add it with `storage add`)").arg(loc.storage);
    return nullptr;
}

QString ArtifactReader::CopyUsed::describe() const {
    if (!valid())
        return {};
    return QStringLiteral("%1 storage \"%2\" (%3)")
        .arg(kind == QLatin1String("s3") ? QStringLiteral("S3") : kind, storage, location);
}

QJsonObject ArtifactReader::CopyUsed::toJson() const {
    return {{QStringLiteral("storage"), storage},
            {QStringLiteral("kind"), kind},
            {QStringLiteral("location"), location},
            {QStringLiteral("skipped"), QJsonArray::fromStringList(skipped)}};
}

QList<BackupLocation> ArtifactReader::preferredOrder(const QList<BackupLocation> &locations) {
    QList<BackupLocation> out;
    for (const BackupLocation &l : locations) {
        if (l.kind == QLatin1String("local"))
            out << l;
    }
    for (const BackupLocation &l : locations) {
        if (l.kind == QLatin1String("s3"))
            out << l;
    }
    for (const BackupLocation &l : locations) {
        if (l.kind != QLatin1String("local") && l.kind != QLatin1String("s3"))
            out << l;
    }
    return out;
}

bool ArtifactReader::copyFileVerified(const QString &source, const QString &target, const QString &expectedSha256,
                                      bool durable, const std::atomic_bool *cancel, Error *error,
                                      const std::function<void()> &onChunk) {
    AtomicFileSink file(target);
    file.setDurable(durable);
    if (!file.open()) {
        *error = file.error();
        return false;
    }
    // Hash beside the file (not in front of it), so the hash is known before the file is renamed.
    HashStage hash(nullptr);
    ChunkSignal chunk(onChunk);
    TeeSink tee({&hash, &file, &chunk});
    if (!streamFile(source, &tee, 0, cancel, error)) {
        file.abort();
        return false;
    }
    hash.finish();
    const QString actual = QString::fromLatin1(hash.sha256Hex());
    if (!expectedSha256.isEmpty() && actual != expectedSha256) {
        file.abort();
        *error = {ExitCode::Integrity,
                  QStringLiteral("checksum mismatch: expected %1, got %2").arg(expectedSha256, actual)};
        return false;
    }
    if (!file.finish()) {
        *error = file.error();
        return false;
    }
    return true;
}

bool ArtifactReader::downloadTo(const BackupRecord &record, const QString &dir, QString *finalPath, bool scratch,
                                CopyUsed *used) {
    if (record.locations.isEmpty())
        return fail(ExitCode::Usage,
                    QStringLiteral("backup #%1 has no stored copy (status %2)").arg(record.id).arg(record.status));
    if (!QDir().mkpath(dir))
        return fail(ExitCode::Usage, QStringLiteral("cannot create %1").arg(dir));
    const QString target = QDir(dir).filePath(QFileInfo(record.filename).fileName());
    // Each copy is read exactly once, hashed on its way into target.partial; only a copy whose hash matches gets the
    // final name. A copy that is missing, unreadable or damaged leaves nothing behind and the next one is tried.
    if (QFileInfo::exists(target))
        return fail(ExitCode::Usage, QStringLiteral("%1 already exists; refusing to overwrite it").arg(target));
    QStringList skipped;
    bool damaged = false;
    for (const BackupLocation &loc : preferredOrder(record.locations)) {
        if (m_cancel && m_cancel->load())
            return fail(ExitCode::Cancelled, QStringLiteral("cancelled"));
        const QString where =
            QStringLiteral("%1 storage \"%2\" (%3)")
                .arg(loc.kind == QLatin1String("s3") ? QStringLiteral("S3") : loc.kind, loc.storage, loc.path);
        Error e;
        if (loc.kind == QLatin1String("local")) {
            if (!QFileInfo::exists(loc.path)) {
                skipped << where + QStringLiteral(": missing");
                continue;
            }
            if (!copyFileVerified(loc.path, target, record.sha256, !scratch, m_cancel, &e, m_onProgress)) {
                // Only a problem of this copy (unreadable, damaged) moves on; the destination's is everyone's.
                if (e.code != ExitCode::Transfer && e.code != ExitCode::Integrity)
                    return fail(e.code, e.message);
                damaged = damaged || e.code == ExitCode::Integrity;
                skipped << where + QStringLiteral(": ") + e.message;
                continue;
            }
        } else if (loc.kind == QLatin1String("s3")) {
            QString problem;
            auto session = sessionFor(loc, &problem);
            if (!session) {
                skipped << where + QStringLiteral(": ") + problem;
                continue;
            }
            // S3Download resumes an interrupted download with a Range request and checks the hash before the final
            // name; a private scratch copy starts from nothing, so nothing stale is resumed.
            if (m_onProgress)
                m_onProgress();
            e = S3Download::toFile(*session, loc.path, target, record.sha256.toLatin1(), nullptr, !scratch);
            if (m_onProgress)
                m_onProgress();
            if (e) {
                if (e.code == ExitCode::Cancelled || (m_cancel && m_cancel->load()))
                    return fail(ExitCode::Cancelled, QStringLiteral("cancelled"));
                damaged = damaged || e.code == ExitCode::Integrity;
                skipped << where + QStringLiteral(": ") + e.message;
                continue;
            }
        } else {
            skipped << where + QStringLiteral(": this kind of storage is not readable here");
            continue;
        }
        if (used)
            *used = {loc.storage, loc.kind, loc.path, skipped};
        if (finalPath)
            *finalPath = target;
        return true;
    }
    if (damaged)
        return fail(ExitCode::Integrity, QStringLiteral("no intact copy of %1 (backup #%2): %3 — nothing was kept")
                                             .arg(record.filename)
                                             .arg(record.id)
                                             .arg(skipped.join(QStringLiteral("; "))));
    return fail(ExitCode::Transfer, QStringLiteral("no copy of backup #%1 could be read (%2)")
                                        .arg(record.id)
                                        .arg(skipped.join(QStringLiteral("; "))));
}

BackupRecord ArtifactReader::rolesCompanion(const BackupRecord &record) {
    const GlobalsCompanion &g = record.globals;
    BackupRecord companion;
    companion.id = record.id;
    companion.status = record.status;
    companion.filename = g.filename;
    companion.sha256 = g.sha256;
    companion.size = g.size;
    for (const BackupLocation &l : record.locations)
        companion.locations.append({l.storage, l.kind, g.siblingOf(l.path), QString()});
    return companion;
}

QStringList ArtifactReader::downloadCompanions(const BackupRecord &record, const CopyUsed &used,
                                               const QString &artifactPathGiven, QStringList *problems) {
    QStringList written;
    const QString artifactPath = QFileInfo(artifactPathGiven).absoluteFilePath();
    const QString manifestTarget = artifactPath + QStringLiteral(".manifest.json");
    BackupLocation from;
    for (const BackupLocation &l : record.locations)
        if (l.storage == used.storage && l.path == used.location)
            from = l;
    Error e;
    if (from.manifestPath.isEmpty()) {
        *problems << QStringLiteral("the manifest: the copy read has none recorded");
    } else if (QFileInfo::exists(manifestTarget)) {
        *problems << QStringLiteral("the manifest: %1 already exists; not overwritten").arg(manifestTarget);
    } else if (from.kind == QLatin1String("local")) {
        if (copyFileVerified(from.manifestPath, manifestTarget, QString(), true, m_cancel, &e))
            written << manifestTarget;
        else
            *problems << QStringLiteral("the manifest %1: %2").arg(from.manifestPath, e.message);
    } else {
        // Read whole into memory, size-capped and parsed (BucketArtifacts::readManifest, as catalog rebuild reads it),
        // then written through a fresh NAME.partial: no resumable .partial of someone else's is picked up.
        QString problem;
        auto session = sessionFor(from, &problem);
        Manifest parsed;
        bool found = false;
        QByteArray bytes;
        if (!session)
            e = {ExitCode::Transfer, problem};
        else if (!(e = BucketArtifacts::readManifest(*session, from.path, &parsed, &found, &bytes)) && !found)
            e = {ExitCode::Transfer, QStringLiteral("not in the bucket")};
        if (!e) {
            AtomicFileSink file(manifestTarget);
            if (!file.open() || !file.write(bytes) || !file.finish())
                e = file.error();
        }
        if (e)
            *problems << QStringLiteral("the manifest %1: %2").arg(from.manifestPath, e.message);
        else
            written << manifestTarget;
    }

    const GlobalsCompanion &g = record.globals;
    if (!g.present())
        return written;
    // Read like a backup of its own: hashed on the way in, the next copy when one is missing or damaged.
    QString path;
    if (downloadTo(rolesCompanion(record), QFileInfo(artifactPath).absolutePath(), &path))
        written << path;
    else
        *problems << QStringLiteral("the roles file %1: %2").arg(g.filename, m_error.message);
    return written;
}

} // namespace lifeboat
