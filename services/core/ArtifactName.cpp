#include "core/ArtifactName.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace lifeboat {

QString ArtifactName::safePart(const QString &part) {
    QString out;
    out.reserve(part.size());
    for (const QChar c : part) {
        const bool ok = (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('-') || c == QLatin1Char('.');
        out += ok ? c : QLatin1Char('-');
    }
    while (out.startsWith(QLatin1Char('.')))
        out.remove(0, 1);
    return out.isEmpty() ? QStringLiteral("x") : out;
}

QString ArtifactName::make(const QString &profile, const QString &database, const QDateTime &startedUtc,
                           const QString &extension, bool encrypted, int sequence) {
    const QString stamp = startedUtc.toUTC().toString(QStringLiteral("yyyy-MM-dd_HH-mm-ss"));
    const QString seq = sequence > 1 ? QStringLiteral("-%1").arg(sequence) : QString();
    QString name = QStringLiteral("%1_%2_%3Z%4.%5").arg(safePart(profile), safePart(database), stamp, seq, extension);
    if (encrypted)
        name += QStringLiteral(".age");
    return name;
}

QString ArtifactName::s3Key(const QString &prefix, const QString &type, const QDateTime &startedUtc,
                            const QString &artifact) {
    QString p = prefix;
    while (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    const QString key = QStringLiteral("%1/%2/%3")
                            .arg(type.toLower(), startedUtc.toUTC().toString(QStringLiteral("yyyy-MM-dd")), artifact);
    return p.isEmpty() ? key : p + QLatin1Char('/') + key;
}

QDateTime ArtifactName::timestampOf(const QString &artifact) {
    static const QRegularExpression re(QStringLiteral(R"(_(\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2})Z(-\d+)?\.)"));
    const auto m = re.match(artifact);
    if (!m.hasMatch())
        return {};
    QDateTime t = QDateTime::fromString(m.captured(1), QStringLiteral("yyyy-MM-dd_HH-mm-ss"));
    t.setTimeZone(QTimeZone::utc());
    return t;
}

QString ArtifactName::sourceLabel(const QString &spec) {
    bool id = false;
    spec.toLongLong(&id);
    return id ? QStringLiteral("backup #%1").arg(spec) : spec;
}

} // namespace lifeboat
