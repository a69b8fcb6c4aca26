#include "catalog/Manifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace lifeboat {

namespace {
QString iso(const QDateTime &t) {
    return t.toUTC().toString(Qt::ISODateWithMs);
}
QDateTime fromIso(const QJsonValue &v) {
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs).toUTC();
}
} // namespace

QByteArray Manifest::toJson() const {
    QJsonObject o;
    o[QStringLiteral("formatVersion")] = formatVersion;
    o[QStringLiteral("tool")] = QStringLiteral("lifeboat");
    o[QStringLiteral("toolVersion")] = toolVersion;
    o[QStringLiteral("profile")] = profile;
    o[QStringLiteral("host")] = host;
    o[QStringLiteral("database")] = database;
    o[QStringLiteral("kind")] = kind;
    o[QStringLiteral("type")] = type;
    o[QStringLiteral("label")] = label;
    if (!setId.isEmpty())
        o[QStringLiteral("setId")] = setId;
    o[QStringLiteral("serverVersion")] = serverVersion;
    o[QStringLiteral("pgDumpVersion")] = pgDumpVersion;
    o[QStringLiteral("format")] = format;
    o[QStringLiteral("compression")] = compression;
    o[QStringLiteral("artifact")] = artifact;
    o[QStringLiteral("size")] = size;
    if (bytesRead >= 0) // absent from manifests made before it was recorded: their signatures stay valid
        o[QStringLiteral("bytesRead")] = bytesRead;
    o[QStringLiteral("sha256")] = sha256;
    o[QStringLiteral("plainSha256")] = plainSha256;
    o[QStringLiteral("encrypted")] = encrypted;
    o[QStringLiteral("recipients")] = QJsonArray::fromStringList(recipients);
    o[QStringLiteral("started")] = iso(started);
    o[QStringLiteral("finished")] = iso(finished);
    o[QStringLiteral("durationMs")] = durationMs;
    QJsonArray t;
    for (const Table &tab : tables) {
        t.append(QJsonObject{{QStringLiteral("schema"), tab.schema},
                             {QStringLiteral("name"), tab.name},
                             {QStringLiteral("rows"), tab.rows}});
    }
    o[QStringLiteral("tables")] = t;
    if (fileCount >= 0) {
        o[QStringLiteral("fileCount")] = fileCount;
        o[QStringLiteral("totalBytes")] = totalBytes;
    }
    if (!baseBackup.isEmpty())
        o[QStringLiteral("baseBackup")] = baseBackup;
    if (!globals.isEmpty())
        o[QStringLiteral("globals")] = globals;
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Manifest Manifest::fromJson(const QByteArray &json, QString *error) {
    Manifest m;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("manifest is not valid JSON: %1").arg(pe.errorString());
        return m;
    }
    const QJsonObject o = doc.object();
    m.formatVersion = o.value(QStringLiteral("formatVersion")).toInt();
    if (m.formatVersion < 1 || m.formatVersion > kFormatVersion) {
        if (error)
            *error = QStringLiteral("manifest format version %1 is not supported (this Lifeboat reads up to %2)")
                         .arg(m.formatVersion)
                         .arg(kFormatVersion);
        return m;
    }
    m.toolVersion = o.value(QStringLiteral("toolVersion")).toString();
    m.profile = o.value(QStringLiteral("profile")).toString();
    m.host = o.value(QStringLiteral("host")).toString();
    m.database = o.value(QStringLiteral("database")).toString();
    m.kind = o.value(QStringLiteral("kind")).toString(QStringLiteral("database"));
    m.type = o.value(QStringLiteral("type")).toString(QStringLiteral("MANUAL"));
    m.label = o.value(QStringLiteral("label")).toString();
    m.setId = o.value(QStringLiteral("setId")).toString();
    m.serverVersion = o.value(QStringLiteral("serverVersion")).toString();
    m.pgDumpVersion = o.value(QStringLiteral("pgDumpVersion")).toString();
    m.format = o.value(QStringLiteral("format")).toString();
    m.compression = o.value(QStringLiteral("compression")).toString();
    m.artifact = o.value(QStringLiteral("artifact")).toString();
    m.size = o.value(QStringLiteral("size")).toInteger();
    m.bytesRead = o.value(QStringLiteral("bytesRead")).toInteger(-1);
    m.sha256 = o.value(QStringLiteral("sha256")).toString();
    m.plainSha256 = o.value(QStringLiteral("plainSha256")).toString();
    m.encrypted = o.value(QStringLiteral("encrypted")).toBool();
    for (const auto &r : o.value(QStringLiteral("recipients")).toArray())
        m.recipients << r.toString();
    m.started = fromIso(o.value(QStringLiteral("started")));
    m.finished = fromIso(o.value(QStringLiteral("finished")));
    m.durationMs = o.value(QStringLiteral("durationMs")).toInteger();
    for (const auto &v : o.value(QStringLiteral("tables")).toArray()) {
        const QJsonObject t = v.toObject();
        m.tables.append({t.value(QStringLiteral("schema")).toString(), t.value(QStringLiteral("name")).toString(),
                         t.value(QStringLiteral("rows")).toInteger()});
    }
    m.fileCount = o.value(QStringLiteral("fileCount")).toInteger(-1);
    m.totalBytes = o.value(QStringLiteral("totalBytes")).toInteger();
    m.baseBackup = o.value(QStringLiteral("baseBackup")).toObject();
    m.globals = o.value(QStringLiteral("globals")).toObject();
    if (m.artifact.isEmpty() || m.sha256.size() != 64) {
        if (error)
            *error = QStringLiteral("manifest lacks the artifact name or its SHA-256");
        return Manifest{};
    }
    if (error)
        error->clear();
    return m;
}

BackupRecord Manifest::toRecord() const {
    BackupRecord r;
    r.profile = profile;
    r.database = database;
    r.kind = kind;
    r.type = type;
    r.label = label;
    r.setId = setId;
    r.filename = artifact;
    r.size = size;
    r.sha256 = sha256;
    r.plainSha256 = plainSha256;
    r.encrypted = encrypted;
    r.recipients = recipients;
    r.format = format;
    r.compression = compression;
    r.bytesRead = bytesRead;
    r.serverVersion = serverVersion;
    r.toolVersion = pgDumpVersion;
    r.tableCount = static_cast<int>(tables.size());
    r.status = BackupRecord::statusCompleted();
    r.started = started;
    r.finished = finished;
    r.durationMs = durationMs;
    r.globals = GlobalsCompanion::fromJson(globals);
    return r;
}

} // namespace lifeboat
