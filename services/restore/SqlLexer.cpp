#include "restore/SqlLexer.h"

namespace lifeboat {

bool SqlLexer::isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool SqlLexer::isIdentChar(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           u >= 0x80;
}
bool SqlLexer::isTagStart(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

QList<SqlLexer::Token> SqlLexer::tokens(const QByteArray &s, bool escapeStrings, qsizetype maxTokens) {
    QList<Token> out;
    const qsizetype n = s.size();
    qsizetype i = 0;
    while (i < n && out.size() < maxTokens) {
        const char c = s.at(i);
        const char next = i + 1 < n ? s.at(i + 1) : '\0';
        if (isSpace(c)) {
            ++i;
        } else if (c == '-' && next == '-') {
            while (i < n && s.at(i) != '\n')
                ++i;
        } else if (c == '/' && next == '*') {
            int depth = 1;
            i += 2;
            while (i < n && depth > 0) {
                if (s.at(i) == '/' && i + 1 < n && s.at(i + 1) == '*') {
                    ++depth;
                    i += 2;
                } else if (s.at(i) == '*' && i + 1 < n && s.at(i + 1) == '/') {
                    --depth;
                    i += 2;
                } else {
                    ++i;
                }
            }
        } else if (c == '\'' || c == '"') {
            const bool escapes =
                c == '\'' && (escapeStrings ||
                              (!out.isEmpty() && out.last().kind == 'w' && out.last().start + out.last().length == i &&
                               out.last().length == 1 && (s.at(i - 1) == 'E' || s.at(i - 1) == 'e')));
            qsizetype k = i + 1;
            while (k < n) {
                if (escapes && s.at(k) == '\\') {
                    k += 2;
                    continue;
                }
                if (s.at(k) == c) {
                    if (k + 1 < n && s.at(k + 1) == c) {
                        k += 2;
                        continue;
                    }
                    break;
                }
                ++k;
            }
            k = qMin(k + 1, n);
            out.append({i, k - i, c == '"' ? 'i' : 's'});
            i = k;
        } else if (c == '$' && (next == '$' || isTagStart(next))) {
            qsizetype k = i + 1;
            while (k < n && isIdentChar(s.at(k)) && s.at(k) != '$')
                ++k;
            if (k < n && s.at(k) == '$') {
                const QByteArray tag = s.mid(i, k + 1 - i);
                const qsizetype close = s.indexOf(tag, k + 1);
                const qsizetype end = close < 0 ? n : close + tag.size();
                out.append({i, end - i, 's'});
                i = end;
            } else {
                out.append({i, 1, 'o'});
                ++i;
            }
        } else if (isIdentChar(c)) {
            qsizetype k = i;
            while (k < n && isIdentChar(s.at(k)))
                ++k;
            out.append({i, k - i, 'w'});
            i = k;
        } else {
            out.append({i, 1, 'o'});
            ++i;
        }
    }
    return out;
}

bool SqlLexer::isWord(const QByteArray &s, const Token &t, const char *word) {
    return t.kind == 'w' && s.mid(t.start, t.length).compare(QByteArrayView(word), Qt::CaseInsensitive) == 0;
}

QString SqlLexer::identName(const QByteArray &s, const Token &t) {
    if (t.kind == 'i') {
        QByteArray inner = s.mid(t.start + 1, t.length - 2);
        inner.replace("\"\"", "\"");
        return QString::fromUtf8(inner);
    }
    QByteArray bare = s.mid(t.start, t.length);
    for (char &ch : bare) {
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a');
    }
    return QString::fromUtf8(bare);
}

SqlLexer::DbStatement SqlLexer::dbStatement(const QByteArray &s, bool escapeStrings, bool complete) {
    const QList<Token> t = tokens(s, escapeStrings, 4);
    const DbStatement open{complete ? DbStatement::No : DbStatement::Undecided, {}};
    if (t.isEmpty())
        return open;
    qsizetype at = 1;
    if (isWord(s, t.at(0), "COMMENT")) {
        if (t.size() < 2)
            return open;
        if (!isWord(s, t.at(1), "ON"))
            return {};
        at = 2;
    } else if (!isWord(s, t.at(0), "CREATE") && !isWord(s, t.at(0), "ALTER")) {
        return {};
    }
    if (t.size() <= at)
        return open;
    if (!isWord(s, t.at(at), "DATABASE"))
        return {};
    DbStatement r;
    r.kind = isWord(s, t.at(0), "CREATE") ? DbStatement::Create : DbStatement::Other;
    if (t.size() > at + 1 && (t.at(at + 1).kind == 'w' || t.at(at + 1).kind == 'i'))
        r.name = t.at(at + 1);
    return r;
}

QStringList SqlLexer::splitArgs(const QByteArray &bytes, bool *ok) {
    const QString s = QString::fromUtf8(bytes);
    QStringList out;
    qsizetype i = 0;
    *ok = true;
    while (i < s.size()) {
        while (i < s.size() && s.at(i).isSpace())
            ++i;
        if (i >= s.size())
            break;
        QString tok;
        while (i < s.size() && !s.at(i).isSpace()) {
            const QChar q = s.at(i);
            if (q == QLatin1Char('"') || q == QLatin1Char('\'')) {
                ++i;
                bool closed = false;
                while (i < s.size()) {
                    if (q == QLatin1Char('\'') && s.at(i) == QLatin1Char('\\') && i + 1 < s.size()) {
                        tok += s.at(i + 1);
                        i += 2;
                        continue;
                    }
                    if (s.at(i) == q) {
                        if (i + 1 < s.size() && s.at(i + 1) == q) {
                            tok += q;
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    tok += s.at(i++);
                }
                if (!closed)
                    *ok = false;
            } else {
                tok += s.at(i++);
            }
        }
        out << tok;
    }
    return out;
}

} // namespace lifeboat
