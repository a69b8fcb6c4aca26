#pragma once

#include "pipeline/ByteSink.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <utility>

namespace lifeboat {

// The stage between a plain SQL backup (after decryption/decompression) and psql's stdin. psql obeys backslash
// meta-commands from its input — `\!` runs a shell command on the operator's machine, `\connect` leaves the
// confirmed target, `\o |cmd`, `\copy … program`, `\setenv`, `\i`, `\gexec`, `\set ON_ERROR_STOP` … — so no
// meta-command carried by a backup reaches psql:
//
//  * It follows psql's own lexical rules line by line: '…' strings (E'…' with backslash escapes, and every '…'
//    after `SET standard_conforming_strings = off`), "…" identifiers, $tag$…$tag$ bodies, -- and nested /* */
//    comments, parentheses, and `COPY … FROM stdin;` whose data block (until a line `\.`) passes untouched. A
//    backslash anywhere else is a meta-command, exactly where psql would see one — a string literal holding a
//    newline followed by a backslash is still inside the string, so it is data, not a command.
//  * pg_dump's own lines are handled, not trusted: `\restrict KEY` / `\unrestrict KEY` (pg_dump 15.14+) are dropped
//    (Lifeboat runs psql under its own `\restrict` key instead, see RestoreEngine); the `\connect DB` of a dump made
//    with --create is dropped because the session already is the confirmed target, and the dump's
//    `CREATE DATABASE DB` is dropped while its `ALTER DATABASE DB …` / `COMMENT ON DATABASE DB …` are pointed at the
//    target. These statements are recognised by their tokens (comments between the words, `ALTER/*x*/DATABASE`, do
//    not hide one; a string holding the words is not one). A second \connect to another database, or a \connect naming
//    a host, user or conninfo, is refused.
//  * Every other meta-command fails the stream (ExitCode::Refused) with the command and its line; nothing after it
//    is forwarded, and the caller kills psql, so its --single-transaction never commits.
//
// Bound: if the lexer and psql ever disagreed about where a string ends (a psql variable interpolation, an
// encoding psql scans differently), a meta-command could pass this stage — psql's restricted mode with a key the
// file cannot know is the second guard, and refuses it too. Memory: one line (COPY data streams) or, for the few
// database-level statements held until their \connect is known, one statement.
class PsqlScriptFilter : public ByteSink {
public:
    // An empty targetDatabase is the whole-script scan before a restore (into a null sink, psql not started): its
    // refusals say that the target was not touched rather than that psql was stopped.
    PsqlScriptFilter(ByteSink *next, QString targetDatabase);

    void setLog(std::function<void(const QString &)> fn) { m_log = std::move(fn); }

    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;

    // What was dropped or rewritten, for the report.
    QStringList notes() const { return m_notes; }
    qint64 linesSeen() const { return m_lineNo; }

    static QString quoteIdent(const QString &name);

private:
    enum class State { Normal, SingleQuote, DoubleQuote, Dollar, BlockComment, CopyData };
    struct Held {
        QByteArray text;
        qint64 line = 0;
    };

    bool processLine(const QByteArray &line); // line includes its '\n' when it had one
    bool metaCommand(const QByteArray &line, qsizetype at, bool lineStart);
    bool handleConnect(const QByteArray &args);
    bool statementEnded();
    bool checkSettings(const QByteArray &line, bool lineStartsClean);
    bool forward(const QByteArray &bytes);
    bool flushHeld();
    bool resolveHeld(const Held &h);
    bool refuse(const QString &message);
    void note(const QString &text);

    ByteSink *m_next;
    QString m_target;
    std::function<void(const QString &)> m_log;
    QByteArray m_line;
    qint64 m_lineNo = 0;
    State m_state = State::Normal;
    bool m_escapeString = false;
    bool m_stdStrings = true;
    QByteArray m_dollarTag;
    int m_commentDepth = 0;
    int m_parenDepth = 0;
    QByteArray m_head; // the current statement's text so far (bounded), outside comments
    QByteArray m_bare; // the same without the contents of quoted strings and identifiers
    bool m_inStatement = false;
    bool m_headOverflow = false; // the current statement's head outgrew kHeadLimit
    int m_stdStringsNext = -1;   // pg_dump's SET standard_conforming_strings line, applied from the next line
    bool m_copyNext = false;
    bool m_copyMidLine = false;   // part of a long COPY data line was already forwarded
    bool m_holding = false;       // the current statement is a database-level one held back
    bool m_holdUndecided = false; // … or may be one: its first words are not all read yet
    QByteArray m_holdBuf;
    qint64 m_holdLine = 0;
    QList<Held> m_held; // database-level statements before the first \connect
    QString m_connectedTo;
    QStringList m_notes;
    bool m_failed = false;
};

} // namespace lifeboat
