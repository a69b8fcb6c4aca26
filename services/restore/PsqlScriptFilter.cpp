#include "restore/PsqlScriptFilter.h"

#include "restore/SqlLexer.h"

#include <QRegularExpression>
#include <QSet>

namespace lifeboat {

namespace {
constexpr qsizetype kHeadLimit = 64 * 1024;
constexpr qsizetype kCopyChunk = 1 << 20;

QByteArray chomp(QByteArray s) {
    while (!s.isEmpty() && (s.endsWith('\n') || s.endsWith('\r')))
        s.chop(1);
    return s;
}
QString snippet(const QByteArray &line) {
    QString s = QString::fromUtf8(chomp(line)).trimmed();
    if (s.size() > 80)
        s = s.left(77) + QStringLiteral("...");
    return s;
}

} // namespace

PsqlScriptFilter::PsqlScriptFilter(ByteSink *next, QString targetDatabase)
    : m_next(next)
    , m_target(std::move(targetDatabase)) {}

QString PsqlScriptFilter::quoteIdent(const QString &name) {
    QString out = name;
    out.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

void PsqlScriptFilter::note(const QString &text) {
    m_notes << text;
    if (m_log)
        m_log(text);
}

bool PsqlScriptFilter::refuse(const QString &message) {
    m_failed = true;
    if (!m_target.isEmpty())
        return fail(ExitCode::Refused, message);
    // The messages describe the restore's own pass, with psql running; the scan before it never started psql.
    QString scanned = message;
    scanned.replace(QStringLiteral("so Lifeboat stopped psql before its transaction committed; nothing was kept"),
                    QStringLiteral("so Lifeboat refuses the script before psql starts; the target was not touched"));
    scanned.replace(QStringLiteral("nothing was kept"), QStringLiteral("the target was not touched"));
    scanned.replace(QStringLiteral("Nothing was kept"), QStringLiteral("The target was not touched"));
    return fail(ExitCode::Refused, scanned);
}

bool PsqlScriptFilter::forward(const QByteArray &bytes) {
    if (bytes.isEmpty())
        return true;
    if (!m_next->write(bytes)) {
        m_failed = true;
        return failFrom(*m_next);
    }
    return true;
}

bool PsqlScriptFilter::write(QByteArrayView data) {
    if (m_failed || error())
        return false;
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype nl = data.indexOf('\n', pos);
        if (nl < 0) {
            m_line.append(data.data() + pos, data.size() - pos);
            // COPY data can hold very long lines; only a line's start matters there, so stream the bulk.
            if (m_state == State::CopyData && m_line.size() > kCopyChunk) {
                const QByteArray part = m_line.left(m_line.size() - 2); // keep the tail: it may become "\."+"\r"
                m_line.remove(0, part.size());
                m_copyMidLine = true;
                if (!forward(part))
                    return false;
            }
            return true;
        }
        m_line.append(data.data() + pos, nl + 1 - pos);
        pos = nl + 1;
        const QByteArray line = std::exchange(m_line, QByteArray());
        if (!processLine(line))
            return false;
    }
    return true;
}

bool PsqlScriptFilter::finish() {
    if (m_failed || error())
        return false;
    if (!m_line.isEmpty() && !processLine(std::exchange(m_line, QByteArray())))
        return false;
    if (m_holding) {
        m_holding = false;
        m_held.append({std::exchange(m_holdBuf, QByteArray()), m_holdLine});
    }
    if (!flushHeld())
        return false;
    if (!m_next->finish())
        return failFrom(*m_next);
    return true;
}

void PsqlScriptFilter::abort() {
    m_next->abort();
}

bool PsqlScriptFilter::flushHeld() {
    const QList<Held> held = std::exchange(m_held, {});
    for (const Held &h : held) {
        if (!forward(h.text))
            return false;
    }
    return true;
}

bool PsqlScriptFilter::resolveHeld(const Held &h) {
    const SqlLexer::DbStatement st = SqlLexer::dbStatement(h.text, !m_stdStrings, true);
    if (st.kind == SqlLexer::DbStatement::No || st.kind == SqlLexer::DbStatement::Undecided || st.name.length == 0 ||
        m_connectedTo.isEmpty())
        return forward(h.text);
    const QString name = SqlLexer::identName(h.text, st.name);
    if (name != m_connectedTo)
        return forward(h.text);
    if (st.kind == SqlLexer::DbStatement::Create) {
        note(QStringLiteral("line %1: the script's CREATE DATABASE %2 is skipped — it runs in the confirmed target "
                            "\"%3\"")
                 .arg(h.line)
                 .arg(name, m_target));
        return true;
    }
    const QByteArray rewritten =
        h.text.left(st.name.start) + quoteIdent(m_target).toUtf8() + h.text.mid(st.name.start + st.name.length);
    note(QStringLiteral("line %1: the script's database-level statement for \"%2\" applies to the target \"%3\"")
             .arg(h.line)
             .arg(name, m_target));
    return forward(rewritten);
}

bool PsqlScriptFilter::handleConnect(const QByteArray &args) {
    bool ok = false;
    const QStringList a = SqlLexer::splitArgs(args, &ok);
    QString name;
    auto isConninfo = [](const QString &s) {
        return s.contains(QLatin1Char('=')) || s.startsWith(QLatin1String("postgresql://")) ||
               s.startsWith(QLatin1String("postgres://"));
    };
    if (ok && a.size() == 1 && !a.first().startsWith(QLatin1Char('-')) && !isConninfo(a.first())) {
        name = a.first();
    } else if (ok && a.size() == 2 && a.first() == QLatin1String("-reuse-previous=on")) {
        // pg_dump's form for a name that needs quoting: a conninfo holding dbname only.
        static const QRegularExpression onlyDb(QStringLiteral(R"(^dbname='((?:[^'\\]|\\.)*)'$)"));
        const auto m = onlyDb.match(a.at(1));
        if (m.hasMatch()) {
            name = m.captured(1);
            name.replace(QStringLiteral("\\'"), QStringLiteral("'"));
            name.replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
        }
    }
    const QString shown = QString::fromUtf8(chomp(args)).trimmed();
    if (name.isEmpty())
        return refuse(QStringLiteral("the script's \\connect %1 (line %2) names a host, user or connection string — "
                                     "Lifeboat runs a script only in the confirmed target database, so it refuses "
                                     "it; nothing was kept")
                          .arg(shown)
                          .arg(m_lineNo));
    if (m_connectedTo.isEmpty()) {
        m_connectedTo = name;
        note(QStringLiteral("line %1: the script's \\connect %2 is not followed — the session stays in the confirmed "
                            "target \"%3\"")
                 .arg(m_lineNo)
                 .arg(name, m_target));
        const QList<Held> held = std::exchange(m_held, {});
        for (const Held &h : held) {
            if (!resolveHeld(h))
                return false;
        }
        return true;
    }
    if (name == m_connectedTo)
        return true; // pg_dump reconnects to the same database between sections
    return refuse(QStringLiteral("the script connects to a second database \"%1\" (line %2) after \"%3\" — a script "
                                 "of several databases (pg_dumpall?) cannot be restored into one target; restore "
                                 "each database from its own backup. Nothing was kept")
                      .arg(name)
                      .arg(m_lineNo)
                      .arg(m_connectedTo));
}

bool PsqlScriptFilter::metaCommand(const QByteArray &line, qsizetype at, bool lineStart) {
    qsizetype j = at + 1;
    while (j < line.size() && !SqlLexer::isSpace(line.at(j)) && line.at(j) != '\\')
        ++j;
    if (j == at + 1 && j < line.size() && line.at(j) == '\\')
        ++j; // "\\", psql's separator
    const QByteArray name = line.mid(at + 1, j - at - 1);
    if (lineStart) {
        if (name == "restrict" || name == "unrestrict")
            return true; // pg_dump's own guard; Lifeboat's key is in force instead
        if (name == "connect" || name == "c")
            return handleConnect(line.mid(j));
    }
    return refuse(QStringLiteral("the script carries the psql meta-command \\%1 at line %2 (\"%3\") — a backup never "
                                 "runs client commands on this machine, so Lifeboat stopped psql before its "
                                 "transaction committed; nothing was kept. Inspect the file: it was not written by "
                                 "pg_dump as-is")
                      .arg(QString::fromUtf8(name))
                      .arg(m_lineNo)
                      .arg(snippet(line)));
}

bool PsqlScriptFilter::statementEnded() {
    // The server, not psql, decides that a statement is COPY FROM STDIN, and psql then reads the following lines as
    // data; so the filter's idea of it must not be narrower or wider than the server's. Quotes and comments separate
    // words as whitespace does (COPY"t"FROM STDIN); the part before FROM may hold one level of parentheses (a column
    // list), never a query (COPY (SELECT … FROM stdin) TO STDOUT is no data block). Any other COPY naming STDIN is
    // refused rather than guessed.
    static const QRegularExpression copyIn(QStringLiteral(R"(^COPY\b(?:[^()]|\([^()]*\))*?\bFROM\s+STDIN\b)"),
                                           QRegularExpression::CaseInsensitiveOption |
                                               QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression copyAny(QStringLiteral(R"(^COPY\b)"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression stdinWord(QStringLiteral(R"(\bSTDIN\b)"),
                                              QRegularExpression::CaseInsensitiveOption);
    const QString bare = QString::fromUtf8(m_bare).trimmed();
    m_inStatement = false;
    if (copyAny.match(bare).hasMatch()) {
        if (m_headOverflow)
            return refuse(QStringLiteral("the COPY statement ending at line %1 is longer than %2 KiB before its data "
                                         "— too long for Lifeboat to tell whether psql reads data after it, so it "
                                         "refuses the script; nothing was kept")
                              .arg(m_lineNo)
                              .arg(kHeadLimit / 1024));
        if (copyIn.match(bare).hasMatch())
            m_copyNext = true;
        else if (stdinWord.match(bare).hasMatch())
            return refuse(QStringLiteral("the COPY statement ending at line %1 (\"%2\") names STDIN in a form pg_dump "
                                         "never writes — Lifeboat cannot tell where its data would end, so it "
                                         "refuses the script; nothing was kept")
                              .arg(m_lineNo)
                              .arg(QString::fromUtf8(m_head.left(80))));
    }
    return true;
}

bool PsqlScriptFilter::checkSettings(const QByteArray &line, bool lineStartsClean) {
    // psql scans string literals by standard_conforming_strings and splits multibyte characters by the client
    // encoding; a script that changes either where the filter could read it differently is refused.
    const QByteArray lower = line.toLower();
    if (lower.contains("standard_conforming_strings")) {
        const QByteArray exact = chomp(line);
        if (exact == "SET standard_conforming_strings = on;" || exact == "SET standard_conforming_strings = off;") {
            if (lineStartsClean)
                m_stdStringsNext = exact.endsWith("on;") ? 1 : 0;
        } else {
            return refuse(QStringLiteral("line %1 (\"%2\") changes or names standard_conforming_strings other than "
                                         "pg_dump's own line \"SET standard_conforming_strings = on|off;\" — it "
                                         "decides how psql reads backslashes in strings, so Lifeboat refuses the "
                                         "script; nothing was kept")
                              .arg(m_lineNo)
                              .arg(snippet(line)));
        }
    }
    static const QRegularExpression setNames(QStringLiteral(R"(\bSET\s+(?:SESSION\s+|LOCAL\s+)?NAMES\b)"),
                                             QRegularExpression::CaseInsensitiveOption);
    if (lower.contains("client_encoding") || setNames.match(QString::fromLatin1(line)).hasMatch()) {
        // Encodings psql accepts for the client only: their second byte can be 0x5C ('\\') or a quote. Names are
        // compared as PostgreSQL does (lower case, alphanumerics only), aliases included.
        static const QSet<QByteArray> clientOnly{"sjis",         "shiftjis",   "mskanji", "win932",     "windows932",
                                                 "shiftjis2004", "big5",       "win950",  "windows950", "gbk",
                                                 "win936",       "windows936", "cp936",   "uhc",        "win949",
                                                 "windows949",   "gb18030",    "johab"};
        QByteArray word;
        for (qsizetype i = 0; i <= lower.size(); ++i) {
            const char c = i < lower.size() ? lower.at(i) : ' ';
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                word += c;
            } else if (c == '_' || c == '-') {
                continue; // part of the name, dropped like PostgreSQL's clean_encoding_name
            } else {
                if (clientOnly.contains(word))
                    return refuse(QStringLiteral("line %1 (\"%2\") sets the client encoding to %3, a client-only "
                                                 "encoding whose multibyte characters can hide a backslash from "
                                                 "Lifeboat's check — make the dump in UTF8 (pg_dump -E UTF8); "
                                                 "nothing was kept")
                                      .arg(m_lineNo)
                                      .arg(snippet(line), QString::fromLatin1(word.toUpper())));
                word.clear();
            }
        }
    }
    return true;
}

bool PsqlScriptFilter::processLine(const QByteArray &line) {
    ++m_lineNo;
    if (m_state == State::CopyData) {
        const bool wasMid = std::exchange(m_copyMidLine, false);
        if (!wasMid && chomp(line) == "\\.")
            m_state = State::Normal;
        return forward(line);
    }

    const bool lineStartsClean = m_state == State::Normal && !m_inStatement;
    if (line.contains('\0'))
        return refuse(QStringLiteral("line %1 holds a NUL byte outside COPY data — psql and Lifeboat's check could "
                                     "read such a line differently, and pg_dump never writes one; nothing was kept")
                          .arg(m_lineNo));
    if (!checkSettings(line, lineStartsClean))
        return false;
    int startsHere = 0;
    bool firstAtLineStart = false;
    bool firstEnded = false;
    QByteArray firstHead;
    bool heldEnded = false;
    QByteArray heldHead;
    qsizetype copyEnd = -1; // where a COPY … FROM STDIN statement ended on this line
    const qsizetype n = line.size();
    auto addHead = [&](char c, bool bare) {
        if (m_head.size() >= kHeadLimit) {
            m_headOverflow = true;
            return;
        }
        const char ch = SqlLexer::isSpace(c) ? ' ' : c;
        if (ch == ' ' && m_head.endsWith(' '))
            return;
        m_head.append(ch);
        if (bare)
            m_bare.append(ch);
    };
    for (qsizetype i = 0; i < n; ++i) {
        const char c = line.at(i);
        const char next = i + 1 < n ? line.at(i + 1) : '\0';
        switch (m_state) {
        case State::Normal:
            if (c == '-' && next == '-') {
                i = n; // the rest of the line is a comment
                if (m_inStatement)
                    addHead(' ', true); // a comment separates words, as whitespace does
                break;
            }
            if (c == '/' && next == '*') {
                if (m_inStatement)
                    addHead(' ', true);
                m_state = State::BlockComment;
                m_commentDepth = 1;
                ++i;
                break;
            }
            if (c == '\\') {
                bool onlySpaceBefore = true;
                for (qsizetype k = 0; k < i; ++k)
                    onlySpaceBefore = onlySpaceBefore && SqlLexer::isSpace(line.at(k));
                // A line-level command drops its whole line (psql reads its arguments to the end of the line).
                return metaCommand(line, i, lineStartsClean && startsHere == 0 && onlySpaceBefore);
            }
            if (!SqlLexer::isSpace(c) && !m_inStatement) {
                m_inStatement = true;
                m_head.clear();
                m_bare.clear();
                m_headOverflow = false;
                ++startsHere;
                if (startsHere == 1) {
                    bool onlySpaceBefore = true;
                    for (qsizetype k = 0; k < i; ++k)
                        onlySpaceBefore = onlySpaceBefore && SqlLexer::isSpace(line.at(k));
                    firstAtLineStart = lineStartsClean && onlySpaceBefore;
                }
            }
            if (m_inStatement)
                addHead(c, true);
            if (c == '\'') {
                const bool ePrefix = i > 0 && (line.at(i - 1) == 'E' || line.at(i - 1) == 'e') &&
                                     (i < 2 || !SqlLexer::isIdentChar(line.at(i - 2)));
                m_escapeString = ePrefix || !m_stdStrings;
                m_state = State::SingleQuote;
            } else if (c == '"') {
                m_state = State::DoubleQuote;
            } else if (c == '$' && (i == 0 || !SqlLexer::isIdentChar(line.at(i - 1)))) {
                qsizetype k = i + 1;
                if (k < n && SqlLexer::isTagStart(line.at(k))) {
                    ++k;
                    while (k < n && SqlLexer::isIdentChar(line.at(k)) && line.at(k) != '$')
                        ++k;
                }
                if (k < n && line.at(k) == '$') {
                    m_dollarTag = line.mid(i, k + 1 - i);
                    for (qsizetype t = i + 1; t <= k; ++t)
                        addHead(line.at(t), true);
                    m_state = State::Dollar;
                    i = k;
                }
            } else if (c == '(') {
                ++m_parenDepth;
            } else if (c == ')') {
                m_parenDepth = qMax(0, m_parenDepth - 1);
            } else if (c == ';' && m_parenDepth == 0 && m_inStatement) {
                if (startsHere == 0 && !heldEnded) {
                    heldEnded = true; // the statement that came from earlier lines ends here
                    heldHead = m_head;
                }
                if (startsHere == 1 && !firstEnded) {
                    firstEnded = true;
                    firstHead = m_head;
                }
                if (!statementEnded())
                    return false;
                if (m_copyNext)
                    copyEnd = i;
            }
            break;
        case State::SingleQuote:
            addHead(c, false);
            if (m_escapeString && c == '\\' && i + 1 < n) {
                addHead(next, false);
                ++i;
            } else if (c == '\'') {
                if (next == '\'') {
                    addHead(next, false);
                    ++i;
                } else {
                    m_bare.append('\'');
                    m_state = State::Normal;
                }
            }
            break;
        case State::DoubleQuote:
            addHead(c, false);
            if (c == '"') {
                m_bare.append('"');
                m_state = State::Normal;
            }
            break;
        case State::Dollar:
            if (c == '$' && line.mid(i, m_dollarTag.size()) == m_dollarTag) {
                for (char t : m_dollarTag)
                    addHead(t, true);
                i += m_dollarTag.size() - 1;
                m_state = State::Normal;
            }
            break;
        case State::BlockComment:
            if (c == '/' && next == '*') {
                ++m_commentDepth;
                ++i;
            } else if (c == '*' && next == '/') {
                ++i;
                if (--m_commentDepth == 0)
                    m_state = State::Normal;
            }
            break;
        case State::CopyData:
            break;
        }
    }
    if (startsHere == 1 && !firstEnded)
        firstHead = m_head;
    const bool copyStarts = std::exchange(m_copyNext, false);
    if (copyStarts) {
        // psql reads COPY data from the line after the statement's; pg_dump writes `COPY … FROM stdin;` alone on
        // one line, and anything else around it is where psql and this filter could part ways.
        bool alone = startsHere == 1 && firstAtLineStart && m_state == State::Normal && !m_inStatement;
        for (qsizetype k = copyEnd + 1; alone && k < n; ++k)
            alone = SqlLexer::isSpace(line.at(k));
        if (!alone)
            return refuse(QStringLiteral("the COPY … FROM STDIN at line %1 (\"%2\") is not alone on its line — "
                                         "pg_dump always writes it so, and Lifeboat cannot tell where psql would "
                                         "read its data from; nothing was kept")
                              .arg(m_lineNo)
                              .arg(snippet(line)));
    }
    if (m_stdStringsNext >= 0)
        m_stdStrings = std::exchange(m_stdStringsNext, -1) == 1;

    if (m_holding) {
        m_holdBuf += line;
        if (m_holdUndecided) {
            // The held statement's first words were cut off by the end of a line (ALTER -- why\n DATABASE …): it
            // is held until its words say what it is.
            const SqlLexer::DbStatement st =
                SqlLexer::dbStatement(heldEnded ? heldHead : m_head, !m_stdStrings, heldEnded || m_headOverflow);
            if (st.kind == SqlLexer::DbStatement::Undecided)
                return true;
            m_holdUndecided = false;
            if (st.kind == SqlLexer::DbStatement::No) {
                m_holding = false;
                const QByteArray text = std::exchange(m_holdBuf, QByteArray());
                if (!m_held.isEmpty() && !flushHeld())
                    return false;
                return forward(text);
            }
        }
        if (m_inStatement || m_state != State::Normal)
            return true;
        m_holding = false;
        const Held h{std::exchange(m_holdBuf, QByteArray()), m_holdLine};
        return m_connectedTo.isEmpty() ? (m_held.append(h), true) : resolveHeld(h);
    }
    const SqlLexer::DbStatement first =
        startsHere == 1 && firstAtLineStart && !copyStarts
            ? SqlLexer::dbStatement(firstHead, !m_stdStrings, firstEnded || m_headOverflow)
            : SqlLexer::DbStatement{};
    if (first.kind != SqlLexer::DbStatement::No) {
        if (m_inStatement || m_state != State::Normal) {
            m_holding = true;
            m_holdUndecided = first.kind == SqlLexer::DbStatement::Undecided;
            m_holdBuf = line;
            m_holdLine = m_lineNo;
            return true;
        }
        const Held h{line, m_lineNo};
        return m_connectedTo.isEmpty() ? (m_held.append(h), true) : resolveHeld(h);
    }
    // Held database statements not followed by a \connect go out unchanged, in order, before the next statement.
    if (startsHere > 0 && !m_held.isEmpty() && !flushHeld())
        return false;
    if (copyStarts)
        m_state = State::CopyData;
    return forward(line);
}

} // namespace lifeboat
