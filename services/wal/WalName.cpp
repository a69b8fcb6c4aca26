#include "wal/WalName.h"

#include <QRegularExpression>

namespace lifeboat {

namespace {
const QString kZst = QStringLiteral(".zst");
const QString kAge = QStringLiteral(".age");
constexpr quint64 kLogSize = quint64(1) << 32;

quint64 segmentsPerLog(qint64 segmentSize) {
    return segmentSize > 0 ? kLogSize / static_cast<quint64>(segmentSize) : 256;
}
} // namespace

bool WalName::isSegmentName(const QString &s) {
    static const QRegularExpression re(QStringLiteral("^[0-9A-F]{24}$"));
    return re.match(s).hasMatch();
}

std::optional<WalName> WalName::parse(const QString &fileName) {
    static const QRegularExpression segment(QStringLiteral("^([0-9A-F]{8})[0-9A-F]{16}$"));
    static const QRegularExpression partial(QStringLiteral("^(([0-9A-F]{8})[0-9A-F]{16})\\.partial$"));
    static const QRegularExpression history(QStringLiteral("^([0-9A-F]{8})\\.history$"));
    static const QRegularExpression backup(QStringLiteral("^([0-9A-F]{8})[0-9A-F]{16}\\.[0-9A-F]{8}\\.backup$"));
    WalName w;
    QRegularExpressionMatch m;
    bool ok = false;
    if ((m = segment.match(fileName)).hasMatch()) {
        w.name = fileName;
        w.kind = QStringLiteral("segment");
        w.timeline = m.captured(1).toUInt(&ok, 16);
    } else if ((m = partial.match(fileName)).hasMatch()) {
        w.name = m.captured(1);
        w.kind = QStringLiteral("partial");
        w.timeline = m.captured(2).toUInt(&ok, 16);
    } else if ((m = history.match(fileName)).hasMatch()) {
        w.name = fileName;
        w.kind = QStringLiteral("history");
        w.timeline = m.captured(1).toUInt(&ok, 16);
    } else if ((m = backup.match(fileName)).hasMatch()) {
        w.name = fileName;
        w.kind = QStringLiteral("backup");
        w.timeline = m.captured(1).toUInt(&ok, 16);
    }
    // Timeline 0 does not exist: PostgreSQL starts at 1.
    if (!ok || w.timeline == 0)
        return std::nullopt;
    return w;
}

std::optional<WalName> WalName::parseStored(const QString &objectName, bool *encrypted) {
    QString base = objectName;
    const bool enc = base.endsWith(kAge);
    if (enc)
        base.chop(kAge.size());
    if (!base.endsWith(kZst))
        return std::nullopt;
    base.chop(kZst.size());
    if (encrypted)
        *encrypted = enc;
    return parse(base);
}

QString WalName::fileName() const {
    return kind == QLatin1String("partial") ? name + QStringLiteral(".partial") : name;
}

QString WalName::relativePath(const QString &profile, bool encrypted) const {
    const QString tli = QStringLiteral("%1").arg(timeline, 8, 16, QLatin1Char('0')).toUpper();
    const QString file = fileName() + kZst + (encrypted ? kAge : QString());
    if (kind == QLatin1String("history"))
        return profileDir(profile) + file;
    return profileDir(profile) + tli + QLatin1Char('/') + file;
}

quint64 WalName::segmentNumber(const QString &segment, qint64 segmentSize) {
    const quint64 log = segment.mid(8, 8).toULongLong(nullptr, 16);
    const quint64 seg = segment.mid(16, 8).toULongLong(nullptr, 16);
    return log * segmentsPerLog(segmentSize) + seg;
}

QString WalName::segmentName(quint32 timeline, quint64 number, qint64 segmentSize) {
    const quint64 per = segmentsPerLog(segmentSize);
    return QStringLiteral("%1%2%3")
        .arg(timeline, 8, 16, QLatin1Char('0'))
        .arg(number / per, 8, 16, QLatin1Char('0'))
        .arg(number % per, 8, 16, QLatin1Char('0'))
        .toUpper();
}

QString WalName::startLsn(const QString &segment, qint64 segmentSize) {
    const quint64 lsn =
        segmentNumber(segment, segmentSize) * static_cast<quint64>(segmentSize > 0 ? segmentSize : 16 << 20);
    return QStringLiteral("%1/%2").arg(lsn >> 32, 0, 16).arg(lsn & 0xFFFFFFFFu, 0, 16).toUpper();
}

} // namespace lifeboat
