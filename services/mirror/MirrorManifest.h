#pragma once

#include "storage/S3Types.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace lifeboat {

// One source object as a mirror run saw it. `key` is relative to the mirrored prefix; `etag` and `size` are the
// source's (what the next run compares); `storedKey` is where the bytes of this version live in the mirror,
// relative to the mirror's root ("objects/<run>/<key>"): an unchanged object keeps the stored key of the run that
// copied it, so every run's list names exactly the bytes the source held at that run.
struct MirrorEntry {
    QString key;
    qint64 size = 0;
    QString etag;
    QString sha256; // of the bytes copied (carried over for unchanged objects)
    QDateTime lastModified;
    QString state; // new | changed | unchanged | deleted
    QString storedKey;

    bool isLive() const { return state != QLatin1String("deleted"); }
};

// The object list a mirror run writes beside the copied objects (and the catalog record points at). Deletions are
// recorded, never propagated: an object gone from the source stays in the mirror and is listed as "deleted"
// (once; a later run drops it from the list).
class MirrorManifest {
public:
    static constexpr int kFormatVersion = 1;

    QString name;  // mirror name
    QString runId; // UTC timestamp yyyyMMddTHHmmssZ (unique per mirror: the run folder)
    QString setId;
    QString sourceStorage;
    QString sourceBucket;
    QString sourcePrefix; // full key prefix listed in the source bucket
    QString storage;      // destination storage name
    QDateTime started;
    QDateTime finished;
    QList<MirrorEntry> entries;

    // The plan of a run: every listed object compared with the previous run's list by size and ETag. `listing`
    // keys are full source keys below `sourcePrefix`; folder markers (keys ending in '/') are skipped.
    static QList<MirrorEntry> plan(const QList<MirrorEntry> &previous, const QList<S3ObjectInfo> &listing,
                                   const QString &sourcePrefix, const QString &runId);
    static QString storedKeyFor(const QString &runId, const QString &key);

    int count(const QString &state) const;
    int liveCount() const;
    qint64 liveBytes() const;

    QByteArray toJson() const;
    static MirrorManifest fromJson(const QByteArray &json, QString *error);
};

} // namespace lifeboat
