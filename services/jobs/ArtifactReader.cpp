#include "jobs/ArtifactReader.h"

#include "jobs/StoreFactory.h"
#include "pipeline/AtomicFileSink.h"
#include "pipeline/HashStage.h"
#include "pipeline/TeeSink.h"
#include "storage/S3Download.h"
#include "storage/S3Session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace lifeboat {

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

bool ArtifactReader::streamTo(const BackupRecord &record, ByteSink *sink, qint64 offset) {
    if (record.locations.isEmpty())
        return fail(ExitCode::Usage,
                    QStringLiteral("backup #%1 has no stored copy (status %2)").arg(record.id).arg(record.status));
    QStringList tried;
    for (const BackupLocation &loc : record.locations) {
        if (loc.kind == QLatin1String("local")) {
            if (!QFileInfo::exists(loc.path)) {
                tried << QStringLiteral("%1: %2 is missing").arg(loc.storage, loc.path);
                continue;
            }
            Error e;
            if (!streamFile(loc.path, sink, offset, m_cancel, &e)) {
                m_error = e;
                return false;
            }
            return true;
        }
        if (loc.kind == QLatin1String("s3")) {
            QString problem;
            auto session = sessionFor(loc, &problem);
            if (!session) {
                tried << QStringLiteral("%1: %2").arg(loc.storage, problem);
                continue;
            }
            const Error e = session->getObject(loc.path, sink, offset);
            if (e) {
                // Data may already have gone into the sink: no silent fall-back to another copy mid-stream.
                m_error = e;
                return false;
            }
            return true;
        }
        tried << QStringLiteral("%1: %2 storage is not readable here").arg(loc.storage, loc.kind);
    }
    return fail(ExitCode::Transfer, QStringLiteral("no copy of backup #%1 could be read (%2)")
                                        .arg(record.id)
                                        .arg(tried.join(QStringLiteral("; "))));
}

bool ArtifactReader::downloadTo(const BackupRecord &record, const QString &dir, QString *finalPath, bool scratch) {
    if (!QDir().mkpath(dir))
        return fail(ExitCode::Usage, QStringLiteral("cannot create %1").arg(dir));
    const QString target = QDir(dir).filePath(QFileInfo(record.filename).fileName());
    // A copy in a bucket: S3Download resumes an interrupted download with a Range request and verifies the hash
    // before the final name.
    const bool hasLocal = std::any_of(record.locations.begin(), record.locations.end(), [](const BackupLocation &l) {
        return l.kind == QLatin1String("local") && QFileInfo::exists(l.path);
    });
    if (!hasLocal) {
        for (const BackupLocation &loc : record.locations) {
            if (loc.kind != QLatin1String("s3"))
                continue;
            QString problem;
            auto session = sessionFor(loc, &problem);
            if (!session) {
                m_error = {ExitCode::Usage, problem};
                continue; // another copy may still be reachable
            }
            const Error e = S3Download::toFile(*session, loc.path, target, record.sha256.toLatin1(), nullptr, !scratch);
            if (e) {
                m_error = e;
                if (e.code == ExitCode::Integrity)
                    m_error.message =
                        QStringLiteral("checksum mismatch for %1: the stored copy is damaged; nothing was kept (%2)")
                            .arg(record.filename, e.message);
                return false;
            }
            if (finalPath)
                *finalPath = target;
            return true;
        }
        if (m_error)
            return false;
    }
    AtomicFileSink file(target);
    if (!file.open())
        return fail(file.error().code, file.error().message);
    // Hash beside the file (not in front of it), so the hash is known before the file is renamed.
    HashStage hash(nullptr);
    TeeSink tee({&hash, &file});
    if (!streamTo(record, &tee)) {
        file.abort();
        return false;
    }
    hash.finish();
    const QString actual = QString::fromLatin1(hash.sha256Hex());
    if (actual != record.sha256) {
        file.abort();
        return fail(ExitCode::Integrity,
                    QStringLiteral("checksum mismatch for %1: expected %2, got %3 — the stored copy "
                                   "is damaged; nothing was kept")
                        .arg(record.filename, record.sha256, actual));
    }
    if (!file.finish())
        return fail(file.error().code, file.error().message);
    if (finalPath)
        *finalPath = target;
    return true;
}

} // namespace lifeboat
