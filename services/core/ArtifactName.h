#pragma once

#include <QDateTime>
#include <QString>

namespace lifeboat {

// Artifact names: {profile}_{database}_{YYYY-MM-DD_HH-MM-SS}Z.{ext}[.age] in UTC, and the S3 key layout
// {prefix}/{type}/{YYYY-MM-DD}/{artifact}. Parts are made filesystem- and URL-safe.
class ArtifactName {
public:
    // sequence > 1 makes a second backup started in the same second distinct: …_HH-MM-SSZ-2.dump
    static QString make(const QString &profile, const QString &database, const QDateTime &startedUtc,
                        const QString &extension, bool encrypted, int sequence = 1);
    static QString s3Key(const QString &prefix, const QString &type, const QDateTime &startedUtc,
                         const QString &artifact);
    static QString manifestName(const QString &artifact) { return artifact + QStringLiteral(".manifest.json"); }
    static QString safePart(const QString &part);
    // Parses the timestamp back out of a name made by make(); invalid when the name has another shape.
    static QDateTime timestampOf(const QString &artifact);
    // How a job names what it reads: "backup #12" for a catalog id, the path or URL as given otherwise.
    static QString sourceLabel(const QString &spec);
};

} // namespace lifeboat
