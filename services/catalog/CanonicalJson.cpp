#include "catalog/CanonicalJson.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace lifeboat {

namespace {
constexpr double kMaxExactInteger = 9007199254740992.0; // 2^53

void appendString(QByteArray &out, const QString &s) {
    out.append('"');
    // Runs of ordinary characters go out as UTF-8 in one conversion, so a surrogate pair stays one code point.
    qsizetype runStart = 0;
    auto flush = [&](qsizetype end) {
        if (end > runStart)
            out.append(QStringView(s).mid(runStart, end - runStart).toUtf8());
    };
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t u = s.at(i).unicode();
        const char *escape = nullptr;
        switch (u) {
        case u'"':
            escape = "\\\"";
            break;
        case u'\\':
            escape = "\\\\";
            break;
        case u'\b':
            escape = "\\b";
            break;
        case u'\f':
            escape = "\\f";
            break;
        case u'\n':
            escape = "\\n";
            break;
        case u'\r':
            escape = "\\r";
            break;
        case u'\t':
            escape = "\\t";
            break;
        default:
            break;
        }
        if (!escape && u >= 0x20)
            continue;
        flush(i);
        runStart = i + 1;
        if (escape) {
            out.append(escape);
        } else {
            out.append("\\u00");
            out.append("0123456789abcdef"[u >> 4]);
            out.append("0123456789abcdef"[u & 0xf]);
        }
    }
    flush(s.size());
    out.append('"');
}

bool appendValue(QByteArray &out, const QJsonValue &v, QString *error);

bool appendObject(QByteArray &out, const QJsonObject &o, QString *error) {
    QStringList keys = o.keys();
    // QString's operator< compares UTF-16 code units, which is RFC 8785's member order.
    std::sort(keys.begin(), keys.end(), [](const QString &a, const QString &b) { return a < b; });
    out.append('{');
    bool first = true;
    for (const QString &k : std::as_const(keys)) {
        if (!first)
            out.append(',');
        first = false;
        appendString(out, k);
        out.append(':');
        if (!appendValue(out, o.value(k), error))
            return false;
    }
    out.append('}');
    return true;
}

bool appendValue(QByteArray &out, const QJsonValue &v, QString *error) {
    switch (v.type()) {
    case QJsonValue::Null:
        out.append("null");
        return true;
    case QJsonValue::Bool:
        out.append(v.toBool() ? "true" : "false");
        return true;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > kMaxExactInteger) {
            if (error)
                *error = QStringLiteral("the number %1 has no canonical form (manifests hold integers only)")
                             .arg(QString::number(d, 'g', 17));
            return false;
        }
        out.append(QByteArray::number(v.toInteger()));
        return true;
    }
    case QJsonValue::String:
        appendString(out, v.toString());
        return true;
    case QJsonValue::Array: {
        out.append('[');
        bool first = true;
        for (const QJsonValue &e : v.toArray()) {
            if (!first)
                out.append(',');
            first = false;
            if (!appendValue(out, e, error))
                return false;
        }
        out.append(']');
        return true;
    }
    case QJsonValue::Object:
        return appendObject(out, v.toObject(), error);
    case QJsonValue::Undefined:
        break;
    }
    if (error)
        *error = QStringLiteral("undefined JSON value");
    return false;
}
} // namespace

QByteArray CanonicalJson::serialize(const QJsonObject &object, QString *error) {
    QByteArray out;
    if (!appendObject(out, object, error))
        return {};
    if (error)
        error->clear();
    return out;
}

} // namespace lifeboat
