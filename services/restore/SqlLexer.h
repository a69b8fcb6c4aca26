#pragma once

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace lifeboat {

// psql's lexical rules, as PsqlScriptFilter needs them to tell a backup's SQL from a meta-command and to recognise
// the database-level statements pg_dump writes: what a character is to psql's scanner, the tokens of a statement's
// text, and \connect's argument splitting. Kept apart from the filter's line-by-line state machine so each can be
// read on its own; the filter is their only user.
class SqlLexer {
public:
    // A word, "quoted identifier", '…' string, $tag$…$tag$ body or single character of SQL text, with where it is
    // in that text; comments and whitespace separate tokens and are not tokens.
    struct Token {
        qsizetype start = 0;
        qsizetype length = 0;
        char kind = 'o'; // 'w' word, 'i' quoted identifier, 's' string, 'o' anything else
    };

    // What a statement's leading tokens make it: one of the database-level statements pg_dump writes before its
    // \connect (CREATE DATABASE, ALTER DATABASE, COMMENT ON DATABASE), another statement, or not known yet (the
    // statement goes on past the text seen so far). Words are matched as tokens, so a comment between them does not
    // hide the statement and a string holding the words does not make one.
    struct DbStatement {
        enum Kind { No, Undecided, Create, Other };
        Kind kind = No;
        Token name; // the database name's token, when there is one
    };

    static bool isSpace(char c);
    // psql's ident_cont: letters, digits, '_', '$' and every non-ASCII byte.
    static bool isIdentChar(char c);
    static bool isTagStart(char c);

    // Tokens of a statement's text, at most maxTokens of them. escapeStrings: every '…' takes backslash escapes
    // (standard_conforming_strings off), as E'…' always does.
    static QList<Token> tokens(const QByteArray &s, bool escapeStrings, qsizetype maxTokens);
    static bool isWord(const QByteArray &s, const Token &t, const char *word);
    // The name a token stands for: a "quoted" identifier as written, a bare one folded to lower case (ASCII letters
    // only, as the server does for multibyte encodings).
    static QString identName(const QByteArray &s, const Token &t);
    static DbStatement dbStatement(const QByteArray &s, bool escapeStrings, bool complete);
    // psql's argument splitting for \connect: whitespace-separated, "…" (with "") and '…' (with '' or \') quoting.
    static QStringList splitArgs(const QByteArray &bytes, bool *ok);
};

} // namespace lifeboat
