#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace lifeboat {

// The canonical bytes a manifest signature covers: RFC 8785 (JSON Canonicalization Scheme) for the subset of JSON
// a manifest uses. Object members sorted by key compared as UTF-16 code units, no whitespace, strings escaped with
// the shortest JSON escapes (\" \\ \b \f \n \r \t, other control characters as \u00xx) and written as UTF-8
// otherwise, integers in plain decimal. A non-integer number, or an integer beyond ±2^53, has no canonical form
// here: serialize() then returns an empty array and says why (a manifest never holds one).
class CanonicalJson {
public:
    static QByteArray serialize(const QJsonObject &object, QString *error = nullptr);
};

} // namespace lifeboat
