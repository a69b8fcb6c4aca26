#include "catalog/RecordJson.h"

#include <QJsonArray>

#include <cmath>

namespace lifeboat {

namespace {
QJsonValue iso(const QDateTime &t) {
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODate)) : QJsonValue();
}
} // namespace

QJsonObject RecordJson::toJson(const BackupRecord &r) {
    QJsonArray locations;
    for (const auto &l : r.locations) {
        locations.append(QJsonObject{{QStringLiteral("storage"), l.storage},
                                     {QStringLiteral("kind"), l.kind},
                                     {QStringLiteral("path"), l.path},
                                     {QStringLiteral("manifest"), l.manifestPath}});
    }
    QJsonObject o{{QStringLiteral("id"), r.id},
                  {QStringLiteral("profile"), r.profile},
                  {QStringLiteral("database"), r.database},
                  {QStringLiteral("kind"), r.kind},
                  {QStringLiteral("type"), r.type},
                  {QStringLiteral("status"), r.status},
                  {QStringLiteral("filename"), r.filename},
                  {QStringLiteral("size"), r.size},
                  {QStringLiteral("sha256"), r.sha256},
                  {QStringLiteral("plainSha256"), r.plainSha256},
                  {QStringLiteral("encrypted"), r.encrypted},
                  {QStringLiteral("recipients"), QJsonArray::fromStringList(r.recipients)},
                  {QStringLiteral("format"), r.format},
                  {QStringLiteral("compression"), r.compression},
                  {QStringLiteral("serverVersion"), r.serverVersion},
                  {QStringLiteral("toolVersion"), r.toolVersion},
                  {QStringLiteral("tableCount"), r.tableCount},
                  {QStringLiteral("error"), r.error},
                  {QStringLiteral("started"), iso(r.started)},
                  {QStringLiteral("finished"), iso(r.finished)},
                  {QStringLiteral("durationMs"), r.durationMs},
                  {QStringLiteral("expires"), iso(r.expires)},
                  {QStringLiteral("label"), r.label},
                  {QStringLiteral("verifiedAt"), iso(r.verifiedAt)},
                  {QStringLiteral("verifyOutcome"), r.verifyOutcome},
                  {QStringLiteral("setId"), r.setId},
                  {QStringLiteral("scheduledFor"), iso(r.scheduledFor)},
                  {QStringLiteral("locations"), locations}};
    // Records made before bytes read was recorded (catalog migration 13) have neither key.
    if (r.bytesRead >= 0) {
        o[QStringLiteral("bytesRead")] = r.bytesRead;
        if (r.bytesRead > 0) // stored size / bytes read: 0.34 is a third of what pg_dump wrote
            o[QStringLiteral("compressionRatio")] = std::round(double(r.size) / double(r.bytesRead) * 1000.0) / 1000.0;
    }
    if (r.globals.present()) // the server's roles beside each copy (profile --globals)
        o[QStringLiteral("globals")] = r.globals.toJson();
    return o;
}

} // namespace lifeboat
