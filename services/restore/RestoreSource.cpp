#include "restore/RestoreSource.h"

#include "crypto/AgeDecryptStage.h"
#include "jobs/ArtifactReader.h"
#include "pipeline/AtomicFileSink.h"
#include "pipeline/HashStage.h"
#include "pipeline/ProgressStage.h"
#include "pipeline/UnzstdStage.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <memory>
#include <utility>

namespace lifeboat {

namespace {
// Collects the first bytes of a stream, then says "enough" by failing with Cancelled so the reader stops.
class PrefixSink : public ByteSink {
public:
    explicit PrefixSink(qsizetype limit)
        : m_limit(limit) {}
    bool write(QByteArrayView d) override {
        m_data.append(d.first(qMin(d.size(), m_limit - m_data.size())));
        if (m_data.size() >= m_limit) {
            m_full = true;
            return fail(ExitCode::Cancelled, QStringLiteral("prefix complete"));
        }
        return true;
    }
    bool finish() override { return true; }
    void abort() override {}
    QByteArray m_data;
    qsizetype m_limit;
    bool m_full = false;
};

// Passes writes through but not finish(): streamPlain() never finishes the caller's sink, also when a stage in
// front of it (age decryption) finishes its own next sink.
class WritesOnly : public ByteSink {
public:
    explicit WritesOnly(ByteSink *next)
        : m_next(next) {}
    bool write(QByteArrayView d) override { return m_next->write(d) || failFrom(*m_next); }
    bool finish() override { return true; }
    void abort() override {}

private:
    ByteSink *m_next;
};

const QByteArray kZstdMagic("\x28\xb5\x2f\xfd", 4);

// Decompresses a stream that starts with the zstd magic, passes any other through unchanged (archives made before
// Lifeboat compressed with zstd, gzip scripts, age output of those). A truncated frame fails finish().
class ZstdUnwrap : public ByteSink {
public:
    explicit ZstdUnwrap(ByteSink *next)
        : m_next(next) {}
    bool write(QByteArrayView d) override {
        if (!m_head) {
            m_prefix.append(d.data(), d.size());
            if (m_prefix.size() < kZstdMagic.size())
                return true;
            return start();
        }
        return m_head->write(d) || failFrom(*m_head);
    }
    bool finish() override {
        if (!m_head && !start())
            return false;
        return m_head->finish() || failFrom(*m_head);
    }
    void abort() override {}

private:
    bool start() {
        if (m_prefix.startsWith(kZstdMagic))
            m_decoder = std::make_unique<UnzstdStage>(m_next);
        m_head = m_decoder ? static_cast<ByteSink *>(m_decoder.get()) : m_next;
        const QByteArray pending = std::exchange(m_prefix, QByteArray());
        return pending.isEmpty() || m_head->write(pending) || failFrom(*m_head);
    }
    ByteSink *m_next;
    ByteSink *m_head = nullptr;
    std::unique_ptr<UnzstdStage> m_decoder;
    QByteArray m_prefix;
};

class NullSink : public ByteSink {
public:
    bool write(QByteArrayView) override { return true; }
    bool finish() override { return true; }
    void abort() override {}
};
} // namespace

std::optional<RestoreSource> RestoreSource::open(const QString &spec, Catalog *catalog, QList<StorageConfig> storages,
                                                 Error *error) {
    RestoreSource s;
    s.m_storages = std::move(storages);
    bool isNumber = false;
    const qint64 id = spec.toLongLong(&isNumber);
    if (isNumber && !QFileInfo::exists(spec)) {
        const auto rec = catalog ? catalog->get(id) : std::nullopt;
        if (!rec) {
            *error = {ExitCode::Usage, QStringLiteral("no backup #%1 in the catalog (see `lifeboatctl list`)").arg(id)};
            return std::nullopt;
        }
        if (rec->status != BackupRecord::statusCompleted()) {
            *error = {
                ExitCode::Usage,
                QStringLiteral("backup #%1 is %2, not COMPLETED — it cannot be restored").arg(id).arg(rec->status)};
            return std::nullopt;
        }
        s.m_record = *rec;
        s.m_expectedSha = rec->sha256;
        s.m_encrypted = rec->encrypted;
        s.m_size = rec->size;
        for (const BackupLocation &loc : rec->locations) {
            if (loc.kind == QLatin1String("local") && QFileInfo::exists(loc.manifestPath)) {
                QFile mf(loc.manifestPath);
                QString err;
                if (mf.open(QIODevice::ReadOnly)) {
                    Manifest m = Manifest::fromJson(mf.readAll(), &err);
                    if (err.isEmpty())
                        s.m_manifest = m;
                }
                break;
            }
        }
        return s;
    }
    const QFileInfo fi(spec);
    if (!fi.exists() || !fi.isFile()) {
        *error = {ExitCode::Usage, QStringLiteral("%1 is neither a backup id nor a readable file").arg(spec)};
        return std::nullopt;
    }
    s.m_path = fi.absoluteFilePath();
    s.m_size = fi.size();
    QFile mf(s.m_path + QStringLiteral(".manifest.json"));
    if (mf.exists() && mf.open(QIODevice::ReadOnly)) {
        QString err;
        Manifest m = Manifest::fromJson(mf.readAll(), &err);
        if (!err.isEmpty()) {
            *error = {ExitCode::Integrity,
                      QStringLiteral("the manifest beside %1 cannot be read: %2").arg(s.m_path, err)};
            return std::nullopt;
        }
        s.m_manifest = m;
        s.m_expectedSha = m.sha256;
        s.m_encrypted = m.encrypted;
        s.m_record.format = m.format;
        s.m_record.database = m.database;
        s.m_record.profile = m.profile;
    }
    QFile f(s.m_path);
    if (f.open(QIODevice::ReadOnly))
        s.m_encrypted = s.m_encrypted || AgeDecryptStage::looksLikeAge(f.read(64));
    return s;
}

QString RestoreSource::kind() const {
    if (isRecord())
        return m_record.kind;
    return m_manifest ? m_manifest->kind : QString();
}

Error RestoreSource::requireDatabase(const QString &action) const {
    const QString k = kind();
    if (k.isEmpty() || k == QLatin1String("database"))
        return {};
    const bool verify = action == QLatin1String("verify");
    // The id to put in the suggested command: the catalog id, or the path for a bare file.
    const QString ref = isRecord() ? QString::number(m_record.id) : m_path;
    const QString what = displayName();
    const QString source = m_record.profile.isEmpty() && m_manifest ? m_manifest->profile : m_record.profile;
    if (k == QLatin1String("files"))
        return {ExitCode::Usage,
                QStringLiteral("%1 is a file backup (source \"%2\"), not a database dump — %3 it with `lifeboatctl "
                               "files %3 %4%5`")
                    .arg(what, source, action, ref, verify ? QString() : QStringLiteral(" --to DIR"))};
    if (k == QLatin1String("mirror"))
        return {ExitCode::Usage,
                QStringLiteral("%1 is a bucket mirror run (mirror \"%2\"), not a database dump — restore it into a "
                               "bucket with `lifeboatctl mirror restore %3 --to STORAGE [--prefix P]`%4")
                    .arg(what, source, ref,
                         verify ? QStringLiteral("; its objects are checked against the run's object list then")
                                : QString())};
    if (k == QLatin1String("redis")) {
        const QString head =
            QStringLiteral("%1 is a Redis RDB snapshot (source \"%2\"), not a database dump — ").arg(what, source);
        const QString runbook = QStringLiteral("see the runbook, section \"Redis failure\" (docs/runbook.md)");
        if (verify)
            return {ExitCode::Usage, head + QStringLiteral("`lifeboatctl download %1 --to DIR` checks its SHA-256; "
                                                           "to restore it %2")
                                                .arg(ref, runbook)};
        return {ExitCode::Usage,
                head + QStringLiteral("Redis is restored by hand: `lifeboatctl download %1 --to DIR` (checksum "
                                      "verified), stop Redis with SHUTDOWN NOSAVE, put the decompressed file in place "
                                      "as dump.rdb and start it; %2")
                           .arg(ref, runbook)};
    }
    return {ExitCode::Usage,
            QStringLiteral("%1 is a %2 backup, not a database dump — `lifeboatctl %3` restores PostgreSQL backups only")
                .arg(what, k, action)};
}

QString RestoreSource::fileName() const {
    return isRecord() ? m_record.filename : QFileInfo(m_path).fileName();
}

QString RestoreSource::displayName() const {
    return isRecord() ? QStringLiteral("backup #%1 (%2)").arg(m_record.id).arg(m_record.filename) : m_path;
}

bool RestoreSource::needsFetch() const {
    if (m_fetchedVerified)
        return false;
    return isRecord() || !m_expectedSha.isEmpty();
}

bool RestoreSource::fetchVerified(const QString &dir, Error *error) {
    if (!needsFetch())
        return true;
    if (isRecord()) {
        ArtifactReader reader(m_storages, m_cancel);
        reader.setSecretLookup(m_secretFor);
        QString path;
        if (!reader.downloadTo(m_record, dir, &path, /*scratch=*/true, &m_copy)) {
            *error = reader.error();
            return false;
        }
        m_path = path;
        m_fetchedVerified = !m_expectedSha.isEmpty();
        return true;
    }
    const QString target = QDir(dir).filePath(QFileInfo(m_path).fileName());
    Error e;
    if (!ArtifactReader::copyFileVerified(m_path, target, m_expectedSha, /*durable=*/false, m_cancel, &e)) {
        *error = e.code == ExitCode::Integrity
                     ? Error{ExitCode::Integrity, QStringLiteral("%1 for %2 — the file is damaged or was changed; "
                                                                 "nothing was restored")
                                                      .arg(e.message, displayName())}
                     : e;
        return false;
    }
    m_path = target;
    m_fetchedVerified = true;
    return true;
}

QString RestoreSource::copyDescription() const {
    if (!m_copy.valid())
        return {};
    QString s = QStringLiteral("copy used: %1").arg(m_copy.describe());
    if (!m_copy.skipped.isEmpty())
        s += QStringLiteral(" — passed over: %1").arg(m_copy.skipped.join(QStringLiteral("; ")));
    return s;
}

bool RestoreSource::streamStored(ByteSink *sink, Error *error) {
    if (m_path.isEmpty()) {
        // A catalogued backup is read only from its verified scratch copy, never straight from a location.
        *error = {ExitCode::Usage, QStringLiteral("%1 has not been fetched yet").arg(displayName())};
        return false;
    }
    if (!m_storedProgress)
        return ArtifactReader::streamFile(m_path, sink, 0, m_cancel, error);
    ProgressStage counted(sink, m_storedProgress);
    return ArtifactReader::streamFile(m_path, &counted, 0, m_cancel, error);
}

bool RestoreSource::verifyIntegrity(Error *error, bool *skipped, QString *actual) {
    if (skipped)
        *skipped = m_expectedSha.isEmpty();
    if (m_expectedSha.isEmpty())
        return true;
    if (m_fetchedVerified) { // no second pass over a download that was hashed as it arrived
        if (actual)
            *actual = m_expectedSha;
        return true;
    }
    NullSink null;
    HashStage hash(&null);
    if (!streamStored(&hash, error))
        return false;
    hash.finish();
    const QString got = QString::fromLatin1(hash.sha256Hex());
    if (actual)
        *actual = got;
    if (got != m_expectedSha) {
        *error = {ExitCode::Integrity,
                  QStringLiteral("checksum mismatch for %1: expected %2, got %3 — the copy is damaged or was "
                                 "changed; nothing was restored")
                      .arg(displayName(), m_expectedSha, got)};
        return false;
    }
    return true;
}

bool RestoreSource::storedIsZstd() const {
    if (m_encrypted || m_path.isEmpty())
        return false;
    QFile f(m_path);
    return f.open(QIODevice::ReadOnly) && f.read(kZstdMagic.size()) == kZstdMagic;
}

bool RestoreSource::streamPlain(ByteSink *sink, Error *error) {
    if (!m_unwrapZstd)
        return streamDecrypted(sink, error);
    WritesOnly tail(sink);
    ZstdUnwrap unwrap(&tail);
    Error e;
    if (!streamDecrypted(&unwrap, &e)) {
        *error = e;
        return false;
    }
    if (!unwrap.finish()) {
        *error = unwrap.error();
        return false;
    }
    return true;
}

bool RestoreSource::streamDecrypted(ByteSink *sink, Error *error) {
    if (!m_encrypted)
        return streamStored(sink, error);
    if (m_identities.empty()) {
        *error = {ExitCode::Usage,
                  QStringLiteral("%1 is encrypted — pass --identity FILE or --passphrase-stdin").arg(displayName())};
        return false;
    }
    WritesOnly tail(sink);
    AgeDecryptStage age(m_identities, &tail);
    Error e;
    if (!streamStored(&age, &e)) {
        // A downstream stop (prefix full, early exit) is the sink's business; a decryption failure is ours.
        *error = age.error() && age.failure() != AgeDecryptStage::Failure::Downstream ? age.error() : e;
        return false;
    }
    if (!age.finish()) {
        *error = age.error();
        return false;
    }
    return true;
}

QByteArray RestoreSource::peekPlain(qsizetype n, Error *error) {
    PrefixSink prefix(n);
    Error e;
    if (!streamPlain(&prefix, &e) && !prefix.m_full) {
        *error = e;
        return {};
    }
    return prefix.m_data;
}

QString RestoreSource::localPlainPath() const {
    // m_path is a bare file without a known checksum (read in place) or the verified scratch copy; a catalogued
    // backup's stored locations are never handed to a tool.
    if (m_encrypted || (m_unwrapZstd && storedIsZstd()))
        return {};
    return m_path;
}

QString RestoreSource::materialize(const QString &dir, Error *error) {
    QDir().mkpath(dir);
    QString name = fileName();
    if (name.endsWith(QLatin1String(".age")))
        name.chop(4);
    if (m_unwrapZstd && name.endsWith(QLatin1String(".zst")))
        name.chop(4); // written decompressed
    QString target = QDir(dir).filePath(name.isEmpty() ? QStringLiteral("artifact") : name);
    if (QFileInfo::exists(target)) // the verified copy itself, under a name that says nothing of its compression
        target = QDir(dir).filePath(QStringLiteral("plain-") + QFileInfo(target).fileName());
    AtomicFileSink file(target);
    // Plaintext from its first byte on readable by the owner only; a scratch file, deleted when the restore ends,
    // need not survive a power cut (an fsync of a decompressed GB costs seconds).
    file.setCreatePermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.setDurable(false);
    if (!file.open()) {
        *error = file.error();
        return {};
    }
    if (!streamPlain(&file, error)) {
        file.abort();
        return {};
    }
    if (!file.finish()) {
        *error = file.error();
        return {};
    }
    QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return target;
}

} // namespace lifeboat
