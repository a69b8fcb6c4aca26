#include "files/ArtifactBackup.h"

#include "core/ArtifactName.h"
#include "core/ProcessIdentity.h"
#include "crypto/AgeEncryptStage.h"
#include "pipeline/GzipStage.h"
#include "pipeline/HashStage.h"
#include "pipeline/TeeSink.h"
#include "pipeline/ZstdStage.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSysInfo>

namespace lifeboat {

ArtifactBackup::ArtifactBackup(Setup setup)
    : m_setup(std::move(setup)) {
    if (m_setup.compression.isEmpty())
        m_setup.compression = QStringLiteral("none");
}

ArtifactBackup::~ArtifactBackup() = default;

QString ArtifactBackup::compressionLabel() const {
    if (m_setup.compression == QLatin1String("gzip"))
        return QStringLiteral("gzip:%1").arg(m_setup.level < 0 ? 6 : m_setup.level);
    if (m_setup.compression == QLatin1String("zstd"))
        return QStringLiteral("zstd:%1").arg(m_setup.level < 0 ? 3 : m_setup.level);
    return QStringLiteral("none");
}

QString ArtifactBackup::compressionSuffix() const {
    if (m_setup.compression == QLatin1String("gzip"))
        return QStringLiteral(".gz");
    if (m_setup.compression == QLatin1String("zstd"))
        return QStringLiteral(".zst");
    return {};
}

QString ArtifactBackup::uniqueName(const QString &source, const QString &part, const QDateTime &started,
                                   const QString &extension) const {
    QString name = ArtifactName::make(source, part, started, extension, encrypted());
    for (int seq = 2; m_setup.catalog && m_setup.catalog->hasFilename(name) && seq < 1000; ++seq)
        name = ArtifactName::make(source, part, started, extension, encrypted(), seq);
    return name;
}

void ArtifactBackup::discardAll() {
    for (auto &s : m_setup.stores)
        s->discard();
}

bool ArtifactBackup::begin(BackupRecord &record, qint64 sizeHint, Error *error) {
    if (m_setup.stores.empty()) {
        *error = {ExitCode::Usage, QStringLiteral("no storage to write to — add one with `storage add` or pass "
                                                  "--storage")};
        return false;
    }
    for (auto &s : m_setup.stores) {
        if (!s->begin(record.filename, record.type.section(QLatin1Char(','), 0, 0), record.started, sizeHint)) {
            *error = s->error();
            discardAll();
            return false;
        }
        m_begun << s.get();
    }
    std::vector<ByteSink *> sinks;
    for (BackupStore *s : std::as_const(m_begun))
        sinks.push_back(s->sink());
    m_tee = std::make_unique<TeeSink>(sinks);
    const auto threading = m_setup.hashOnThreads ? HashStage::Threading::OwnThread : HashStage::Threading::Inline;
    m_stored = std::make_unique<HashStage>(m_tee.get(), threading);
    m_head = m_stored.get();
    if (encrypted()) {
        m_encrypt = std::make_unique<AgeEncryptStage>(m_setup.encryptTo, m_stored.get());
        m_plain = std::make_unique<HashStage>(m_encrypt.get(), threading);
        m_head = m_plain.get();
    }
    const int level = m_setup.level;
    if (m_setup.compression == QLatin1String("gzip"))
        m_compress = std::make_unique<GzipStage>(m_head, level < 0 ? 6 : level);
    else if (m_setup.compression == QLatin1String("zstd"))
        m_compress = std::make_unique<ZstdStage>(m_head, level < 0 ? 3 : level, 2);
    if (m_compress)
        m_head = m_compress.get();

    record.encrypted = encrypted();
    record.recipients = m_encrypt ? m_encrypt->recipientStrings() : QStringList(); // public keys or "scrypt"
    record.compression = compressionLabel();
    record.host = QSysInfo::machineHostName();
    record.pid = QCoreApplication::applicationPid();
    record.owner = ProcessIdentity::ownerIdentity(); // start-up recovery tells a live run by it
    // Where the copies are being written, for the start-up recovery after a crash (see BackupJob).
    record.locations.clear();
    for (BackupStore *s : std::as_const(m_begun))
        record.locations.append(s->location());
    QString catalogError;
    if (m_setup.catalog && !m_setup.catalog->insert(record, &catalogError)) {
        m_head->abort();
        discardAll();
        *error = {ExitCode::Usage, QStringLiteral("catalog: %1").arg(catalogError)};
        return false;
    }
    return true;
}

bool ArtifactBackup::finishStream(BackupRecord &record, Error *error) {
    if (!m_head->finish()) {
        *error = m_head->error();
        m_head->abort();
        return false;
    }
    record.size = m_stored->bytes();
    record.sha256 = QString::fromLatin1(m_stored->sha256Hex());
    record.plainSha256 = m_plain ? QString::fromLatin1(m_plain->sha256Hex()) : record.sha256;
    return true;
}

bool ArtifactBackup::putManifests(const QByteArray &json, BackupRecord &record, Error *error) {
    record.locations.clear(); // the planned copies (see begin) become the finished ones
    for (BackupStore *s : std::as_const(m_begun)) {
        if (!s->putManifest(json)) {
            *error = s->error();
            return false;
        }
        record.locations.append(s->location());
    }
    return true;
}

JobResult ArtifactBackup::finishRecord(BackupRecord &record, const Error &e,
                                       const std::function<void(const QString &)> &log) {
    record.finished = QDateTime::currentDateTimeUtc();
    record.durationMs = record.started.msecsTo(record.finished);
    if (e) {
        if (m_head)
            m_head->abort();
        discardAll();
        record.status = e.code == ExitCode::Cancelled ? BackupRecord::statusCancelled() : BackupRecord::statusFailed();
        record.error = e.message;
        record.locations.clear();
    } else {
        record.status = BackupRecord::statusCompleted();
    }
    QString catalogError;
    if (m_setup.catalog && !m_setup.catalog->update(record, &catalogError) && !e) {
        // The copies and manifests are complete, but the catalog can't say so: not a success.
        const Error ce{ExitCode::Usage, QStringLiteral("the backup %1 is stored, but recording it in the catalog "
                                                       "failed (%2) — run `lifeboatctl catalog rebuild STORAGE`")
                                            .arg(record.filename, catalogError)};
        log(ce.message);
        return {ce, record.id, {}};
    }
    if (!catalogError.isEmpty())
        log(QStringLiteral("warning: catalog update failed: %1").arg(catalogError));
    if (e)
        log(e.message);
    QJsonObject details{{QStringLiteral("id"), record.id},
                        {QStringLiteral("kind"), record.kind},
                        {QStringLiteral("status"), record.status},
                        {QStringLiteral("filename"), record.filename},
                        {QStringLiteral("size"), record.size},
                        {QStringLiteral("sha256"), record.sha256},
                        {QStringLiteral("durationMs"), record.durationMs}};
    QJsonArray locs;
    for (const auto &l : record.locations)
        locs.append(QJsonObject{{QStringLiteral("storage"), l.storage}, {QStringLiteral("path"), l.path}});
    details[QStringLiteral("locations")] = locs;
    if (e)
        details[QStringLiteral("error")] = e.message;
    return {e, record.id, details};
}

} // namespace lifeboat
