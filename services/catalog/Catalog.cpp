#include "catalog/Catalog.h"

namespace lifeboat {

namespace {
bool unsupported(QString *error) {
    if (error)
        *error = QStringLiteral("this catalog does not support schedules or notifiers");
    return false;
}
} // namespace

bool Catalog::saveSchedule(ScheduleRecord &, QString *error) {
    return unsupported(error);
}
std::optional<ScheduleRecord> Catalog::schedule(const QString &) {
    return std::nullopt;
}
QList<ScheduleRecord> Catalog::schedules() {
    return {};
}
bool Catalog::removeSchedule(const QString &, QString *error) {
    return unsupported(error);
}
bool Catalog::markScheduleChecked(const QString &, const QDateTime &, const QDateTime &, qint64, const QString &,
                                  QString *error) {
    return unsupported(error);
}
bool Catalog::tryLockSchedule(const QString &, const QString &, int, QString *error) {
    return unsupported(error);
}
void Catalog::unlockSchedule(const QString &, const QString &) {}
bool Catalog::saveNotifier(const NotifierRecord &, QString *error) {
    return unsupported(error);
}
QList<NotifierRecord> Catalog::notifiers() {
    return {};
}
bool Catalog::removeNotifier(const QString &, QString *error) {
    return unsupported(error);
}

} // namespace lifeboat
