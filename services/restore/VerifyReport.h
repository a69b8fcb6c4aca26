#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace lifeboat {

// The outcome of a verification: each check with its numbers and duration, rendered as JSON (machines, the
// catalog) and as one self-contained HTML page (inline CSS, no scripts or external resources) for people.
struct VerifyReport {
    // What the report is about: a verification restores into a temporary database and drops it; a restore's report
    // checks the database the operator restored into, which is kept. The wording of every rendering follows it.
    enum class Kind { Verification, Restore };

    struct Check {
        QString id;    // restore, row-counts, foreign-keys, readable, object-counts
        QString title; // "Row counts match the manifest"
        bool passed = false;
        bool skipped = false;
        QString summary;      // one line: what was found
        QStringList failures; // one line per failing item, naming it (e.g. the table)
        QJsonArray rows;      // per-item numbers: [{"table": …, "expected": …, "actual": …}, …]
        qint64 durationMs = 0;
    };

    QString source;    // "backup #12 (…)" or a path
    QString copy;      // which stored copy was read ("copy used: S3 storage …"), empty for a file
    QString signature; // who signed the manifest ("signed by this installation (key …)", "unsigned", …)
    QString server;    // host:port
    QString database;  // the temporary database (Verification) or the restored one (Restore)
    Kind kind = Kind::Verification;
    QString tool;
    QDateTime started;
    QDateTime finished;
    QList<Check> checks;
    QString error; // set when verification could not run to the end

    bool passed() const;
    QStringList failedCheckTitles() const;
    QJsonObject toJson() const;
    static VerifyReport fromJson(const QJsonObject &o);
    QString toHtml() const;

    // "19 ms", "2.4 s", "3 min 05 s": the report's durations, for people.
    static QString humanDuration(qint64 ms);
};

} // namespace lifeboat
