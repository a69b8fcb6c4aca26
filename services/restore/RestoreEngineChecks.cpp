// RestoreEngine: the safety checks a restore runs before it touches the target — the artifact's integrity, what
// the archive is, which client tool fits the server, and whether the archive reads through — apart from the restore
// itself (RestoreEngine.cpp).
#include "restore/RestoreEngine.h"

#include "core/ChildEnvironment.h"

#include "jobs/ChildProcess.h"
#include "pg/PgPassFile.h"
#include "pipeline/GunzipStage.h"
#include "pipeline/HashStage.h"
#include "pipeline/MemorySink.h"
#include "pipeline/ProgressStage.h"
#include "restore/ProcessStdinSink.h"
#include "restore/PsqlScriptFilter.h"
#include "restore/RestoreJobsChoice.h"
#include "restore/TarExtractor.h"

#include "core/ScratchName.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStorageInfo>

namespace lifeboat {

namespace {
using CheckOutcome = SafetyCheck::Outcome;

SafetyCheck check(const QString &id, const QString &title, CheckOutcome outcome, const QString &detail,
                  ExitCode code = ExitCode::Ok) {
    return {id, title, outcome, detail,
            outcome == CheckOutcome::Refused && code == ExitCode::Ok ? ExitCode::Refused : code};
}
} // namespace

SafetyCheck RestoreEngine::checkIntegrity() {
    const QString title = QStringLiteral("Artifact integrity");
    Error e;
    bool skipped = false;
    QString actual;
    if (m_source.needsFetch()) {
        if (!ensureScratch(&e))
            return check(QStringLiteral("integrity"), title, CheckOutcome::Refused, e.message, e.code);
        log(QStringLiteral("copying %1 into a private scratch directory (SHA-256 checked on the way)")
                .arg(m_source.displayName()));
        if (!m_source.fetchVerified(m_scratch->path(), &e))
            return check(QStringLiteral("integrity"), title, CheckOutcome::Refused, e.message, e.code);
        for (const QString &s : m_source.copyUsed().skipped)
            log(QStringLiteral("copy passed over: ") + s);
    }
    if (!m_source.verifyIntegrity(&e, &skipped, &actual))
        return check(QStringLiteral("integrity"), title, CheckOutcome::Refused, e.message,
                     e.code == ExitCode::Integrity ? ExitCode::Integrity : e.code);
    if (skipped)
        return check(QStringLiteral("integrity"), title, CheckOutcome::Warning,
                     QStringLiteral("no checksum known for %1 (no catalog record or manifest): the archive is read "
                                    "in full before anything is touched instead")
                         .arg(m_source.displayName()));
    m_verified = true;
    QString detail = QStringLiteral("SHA-256 %1 matches (%2 bytes)").arg(actual).arg(m_source.size());
    if (m_source.copyUsed().valid())
        detail += QStringLiteral("; ") + m_source.copyDescription();
    return check(QStringLiteral("integrity"), title, CheckOutcome::Passed, detail);
}

SafetyCheck RestoreEngine::inspectArchive() {
    const QString id = QStringLiteral("archive");
    const QString title = QStringLiteral("Archive format");
    Error e;
    const QByteArray head = m_source.peekPlain(64 * 1024, &e);
    if (e)
        return check(id, title, CheckOutcome::Refused, e.message,
                     e.code == ExitCode::Usage ? ExitCode::Usage : ExitCode::Integrity);
    m_header = ArchiveHeader::parse(head);
    const QString notBackup = QStringLiteral("%1 is not a PostgreSQL backup (%2: no pg_dump archive header, not "
                                             "SQL text) — check that the right file was given")
                                  .arg(m_source.displayName(), m_header.kindName());
    switch (m_header.kind) {
    case ArchiveHeader::Kind::Custom:
        m_input = Input::Custom;
        break;
    case ArchiveHeader::Kind::PlainSql:
        m_input = Input::PlainSql;
        break;
    case ArchiveHeader::Kind::Gzip: {
        MemorySink text;
        GunzipStage gunzip(&text);
        gunzip.write(head);
        if (ArchiveHeader::parse(text.data()).kind != ArchiveHeader::Kind::PlainSql)
            return check(id, title, CheckOutcome::Refused, notBackup, ExitCode::Integrity);
        m_input = Input::GzipSql;
        break;
    }
    case ArchiveHeader::Kind::Tar: {
        if (m_header.tarFirstMember == QLatin1String("toc.dat") && m_header.format == ArchiveHeader::FormatTar) {
            m_input = Input::PgTar;
            break;
        }
        // Lifeboat's directory-format backup: unpack into the scratch directory, then read its toc.dat.
        if (!ensureScratch(&e))
            return check(id, title, CheckOutcome::Refused, e.message, e.code);
        QString tarPath = m_source.localPlainPath();
        if (tarPath.isEmpty()) {
            tarPath = m_source.materialize(m_scratch->path(), &e);
            if (tarPath.isEmpty())
                return check(id, title, CheckOutcome::Refused, e.message, ExitCode::Integrity);
        }
        const QString dir = m_scratch->path() + QStringLiteral("/dump");
        QDir().mkpath(dir);
        if (!TarExtractor::extract(tarPath, dir, m_cancel, &e))
            return check(id, title, CheckOutcome::Refused, e.message, ExitCode::Integrity);
        QFile toc(dir + QStringLiteral("/toc.dat"));
        if (!toc.open(QIODevice::ReadOnly))
            return check(id, title, CheckOutcome::Refused,
                         QStringLiteral("%1 is a tar archive without a pg_dump toc.dat — not a directory-format "
                                        "backup")
                             .arg(m_source.displayName()),
                         ExitCode::Integrity);
        m_header = ArchiveHeader::parse(toc.read(64 * 1024));
        if (!m_header.isPgArchive())
            return check(id, title, CheckOutcome::Refused, notBackup, ExitCode::Integrity);
        m_input = Input::DirectoryTar;
        m_path = dir;
        break;
    }
    default:
        return check(id, title, CheckOutcome::Refused, notBackup, ExitCode::Integrity);
    }
    QString detail = inputDescription();
    if (hasToc()) {
        detail += QStringLiteral(", archive format %1").arg(m_header.versionString());
        if (m_header.complete)
            detail += QStringLiteral(", made by pg_dump %1 from database \"%2\" (server %3)")
                          .arg(m_header.dumpVersion.section(QLatin1Char(' '), 0, 0), m_header.database,
                               m_header.serverVersion.section(QLatin1Char(' '), 0, 0));
    }
    if (m_source.storedIsZstd() || m_source.fileName().contains(QLatin1String(".zst")))
        detail += QStringLiteral("; zstd-compressed (decompressed on the way)");
    if (m_source.encrypted())
        detail += QStringLiteral("; age-encrypted, a given identity opened it");
    return check(id, title, CheckOutcome::Passed, detail);
}

SafetyCheck RestoreEngine::chooseTool(const PgVersion &server) {
    const QString id = QStringLiteral("client");
    const QString title = QStringLiteral("Client tools fit archive and server");
    const QString name = hasToc() ? QStringLiteral("pg_restore") : QStringLiteral("psql");
    const PgToolLocator locator(m_pgToolDir);
    Error e;
    PgToolLocator::Tool tool = locator.choose(name, server, &e);
    if (e) {
        // Fall back to the newest client for the archive check's sake; the server mismatch is the message.
        return check(id, title, CheckOutcome::Refused, e.message);
    }
    if (hasToc()) {
        const QString mismatch = m_header.clientMismatch(tool.version.major);
        if (!mismatch.isEmpty()) {
            // Another installed client may read it.
            const int need = ArchiveHeader::pgDumpMajorForArchive(m_header.versionMajor, m_header.versionMinor);
            Error e2;
            const PgToolLocator::Tool newer = locator.choose(name, PgVersion{qMax(need, server.major), 0}, &e2);
            if (e2 || !m_header.clientMismatch(newer.version.major).isEmpty())
                return check(id, title, CheckOutcome::Refused, mismatch);
            tool = newer;
        }
    }
    if (!hasToc()) {
        const QString why = plainScriptRefusal(tool);
        if (!why.isEmpty())
            return check(id, title, CheckOutcome::Refused, why);
    }
    m_tool = tool;
    QString detail =
        QStringLiteral("%1 %2 (%3) for server %4").arg(name, tool.version.toString(), tool.path, server.toString());
    if (hasToc() && m_header.complete)
        detail += QStringLiteral(", archive from pg_dump %1").arg(m_header.dumpMajor());
    return check(id, title, CheckOutcome::Passed, detail);
}

bool RestoreEngine::runToc(const QStringList &args, QByteArray *out, Error *error, bool earlyExitOk) {
    MemorySink sink;
    if (!m_path.isEmpty()) {
        ChildProcess child(m_tool.path, args + QStringList{m_path}, childEnv({}, {}));
        child.setCancelFlag(m_cancel);
        if (!child.run(&sink)) {
            *error = {child.wasCancelled() ? ExitCode::Cancelled : ExitCode::Integrity,
                      lastError(child.stderrTail()).isEmpty() ? child.errorText() : lastError(child.stderrTail())};
            return false;
        }
    } else {
        ProcessStdinSink child(m_tool.path, args, childEnv({}, {}));
        child.setCancelFlag(m_cancel);
        child.setEarlyExitOk(earlyExitOk);
        QByteArray collected;
        child.setStdoutHandler([&](const QString &l) { collected += l.toUtf8() + '\n'; });
        Error e;
        if (!child.start() || (!m_source.streamPlain(&child, &e) && !child.endedEarly()) || !child.finish()) {
            const QString msg = lastError(child.stderrTail());
            *error = {ExitCode::Integrity, msg.isEmpty() ? (e ? e.message : child.error().message) : msg};
            return false;
        }
        *out = collected;
        return true;
    }
    *out = sink.data();
    return true;
}

SafetyCheck RestoreEngine::checkReadable(bool needSeekable, bool needDefinitions, bool fullRead) {
    const QString id = QStringLiteral("readable");
    const QString title = QStringLiteral("Archive readable");
    Error e;
    if (!hasToc()) {
        // The whole script passes the meta-command filter (into a null sink) before anything touches the target:
        // psql's --single-transaction does not hold a script that says COMMIT itself, so a refusal at its last line
        // must come before its first statement runs. The restore streams the same bytes through the filter again.
        (void)fullRead; // a plain script is always read in full here
        HashStage null(nullptr);
        PsqlScriptFilter filter(&null, QString());
        std::unique_ptr<GunzipStage> gunzip;
        ByteSink *head = &filter;
        if (m_input == Input::GzipSql) {
            gunzip = std::make_unique<GunzipStage>(&filter);
            head = gunzip.get();
        }
        if (!m_source.streamPlain(head, &e) || !head->finish()) {
            head->abort();
            if (filter.error())
                return check(id, title, CheckOutcome::Refused,
                             QStringLiteral("safety scan of the whole script, before anything was touched: %1")
                                 .arg(filter.error().message),
                             filter.error().code);
            if (e.code == ExitCode::Cancelled)
                return check(id, title, CheckOutcome::Refused, QStringLiteral("cancelled"), ExitCode::Cancelled);
            return check(
                id, title, CheckOutcome::Refused,
                QStringLiteral("the SQL script is damaged or truncated: %1").arg(e ? e.message : head->error().message),
                ExitCode::Integrity);
        }
        return check(id, title, CheckOutcome::Passed,
                     QStringLiteral("%1, %2 lines scanned, no psql meta-command; its statements run in one "
                                    "transaction")
                         .arg(inputDescription())
                         .arg(filter.linesSeen()));
    }
    if ((needSeekable || needDefinitions || m_input != Input::Custom) && !ensureSeekable(&e))
        return check(id, title, CheckOutcome::Refused, e.message,
                     e.code == ExitCode::Usage ? e.code : ExitCode::Integrity);
    QByteArray list;
    if (!runToc({QStringLiteral("--list")}, &list, &e, true))
        return check(id, title, CheckOutcome::Refused,
                     QStringLiteral("pg_restore cannot read the archive's table of contents: %1").arg(e.message),
                     ExitCode::Integrity);
    QString perr;
    m_plan = RestorePlan::fromList(QString::fromUtf8(list), &perr);
    if (!perr.isEmpty())
        return check(id, title, CheckOutcome::Refused, perr, ExitCode::Integrity);
    if (needDefinitions) {
        QByteArray script;
        if (!runToc({QStringLiteral("--schema-only"), QStringLiteral("--file=-")}, &script, &e, false))
            return check(id, title, CheckOutcome::Refused,
                         QStringLiteral("pg_restore cannot read the archive's schema: %1").arg(e.message),
                         ExitCode::Integrity);
        m_plan.attachDefinitions(QString::fromUtf8(script));
    }
    QString how = QStringLiteral("table of contents read");
    if (fullRead) {
        QByteArray ignored;
        if (!runToc({QStringLiteral("--file=") + QStringLiteral("/dev/null")}, &ignored, &e, false))
            return check(id, title, CheckOutcome::Refused,
                         QStringLiteral("the archive is damaged or truncated — pg_restore: %1").arg(e.message),
                         ExitCode::Integrity);
        how = QStringLiteral("every block read");
    }
    return check(id, title, CheckOutcome::Passed,
                 QStringLiteral("%1 entries, %2 tables; %3")
                     .arg(m_plan.entries().size())
                     .arg(m_plan.tableIndexes().size())
                     .arg(how));
}

} // namespace lifeboat
