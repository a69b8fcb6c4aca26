#pragma once

#include "jobs/JobProgress.h"

#include "pg/Conninfo.h"
#include "pg/PgToolLocator.h"
#include "restore/ArchiveHeader.h"
#include "restore/RestoreOptions.h"
#include "restore/RestorePlan.h"
#include "restore/RestoreSource.h"
#include "restore/SafetyCheck.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <atomic>
#include <functional>
#include <memory>

namespace lifeboat {

// The restore machinery that RestoreJob and VerifyJob share: it inspects a source (checksum, header, tools, TOC)
// and runs pg_restore or psql into a database.
//
// One copy, the bytes that were hashed: checkIntegrity() copies a catalogued backup (one of its copies, local first,
// the next when one is missing or damaged) or a file with a known checksum into a private scratch directory (0700,
// removed afterwards), hashing on the way; every later reader reads that copy. Then — the rule for temporary files:
//  * an unencrypted archive is handed to pg_restore by path (seekable: -j, -L and --list work directly);
//  * an encrypted custom archive restored whole with one job is decrypted straight into pg_restore's stdin;
//  * an encrypted archive that must be seeked — --jobs > 1, a selective restore (-L), verification (which reads
//    the TOC and the schema more than once) or the tar formats — is decrypted once into a private temporary file;
//  * a directory-format backup (stored as a pax tar) is unpacked into the scratch directory, then pg_restore -j;
//  * plain SQL (.sql, .sql.gz) always streams: [decrypt →] [gunzip →] psql stdin.
// A file without a known checksum is read in place (and read in full before anything is touched).
class RestoreEngine {
public:
    enum class Input { Unknown, Custom, PgTar, DirectoryTar, PlainSql, GzipSql };
    struct Outcome {
        Error error;
        QStringList errors;    // messages of failed statements, in order
        int ignoredErrors = 0; // pg_restore's "errors ignored on restore: N", less the known-benign ones
        QStringList warnings;  // known-benign errors (see restore())
        int itemsDone = 0;
        int itemsTotal = 0;
        qint64 bytes = 0;
        qint64 durationMs = 0;
        QString command; // the tool that ran, for the log ("pg_restore 15.4")
    };
    using LogFn = std::function<void(const QString &)>;
    using ProgressFn = std::function<void(const JobProgress &)>;

    RestoreEngine(RestoreSource source, QString pgToolDir, QString workDir, const std::atomic_bool *cancel);
    ~RestoreEngine();

    void setLog(LogFn fn) { m_log = std::move(fn); }
    RestoreSource &source() { return m_source; }

    SafetyCheck checkIntegrity();
    SafetyCheck inspectArchive();
    // pg_restore (or psql for SQL) that reads this archive and suits a server of this version.
    SafetyCheck chooseTool(const PgVersion &server);
    // Reads the TOC (pg_restore --list) into the plan; with definitions also the schema script. fullRead reads
    // every data block (pg_restore -f /dev/null) so a truncated archive without a known checksum is caught.
    SafetyCheck checkReadable(bool needSeekable, bool needDefinitions, bool fullRead);
    // The pg_restore jobs for a restore that left the choice to Lifeboat (RestoreOptions::kAutoJobs), after
    // checkReadable: RestoreJobsChoice decides from this archive, the options and the scratch disk's room.
    int autoJobs(const RestoreOptions &o, QString *why) const;
    // Decompresses (or decrypts) the archive once into the scratch directory for a parallel restore — before the
    // target is touched. A failure leaves no partial file.
    bool prepareSeekable(Error *error) { return ensureSeekable(error); }

    Input input() const { return m_input; }
    bool hasToc() const {
        return m_input == Input::Custom || m_input == Input::PgTar || m_input == Input::DirectoryTar;
    }
    const ArchiveHeader &header() const { return m_header; }
    const RestorePlan &plan() const { return m_plan; }
    const PgToolLocator::Tool &tool() const { return m_tool; }
    QString inputDescription() const;

    // The dump ids a restore with these options would restore (all entries when no tables are chosen).
    QSet<int> selection(const RestoreOptions &o, QString *error) const;
    // With --clean, pg_restore tries to drop each partition's copy of an inherited primary key/unique constraint
    // before the parent's and PostgreSQL answers "cannot drop inherited constraint"; the constraint goes away with
    // the parent's a moment later and is recreated, so the result is exact. Those errors are reported as
    // warnings, not failures; every other error fails the restore.
    Outcome restore(const Conninfo &target, const QString &password, const RestoreOptions &o, ProgressFn progress);

    // Environment for a child that connects with `password`: secret-free (ChildEnvironment::forPgTool),
    // the password reaching it through PGPASSFILE only.
    static QProcessEnvironment childEnv(const QString &password, const QString &passFilePath);
    // psql's \restrict (restricted mode: every meta-command refused until \unrestrict KEY) exists from these
    // minor releases on; plain scripts run under a fresh key where it does.
    static bool psqlHasRestrict(const PgVersion &version);
    // Why this psql may not run a plain script (it lacks \restrict), with the minimum releases and the package to
    // update; empty when it may.
    static QString plainScriptRefusal(const PgToolLocator::Tool &psql);
    static QByteArray restrictKey();

private:
    bool ensureScratch(Error *error);
    bool ensureSeekable(Error *error);
    bool runToc(const QStringList &args, QByteArray *out, Error *error, bool earlyExitOk);
    // The last line of a tool's stderr that reads as an error (else its last line), for a refusal or failure.
    static QString lastError(const QStringList &tail);
    void log(const QString &line) {
        if (m_log)
            m_log(line);
    }

    RestoreSource m_source;
    QString m_pgToolDir;
    QString m_workDir;
    const std::atomic_bool *m_cancel;
    LogFn m_log;
    std::unique_ptr<QTemporaryDir> m_scratch;
    Input m_input = Input::Unknown;
    ArchiveHeader m_header;
    RestorePlan m_plan;
    PgToolLocator::Tool m_tool;
    QString m_path; // seekable plaintext archive file or directory, when there is one
    bool m_verified = false;
};

} // namespace lifeboat
