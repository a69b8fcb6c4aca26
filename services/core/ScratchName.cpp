#include "core/ScratchName.h"

#include "core/ProcessIdentity.h"

#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>

namespace lifeboat {

QString ScratchName::templatePath(const QString &kind, const QString &dir) {
    const qint64 pid = QCoreApplication::applicationPid();
    return (dir.isEmpty() ? QDir::tempPath() : dir) + QStringLiteral("/lifeboat-%1-%2-%3-%4-XXXXXX")
                                                          .arg(kind, ProcessIdentity::hostTag())
                                                          .arg(pid)
                                                          .arg(ProcessIdentity::startTicks(pid));
}

std::optional<ScratchName::Owner> ScratchName::parse(const QString &fileName) {
    static const QRegularExpression re(
        QStringLiteral("^lifeboat-([a-z]+)-([0-9a-f]{8})-([0-9]+)-([0-9]+)-[A-Za-z0-9]{6,}$"));
    const auto m = re.match(fileName);
    if (!m.hasMatch())
        return std::nullopt;
    Owner o;
    o.kind = m.captured(1);
    o.hostTag = m.captured(2);
    o.pid = m.captured(3).toLongLong();
    o.startTicks = m.captured(4).toULongLong();
    if (o.pid <= 0)
        return std::nullopt;
    return o;
}

} // namespace lifeboat
