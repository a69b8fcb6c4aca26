#include "catalog/BaseBackupInfo.h"

namespace lifeboat {

qint64 BaseBackupInfo::parseLsn(const QString &lsn) {
    const qsizetype slash = lsn.indexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == lsn.size() - 1)
        return -1;
    bool okHi = false;
    bool okLo = false;
    const quint64 hi = lsn.left(slash).toULongLong(&okHi, 16);
    const quint64 lo = lsn.mid(slash + 1).toULongLong(&okLo, 16);
    if (!okHi || !okLo || hi > 0xFFFFFFFFull || lo > 0xFFFFFFFFull || hi > 0x7FFFFFFFull)
        return -1;
    return qint64((hi << 32) | lo);
}

QString BaseBackupInfo::formatLsn(qint64 pos) {
    return QStringLiteral("%1/%2").arg(quint64(pos) >> 32, 0, 16).arg(quint64(pos) & 0xFFFFFFFFull, 0, 16).toUpper();
}

QJsonObject BaseBackupInfo::toJson() const {
    const auto iso = [](const QDateTime &t) { return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString(); };
    return {{QStringLiteral("timeline"), timeline},
            {QStringLiteral("startLsn"), startLsn},
            {QStringLiteral("stopLsn"), stopLsn},
            {QStringLiteral("startWalFile"), startWalFile},
            {QStringLiteral("startTime"), iso(startTime)},
            {QStringLiteral("stopTime"), iso(stopTime)},
            {QStringLiteral("systemIdentifier"), systemIdentifier},
            {QStringLiteral("pgMajor"), pgMajor}};
}

BaseBackupInfo BaseBackupInfo::fromJson(const QJsonObject &o) {
    BaseBackupInfo b;
    b.timeline = o.value(QStringLiteral("timeline")).toInt();
    b.startLsn = o.value(QStringLiteral("startLsn")).toString();
    b.stopLsn = o.value(QStringLiteral("stopLsn")).toString();
    b.startWalFile = o.value(QStringLiteral("startWalFile")).toString();
    b.startTime = QDateTime::fromString(o.value(QStringLiteral("startTime")).toString(), Qt::ISODateWithMs).toUTC();
    b.stopTime = QDateTime::fromString(o.value(QStringLiteral("stopTime")).toString(), Qt::ISODateWithMs).toUTC();
    b.systemIdentifier = o.value(QStringLiteral("systemIdentifier")).toString();
    b.pgMajor = o.value(QStringLiteral("pgMajor")).toInt();
    return b;
}

} // namespace lifeboat
