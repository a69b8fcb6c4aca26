#include "wal/WalArchiver.h"

#include "pipeline/Sha256.h"
#include "wal/WalCodec.h"

#include <QFile>
#include <QFileInfo>

namespace lifeboat {

WalArchiver::WalArchiver(Setup setup)
    : m_setup(std::move(setup)) {}

WalArchiver::~WalArchiver() = default;

WalArchiver::Outcome WalArchiver::pushFile(const QString &path) {
    Outcome o;
    const QString base = QFileInfo(path).fileName();
    const auto wal = WalName::parse(base);
    if (!wal) {
        o.error = {ExitCode::Usage, QStringLiteral("%1 is not a WAL file name (a segment such as "
                                                   "000000010000000000000001, a .partial segment, a timeline "
                                                   ".history or a .backup history file)")
                                        .arg(base)};
        return o;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        o.error = {ExitCode::Usage, QStringLiteral("cannot read %1: %2").arg(path, f.errorString())};
        return o;
    }
    const QByteArray plain = f.readAll();
    if (f.error() != QFile::NoError) {
        o.error = {ExitCode::Transfer, QStringLiteral("reading %1 failed: %2").arg(path, f.errorString())};
        return o;
    }
    return push(*wal, plain);
}

WalArchiver::Existing WalArchiver::compareStored(WalStorage &storage, const WalName &wal, const QString &plainSha,
                                                 WalFileRecord *row, Error *error) {
    WalFileFilter filter;
    filter.profile = m_setup.profile;
    filter.name = wal.name;
    filter.kind = wal.kind;
    filter.storage = storage.name();
    const QList<WalFileRecord> rows = m_setup.catalog->walFiles(filter);
    if (!rows.isEmpty()) {
        *row = rows.first();
        if (row->plainSha256 != plainSha)
            return Existing::Different;
        // The catalog says so; the object must still be there, else it is stored again.
        WalStorage::Object obj;
        bool found = false;
        if (const Error e = storage.stat(wal.relativePath(m_setup.profile, row->encrypted), &obj, &found)) {
            *error = e;
            return Existing::Unknown;
        }
        return found ? Existing::Same : Existing::None;
    }
    // No row (a catalog lost or rebuilt, or a run killed between storing and recording): the object decides.
    for (const bool encrypted : {false, true}) {
        const QString rel = wal.relativePath(m_setup.profile, encrypted);
        WalStorage::Object obj;
        bool found = false;
        if (const Error e = storage.stat(rel, &obj, &found)) {
            *error = e;
            return Existing::Unknown;
        }
        if (!found)
            continue;
        QByteArray stored;
        if (const Error e = storage.get(rel, &stored, &found)) {
            *error = e;
            return Existing::Unknown;
        }
        QString storedPlainSha = obj.plainSha256;
        qint64 plainSize = -1;
        if (!encrypted) {
            QByteArray plain;
            Error decodeError;
            if (WalCodec::decode(stored, false, {}, &plain, &decodeError)) {
                storedPlainSha = QString::fromLatin1(Sha256::hex(plain));
                plainSize = plain.size();
            } else {
                storedPlainSha = QStringLiteral("damaged");
            }
        }
        if (storedPlainSha.isEmpty()) {
            *error = {ExitCode::Integrity,
                      QStringLiteral("storage \"%1\" already holds %2, encrypted and without a recorded checksum, so "
                                     "it cannot be compared with %3; nothing was replaced — check it with `lifeboatctl "
                                     "wal fetch` and remove it if it is not wanted")
                          .arg(storage.name(), storage.location(rel), wal.fileName())};
            return Existing::Unknown;
        }
        row->encrypted = encrypted;
        row->path = storage.location(rel);
        row->size = stored.size();
        row->sha256 = QString::fromLatin1(Sha256::hex(stored));
        row->plainSha256 = storedPlainSha;
        row->plainSize = plainSize;
        return storedPlainSha == plainSha ? Existing::Same : Existing::Different;
    }
    return Existing::None;
}

bool WalArchiver::record(WalStorage &storage, const WalName &wal, const QString &relativePath, qint64 size,
                         const QString &sha, const QString &plainSha, qint64 plainSize, bool encrypted, Error *error) {
    WalFileRecord r;
    r.profile = m_setup.profile;
    r.timeline = wal.timeline;
    r.name = wal.name;
    r.kind = wal.kind;
    r.storage = storage.name();
    r.path = storage.location(relativePath);
    r.size = size;
    r.sha256 = sha;
    r.plainSha256 = plainSha;
    r.plainSize = plainSize;
    r.encrypted = encrypted;
    r.stored = QDateTime::currentDateTimeUtc();
    QString why;
    if (m_setup.catalog->putWalFile(r, &why))
        return true;
    *error = {ExitCode::Transfer, why};
    return false;
}

void WalArchiver::removePartial(WalStorage &storage, const WalName &wal) {
    WalName partial = wal;
    partial.kind = QStringLiteral("partial");
    for (const bool encrypted : {false, true}) {
        const QString rel = partial.relativePath(m_setup.profile, encrypted);
        WalStorage::Object obj;
        bool found = false;
        if (!storage.stat(rel, &obj, &found) && found) {
            if (const Error e = storage.remove(rel); e && m_log)
                m_log(QStringLiteral("the partial segment %1 stays: %2").arg(storage.location(rel), e.message));
        }
    }
    WalFileRecord row;
    row.profile = m_setup.profile;
    row.name = wal.name;
    row.kind = partial.kind;
    row.storage = storage.name();
    m_setup.catalog->removeWalFile(row, nullptr);
}

WalArchiver::Outcome WalArchiver::push(const WalName &wal, const QByteArray &plain) {
    Outcome o;
    o.wal = wal;
    if (m_setup.storages.empty()) {
        o.error = {ExitCode::Usage, QStringLiteral("profile \"%1\" has no archive storage — give it default storages "
                                                   "(`profile add … --storage NAME`) or pass --storage NAME")
                                        .arg(m_setup.profile)};
        return o;
    }
    const bool replaceable = wal.kind == QLatin1String("partial");
    const QString plainSha = QString::fromLatin1(Sha256::hex(plain));

    // First every storage is asked, so a conflict anywhere refuses before anything is written anywhere.
    std::vector<bool> needed(m_setup.storages.size(), true);
    for (size_t i = 0; i < m_setup.storages.size() && !replaceable; ++i) {
        WalStorage &s = *m_setup.storages[i];
        WalFileRecord row;
        Error e;
        switch (compareStored(s, wal, plainSha, &row, &e)) {
        case Existing::None:
            break;
        case Existing::Same:
            needed[i] = false;
            o.already << s.name();
            if (row.id == 0) { // found in storage without a row: record it now
                if (!record(s, wal, wal.relativePath(m_setup.profile, row.encrypted), row.size, row.sha256,
                            row.plainSha256, row.plainSize >= 0 ? row.plainSize : plain.size(), row.encrypted,
                            &o.error))
                    return o;
            }
            break;
        case Existing::Different:
            o.error = {ExitCode::Integrity,
                       QStringLiteral("%1 is already archived in storage \"%2\" (%3) with different contents (plain "
                                      "SHA-256 %4, this file %5); nothing was replaced. Two servers may be archiving "
                                      "into the same profile, or the server was restored without a new timeline.")
                           .arg(wal.fileName(), s.name(), row.path, row.plainSha256, plainSha)};
            return o;
        case Existing::Unknown:
            o.error = e;
            return o;
        }
    }

    WalCodec::Encoded encoded;
    bool encodedDone = false;
    const bool encrypted = !m_setup.recipients.empty();
    const QString rel = wal.relativePath(m_setup.profile, encrypted);
    for (size_t i = 0; i < m_setup.storages.size(); ++i) {
        if (!needed[i])
            continue;
        WalStorage &s = *m_setup.storages[i];
        if (!encodedDone) {
            if (!WalCodec::encode(plain, m_setup.recipients, &encoded, &o.error))
                return o;
            encodedDone = true;
        }
        if (replaceable) {
            // A partial of the other encryption state would be a second, stale copy: it goes.
            const QString other = wal.relativePath(m_setup.profile, !encrypted);
            WalStorage::Object obj;
            bool found = false;
            if (!s.stat(other, &obj, &found) && found)
                s.remove(other);
        }
        Error e;
        const WalStorage::Put put = s.put(rel, encoded.bytes, plainSha, replaceable, &e);
        if (put == WalStorage::Put::Failed) {
            o.error = e;
            return o;
        }
        if (put == WalStorage::Put::Exists) {
            // Another writer stored it between the check and now: compare once more.
            WalFileRecord row;
            const Existing again = compareStored(s, wal, plainSha, &row, &e);
            if (again != Existing::Same) {
                o.error = e ? e
                            : Error{ExitCode::Integrity,
                                    QStringLiteral("%1 appeared in storage \"%2\" with different contents while this "
                                                   "push ran; nothing was replaced")
                                        .arg(wal.fileName(), s.name())};
                return o;
            }
            if (row.id == 0 && !record(s, wal, wal.relativePath(m_setup.profile, row.encrypted), row.size, row.sha256,
                                       row.plainSha256, plain.size(), row.encrypted, &o.error))
                return o;
            o.already << s.name();
            continue;
        }
        if (!record(s, wal, rel, encoded.bytes.size(), encoded.sha256, plainSha, plain.size(), encrypted, &o.error))
            return o;
        o.stored << s.name();
        if (m_log)
            m_log(QStringLiteral("%1 → %2 (%3 bytes)").arg(wal.fileName(), s.location(rel)).arg(encoded.bytes.size()));
    }
    if (wal.kind == QLatin1String("segment")) {
        for (const auto &s : m_setup.storages)
            removePartial(*s, wal);
    }
    return o;
}

} // namespace lifeboat
