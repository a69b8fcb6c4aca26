#include "mirror/MirrorManifest.h"

#include <QHash>
#include <QSet>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace lifeboat {

namespace {
QString iso(const QDateTime &t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}
QDateTime fromIso(const QJsonValue &v) {
    const QString s = v.toString();
    return s.isEmpty() ? QDateTime() : QDateTime::fromString(s, Qt::ISODateWithMs).toUTC();
}
} // namespace

QString MirrorManifest::storedKeyFor(const QString &runId, const QString &key) {
    return QStringLiteral("objects/%1/%2").arg(runId, key);
}

QList<MirrorEntry> MirrorManifest::plan(const QList<MirrorEntry> &previous, const QList<S3ObjectInfo> &listing,
                                        const QString &sourcePrefix, const QString &runId) {
    QHash<QString, const MirrorEntry *> before;
    for (const MirrorEntry &e : previous) {
        if (e.isLive())
            before.insert(e.key, &e);
    }
    QList<MirrorEntry> out;
    QSet<QString> seen;
    for (const S3ObjectInfo &o : listing) {
        if (!o.key.startsWith(sourcePrefix) || o.key.endsWith(QLatin1Char('/')))
            continue;
        MirrorEntry e;
        e.key = o.key.mid(sourcePrefix.size());
        if (e.key.isEmpty() || seen.contains(e.key))
            continue;
        seen.insert(e.key);
        e.size = o.size;
        e.etag = o.etag;
        e.lastModified = o.lastModified;
        const MirrorEntry *old = before.value(e.key);
        // Size and ETag both unchanged: the same bytes (an ETag is the MD5 of a single-PUT object, and a
        // multipart ETag changes with any part). Not comparing lastModified: a rewrite of identical bytes is no
        // change worth copying.
        if (old && old->size == e.size && !old->etag.isEmpty() && old->etag == e.etag) {
            e.state = QStringLiteral("unchanged");
            e.sha256 = old->sha256;
            e.storedKey = old->storedKey;
        } else {
            e.state = old ? QStringLiteral("changed") : QStringLiteral("new");
            e.storedKey = storedKeyFor(runId, e.key);
        }
        out.append(e);
    }
    for (const MirrorEntry &e : previous) {
        if (e.isLive() && !seen.contains(e.key)) {
            MirrorEntry gone = e;
            gone.state = QStringLiteral("deleted");
            out.append(gone);
        }
    }
    return out;
}

int MirrorManifest::count(const QString &state) const {
    return static_cast<int>(
        std::count_if(entries.cbegin(), entries.cend(), [&](const MirrorEntry &e) { return e.state == state; }));
}

int MirrorManifest::liveCount() const {
    return static_cast<int>(
        std::count_if(entries.cbegin(), entries.cend(), [](const MirrorEntry &e) { return e.isLive(); }));
}

qint64 MirrorManifest::liveBytes() const {
    qint64 total = 0;
    for (const MirrorEntry &e : entries) {
        if (e.isLive())
            total += e.size;
    }
    return total;
}

QByteArray MirrorManifest::toJson() const {
    QJsonArray objects;
    for (const MirrorEntry &e : entries) {
        objects.append(QJsonObject{{QStringLiteral("key"), e.key},
                                   {QStringLiteral("size"), e.size},
                                   {QStringLiteral("etag"), e.etag},
                                   {QStringLiteral("sha256"), e.sha256},
                                   {QStringLiteral("lastModified"), iso(e.lastModified)},
                                   {QStringLiteral("state"), e.state},
                                   {QStringLiteral("stored"), e.storedKey}});
    }
    QJsonObject o{{QStringLiteral("formatVersion"), kFormatVersion},
                  {QStringLiteral("tool"), QStringLiteral("lifeboat")},
                  {QStringLiteral("kind"), QStringLiteral("mirror")},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("runId"), runId},
                  {QStringLiteral("sourceStorage"), sourceStorage},
                  {QStringLiteral("sourceBucket"), sourceBucket},
                  {QStringLiteral("sourcePrefix"), sourcePrefix},
                  {QStringLiteral("storage"), storage},
                  {QStringLiteral("started"), iso(started)},
                  {QStringLiteral("finished"), iso(finished)},
                  {QStringLiteral("objectCount"), liveCount()},
                  {QStringLiteral("objectBytes"), liveBytes()},
                  {QStringLiteral("copied"), count(QStringLiteral("new")) + count(QStringLiteral("changed"))},
                  {QStringLiteral("deleted"), count(QStringLiteral("deleted"))},
                  {QStringLiteral("objects"), objects}};
    if (!setId.isEmpty())
        o.insert(QStringLiteral("setId"), setId);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

MirrorManifest MirrorManifest::fromJson(const QByteArray &json, QString *error) {
    MirrorManifest m;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    const QJsonObject o = doc.object();
    if (!doc.isObject() || o.value(QStringLiteral("kind")).toString() != QLatin1String("mirror")) {
        if (error)
            *error = doc.isObject()
                         ? QStringLiteral("not a mirror object list")
                         : QStringLiteral("the mirror object list is not valid JSON (%1)").arg(pe.errorString());
        return m;
    }
    if (o.value(QStringLiteral("formatVersion")).toInt() > kFormatVersion) {
        if (error)
            *error = QStringLiteral("the mirror object list has format %1; this Lifeboat reads up to %2 — upgrade")
                         .arg(o.value(QStringLiteral("formatVersion")).toInt())
                         .arg(kFormatVersion);
        return m;
    }
    m.name = o.value(QStringLiteral("name")).toString();
    m.runId = o.value(QStringLiteral("runId")).toString();
    m.setId = o.value(QStringLiteral("setId")).toString();
    m.sourceStorage = o.value(QStringLiteral("sourceStorage")).toString();
    m.sourceBucket = o.value(QStringLiteral("sourceBucket")).toString();
    m.sourcePrefix = o.value(QStringLiteral("sourcePrefix")).toString();
    m.storage = o.value(QStringLiteral("storage")).toString();
    m.started = fromIso(o.value(QStringLiteral("started")));
    m.finished = fromIso(o.value(QStringLiteral("finished")));
    for (const auto &v : o.value(QStringLiteral("objects")).toArray()) {
        const QJsonObject x = v.toObject();
        MirrorEntry e;
        e.key = x.value(QStringLiteral("key")).toString();
        e.size = x.value(QStringLiteral("size")).toInteger();
        e.etag = x.value(QStringLiteral("etag")).toString();
        e.sha256 = x.value(QStringLiteral("sha256")).toString();
        e.lastModified = fromIso(x.value(QStringLiteral("lastModified")));
        e.state = x.value(QStringLiteral("state")).toString();
        e.storedKey = x.value(QStringLiteral("stored")).toString();
        m.entries.append(e);
    }
    if (error)
        error->clear();
    return m;
}

} // namespace lifeboat
