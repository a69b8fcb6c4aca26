#include "pg/PgVersion.h"

#include <QRegularExpression>

namespace lifeboat {

PgVersion PgVersion::fromVersionOutput(const QString &text) {
    // The first number after "PostgreSQL)" (or the first number at all) is the version; development versions
    // ("17devel", "16beta2", "16rc1") count as minor 0.
    static const QRegularExpression re(QStringLiteral(R"((?:\(PostgreSQL\)\s*)?(\d+)(?:\.(\d+))?(?:\.(\d+))?)"));
    const int anchor = text.indexOf(QStringLiteral("(PostgreSQL)"));
    const auto m = re.match(text, anchor >= 0 ? anchor : 0);
    if (!m.hasMatch())
        return {};
    PgVersion v;
    v.major = m.captured(1).toInt();
    v.minor = m.captured(2).isEmpty() ? 0 : m.captured(2).toInt();
    if (v.major < 10 && !m.captured(3).isEmpty()) // 9.6.24: the "major" of old releases is 9.6
        v.minor = m.captured(2).toInt();
    return v;
}

PgVersion PgVersion::fromVersionNum(int num) {
    if (num <= 0)
        return {};
    if (num >= 100000)
        return {num / 10000, num % 10000};
    return {num / 10000, (num / 100) % 100};
}

} // namespace lifeboat
