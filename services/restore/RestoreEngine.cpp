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
qint64 archiveBytes(const QString &path) {
    const QFileInfo fi(path);
    if (!fi.isDir())
        return fi.size();
    qint64 total = 0;
    for (const QFileInfo &f : QDir(path).entryInfoList(QDir::Files))
        total += f.size();
    return total;
}

} // namespace

QString RestoreEngine::lastError(const QStringList &tail) {
    for (auto it = tail.crbegin(); it != tail.crend(); ++it) {
        if (it->contains(QLatin1String("error:")) || it->contains(QLatin1String("FATAL")) ||
            it->contains(QLatin1String("ERROR:")))
            return *it;
    }
    return tail.isEmpty() ? QString() : tail.last();
}

namespace {

// Parses pg_restore --verbose / psql stderr into progress and the error list.
class ToolOutput {
public:
    explicit ToolOutput(RestoreEngine::Outcome *out)
        : m_out(out) {}
    void onPgRestoreLine(const QString &line) {
        noteStep(line);
        static const QRegularExpression item(
            QStringLiteral(R"(^pg_restore: (creating|processing data for|processing|executing) )"));
        static const QRegularExpression ignored(QStringLiteral(R"(errors ignored on restore: (\d+))"));
        if (line.startsWith(QLatin1String("pg_restore: entering main parallel loop"))) {
            m_parallel = true;
        } else if (m_parallel && line.startsWith(QLatin1String("pg_restore: finished item "))) {
            bump();
        } else if (!m_parallel && item.match(line).hasMatch()) {
            bump();
        } else if (line.startsWith(QLatin1String("pg_restore: error:"))) {
            m_out->errors << line.mid(19).trimmed();
        } else if (line.startsWith(QLatin1String("Command was:")) && !m_out->errors.isEmpty()) {
            m_out->errors.last() += QStringLiteral(" [") + line.left(300) + QLatin1Char(']');
        } else if (const auto m = ignored.match(line); m.hasMatch()) {
            m_out->ignoredErrors = m.captured(1).toInt();
        }
    }
    void onPsqlLine(const QString &line) {
        if (line.contains(QLatin1String("ERROR:")) || line.contains(QLatin1String("FATAL:")))
            m_out->errors << line;
    }
    // What pg_restore is doing now, in words, for the progress line: a long COPY of one big table, or a materialized
    // view refreshing after all data is read, would otherwise sit at one number with nothing said.
    QString step() const { return m_step; }
    void noteStep(const QString &line) {
        static const QRegularExpression re(
            QStringLiteral(R"(^pg_restore: (?:launching item \d+ |)(creating|processing data for|executing) (.+)$)"));
        static const QRegularExpression launch(QStringLiteral(R"(^pg_restore: launching item \d+ (.+)$)"));
        QString verb, what;
        if (const auto m = re.match(line); m.hasMatch()) {
            verb = m.captured(1);
            what = m.captured(2);
        } else if (const auto l = launch.match(line); l.hasMatch()) {
            verb = QStringLiteral("launching");
            what = l.captured(1);
        } else {
            return;
        }
        what.remove(QLatin1Char('"'));
        if (what.startsWith(QLatin1String("MATERIALIZED VIEW DATA ")))
            m_step = QStringLiteral("refreshing materialized view ") + what.mid(23);
        else if (verb == QLatin1String("processing data for"))
            m_step = QStringLiteral("loading ") + what; // "loading table public.orders"
        else if (what.startsWith(QLatin1String("TABLE DATA ")))
            m_step = QStringLiteral("loading table ") + what.mid(11).replace(QLatin1Char(' '), QLatin1Char('.'));
        else
            m_step = verb == QLatin1String("launching") ? what : verb + QLatin1Char(' ') + what;
    }
    void bump() {
        ++m_out->itemsDone;
        if (m_out->itemsTotal > 0)
            m_out->itemsDone = qMin(m_out->itemsDone, m_out->itemsTotal);
    }

private:
    RestoreEngine::Outcome *m_out;
    bool m_parallel = false;
    QString m_step;
};
} // namespace

bool RestoreEngine::psqlHasRestrict(const PgVersion &v) {
    switch (v.major) {
    case 13:
        return v.minor >= 22;
    case 14:
        return v.minor >= 19;
    case 15:
        return v.minor >= 14;
    case 16:
        return v.minor >= 10;
    case 17:
        return v.minor >= 6;
    default:
        return v.major >= 18;
    }
}

QString RestoreEngine::plainScriptRefusal(const PgToolLocator::Tool &psql) {
    if (psqlHasRestrict(psql.version))
        return {};
    // The script filter alone is not trusted with a script: where its lexer and psql's could disagree, only psql's
    // restricted mode stops a meta-command, so a psql without it is refused before anything is touched.
    return QStringLiteral("%1 %2 has no restricted mode (\\restrict), which Lifeboat needs to run a plain SQL script "
                          "safely — update the PostgreSQL client to 13.22, 14.19, 15.14, 16.10, 17.6 or newer "
                          "(Debian: apt install --only-upgrade postgresql-client-%3, or the PGDG "
                          "postgresql-client-%3), or set the pgToolDir option to such a client's bin directory; "
                          "nothing was touched")
        .arg(psql.path.isEmpty() ? QStringLiteral("psql") : psql.path, psql.version.toString())
        .arg(psql.version.major);
}

QByteArray RestoreEngine::restrictKey() {
    // psql accepts an alphanumeric key; 43 characters from the system CSPRNG, fresh for every run.
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray key;
    for (int i = 0; i < 43; ++i)
        key += alphabet[QRandomGenerator::system()->bounded(int(sizeof(alphabet) - 1))];
    return key;
}

RestoreEngine::RestoreEngine(RestoreSource source, QString pgToolDir, QString workDir, const std::atomic_bool *cancel)
    : m_source(std::move(source))
    , m_pgToolDir(std::move(pgToolDir))
    , m_workDir(std::move(workDir))
    , m_cancel(cancel) {
    m_source.setCancelFlag(cancel);
    m_source.setUnwrapZstd(true); // NAME.dump.zst & co.: every reader here sees the archive inside
}

RestoreEngine::~RestoreEngine() = default;

QProcessEnvironment RestoreEngine::childEnv(const QString &password, const QString &passFilePath) {
    return ChildEnvironment::forPgTool(password.isEmpty() ? QStringList{} : QStringList{password}, passFilePath);
}

bool RestoreEngine::ensureScratch(Error *error) {
    if (m_scratch)
        return true;
    const QString base = m_workDir.isEmpty() ? QDir::tempPath() : m_workDir;
    m_scratch = std::make_unique<QTemporaryDir>(ScratchName::templatePath(QStringLiteral("restore"), base));
    if (!m_scratch->isValid()) {
        *error = {ExitCode::Usage, QStringLiteral("cannot create a scratch directory in %1").arg(base)};
        m_scratch.reset();
        return false;
    }
    return true;
}

bool RestoreEngine::ensureSeekable(Error *error) {
    if (!m_path.isEmpty())
        return true;
    m_path = m_source.localPlainPath();
    if (!m_path.isEmpty())
        return true;
    if (!ensureScratch(error))
        return false;
    log(QStringLiteral("%1 %2 into a private temporary file")
            .arg(m_source.encrypted() ? QStringLiteral("decrypting") : QStringLiteral("decompressing"),
                 m_source.displayName()));
    m_path = m_source.materialize(m_scratch->path(), error);
    return !m_path.isEmpty();
}

QString RestoreEngine::inputDescription() const {
    switch (m_input) {
    case Input::Custom:
        return QStringLiteral("pg_dump custom archive");
    case Input::PgTar:
        return QStringLiteral("pg_dump tar archive");
    case Input::DirectoryTar:
        return QStringLiteral("pg_dump directory archive (stored as tar)");
    case Input::PlainSql:
        return QStringLiteral("plain SQL script");
    case Input::GzipSql:
        return QStringLiteral("gzip-compressed SQL script");
    case Input::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QSet<int> RestoreEngine::selection(const RestoreOptions &o, QString *error) const {
    if (!o.tables.isEmpty()) {
        QSet<int> ids = m_plan.selectionForTables(o.tables, error);
        // Into a database created for this restore, the tables' schemas must be created too; an existing database
        // is expected to have them (CREATE SCHEMA there would fail).
        if (o.create && !ids.isEmpty()) {
            QSet<QString> schemas;
            for (const TocEntry &e : m_plan.entries()) {
                if (ids.contains(e.dumpId) && e.isTable())
                    schemas.insert(e.schema);
            }
            for (const TocEntry &e : m_plan.entries()) {
                if (e.type == QLatin1String("SCHEMA") && schemas.contains(e.name))
                    ids.insert(e.dumpId);
            }
        }
        return ids;
    }
    QSet<int> all;
    for (const TocEntry &e : m_plan.entries())
        all.insert(e.dumpId);
    return all;
}

int RestoreEngine::autoJobs(const RestoreOptions &o, QString *why) const {
    RestoreJobsChoice::Input in;
    in.customOrDirectory = m_input == Input::Custom || m_input == Input::DirectoryTar;
    in.inputDescription = inputDescription();
    in.encrypted = m_source.encrypted();
    in.tablesChosen = !o.tables.isEmpty();
    in.schemaOnly = o.schemaOnly;
    in.desktopWording = o.desktopWording;
    for (const TocEntry &t : m_plan.entries())
        in.tablesWithData += t.type == QLatin1String("TABLE DATA") ? 1 : 0;
    if (m_source.manifest() && !m_source.manifest()->tables.isEmpty()) {
        in.rowsTotal = in.rowsLargest = 0;
        for (const Manifest::Table &t : m_source.manifest()->tables) {
            in.rowsTotal += t.rows;
            in.rowsLargest = qMax(in.rowsLargest, t.rows);
        }
    }
    in.needsDecompressedCopy = m_path.isEmpty() && m_source.localPlainPath().isEmpty();
    in.decompressedBytes = m_source.isRecord() ? m_source.record().bytesRead : -1;
    if (in.decompressedBytes < 0 && m_source.manifest())
        in.decompressedBytes = m_source.manifest()->bytesRead;
    in.scratchDir = m_scratch ? m_scratch->path() : (m_workDir.isEmpty() ? QDir::tempPath() : m_workDir);
    const QStorageInfo fs(in.scratchDir);
    in.scratchFreeBytes = fs.isValid() ? fs.bytesAvailable() : -1;
    return RestoreJobsChoice::choose(in, why);
}

RestoreEngine::Outcome RestoreEngine::restore(const Conninfo &target, const QString &password, const RestoreOptions &o,
                                              ProgressFn progress) {
    Outcome out;
    QElapsedTimer clock;
    clock.start();
    PgPassFile passFile;
    if (!password.isEmpty() && !passFile.create(password, target.withDatabase(o.targetDb))) {
        out.error = {ExitCode::Usage, QStringLiteral("cannot create a temporary password file")};
        return out;
    }
    const QProcessEnvironment env = childEnv(password, passFile.path());
    const QString conninfo = target.withDatabase(o.targetDb).toKeywordString();
    ToolOutput parser(&out);
    JobProgress p;
    p.phase = QStringLiteral("restoring");
    p.bytesTotal = m_source.size();
    auto emitProgress = [&](qint64 bytes) {
        p.bytes = bytes;
        p.itemsDone = out.itemsDone;
        p.itemsTotal = out.itemsTotal;
        p.currentItem = parser.step();
        if (progress)
            progress(p);
    };
    auto onLine = [&](const QString &line) {
        log(line);
        if (hasToc())
            parser.onPgRestoreLine(line);
        else
            parser.onPsqlLine(line);
        emitProgress(p.bytes);
    };

    QStringList args;
    Error e;
    if (hasToc()) {
        args << QStringLiteral("--verbose") << QStringLiteral("--dbname=") + conninfo;
        if (o.noOwner)
            args << QStringLiteral("--no-owner");
        if (o.noAcl)
            args << QStringLiteral("--no-acl");
        if (o.clean)
            args << QStringLiteral("--clean") << QStringLiteral("--if-exists");
        if (o.dataOnly)
            args << QStringLiteral("--data-only");
        if (o.schemaOnly)
            args << QStringLiteral("--schema-only");
        QString selErr;
        const QSet<int> ids = selection(o, &selErr);
        if (!selErr.isEmpty()) {
            out.error = {ExitCode::Usage, selErr};
            return out;
        }
        static const QStringList dataTypes{QStringLiteral("TABLE DATA"), QStringLiteral("SEQUENCE SET"),
                                           QStringLiteral("BLOBS"), QStringLiteral("LARGE OBJECTS"),
                                           QStringLiteral("BLOB")};
        for (const TocEntry &t : m_plan.entries()) {
            if (!ids.contains(t.dumpId) || (t.type == QLatin1String("BLOB")))
                continue;
            const bool data = dataTypes.contains(t.type);
            if ((o.dataOnly && !data) || (o.schemaOnly && data))
                continue;
            ++out.itemsTotal;
        }
        const bool needSeek = o.jobs > 1 || !o.tables.isEmpty();
        if (needSeek && !ensureSeekable(&e)) {
            out.error = e;
            return out;
        }
        // An unencrypted archive (the verified scratch copy, or a file read in place) goes to pg_restore by path.
        if (m_path.isEmpty())
            m_path = m_source.localPlainPath();
        if (!o.tables.isEmpty()) {
            if (!ensureScratch(&e)) {
                out.error = e;
                return out;
            }
            const QString listPath = m_scratch->path() + QStringLiteral("/restore.list");
            QFile lf(listPath);
            if (!lf.open(QIODevice::WriteOnly) || lf.write(m_plan.listFile(ids).toUtf8()) < 0) {
                out.error = {ExitCode::Usage, QStringLiteral("cannot write %1").arg(listPath)};
                return out;
            }
            lf.close();
            args << QStringLiteral("--use-list=") + listPath;
        }
        if (o.jobs > 1)
            args << QStringLiteral("--jobs=%1").arg(o.jobs);
    } else {
        args << QStringLiteral("-X") << QStringLiteral("-q") << QStringLiteral("-v")
             << QStringLiteral("ON_ERROR_STOP=1") << QStringLiteral("--single-transaction")
             << QStringLiteral("--dbname=") + conninfo << QStringLiteral("--file=-");
    }
    out.command = QStringLiteral("%1 %2").arg(QFileInfo(m_tool.path).fileName(), m_tool.version.toString());
    log(QStringLiteral("running %1 into database \"%2\"").arg(out.command, o.targetDb));

    bool ok = false;
    QString failure;
    if (hasToc() && !m_path.isEmpty()) {
        ChildProcess child(m_tool.path, args + QStringList{m_path}, env);
        child.setCancelFlag(m_cancel);
        child.setStderrHandler(onLine);
        ok = child.run(nullptr);
        if (ok) // pg_restore read the archive by path: what it read is the archive (a file, or a directory's files)
            out.bytes = archiveBytes(m_path);
        if (child.wasCancelled())
            out.error = {ExitCode::Cancelled, QStringLiteral("cancelled")};
        failure = child.errorText();
        if (!ok && out.errors.isEmpty())
            out.errors << lastError(child.stderrTail());
    } else {
        ProcessStdinSink child(m_tool.path, args, env);
        child.setCancelFlag(m_cancel);
        child.setStderrHandler(onLine);
        // pg_restore reading a stream stops once it has what it needs (--schema-only skips the data after the
        // TOC); its exit status 0 says it is done. psql reads to the end, always.
        child.setEarlyExitOk(hasToc());
        child.setStdoutHandler([&](const QString &) {
            parser.bump(); // psql echoes one command tag per statement
        });
        // Progress follows the stored bytes read against the stored size: the stream pg_restore or psql gets is
        // larger than the copy when it was compressed (NAME.dump.zst), so counting it would pass 100 %.
        ProgressStage counted(&child, {});
        m_source.setStoredProgress(
            [&](qint64 stored) { emitProgress(p.bytesTotal > 0 ? qMin(stored, p.bytesTotal) : stored); });
        const auto stopProgress = qScopeGuard([this] { m_source.setStoredProgress({}); });
        // No meta-command of the script reaches psql (PsqlScriptFilter), and psql itself runs restricted under a
        // key the script cannot know, so a command the filter missed would be refused by psql too.
        PsqlScriptFilter filter(&counted, o.targetDb);
        filter.setLog([this](const QString &l) { log(l); });
        std::unique_ptr<GunzipStage> gunzip;
        // The stream feeds pg_restore (an encrypted custom archive) or psql (plain SQL): only psql gets the filter,
        // the restricted mode and the server check.
        const bool psql = !hasToc();
        ByteSink *head = psql ? static_cast<ByteSink *>(&filter) : &counted;
        if (m_input == Input::GzipSql) {
            gunzip = std::make_unique<GunzipStage>(&filter);
            head = gunzip.get();
        }
        if (psql && !psqlHasRestrict(m_tool.version)) {
            // chooseTool refuses such a psql; this holds the line should a caller skip it.
            out.error = {ExitCode::Refused, plainScriptRefusal(m_tool)};
            return out;
        }
        if (!child.start()) {
            out.error = child.error();
            return out;
        }
        if (psql) {
            const QByteArray key = restrictKey();
            if (!child.write(QByteArray("\\restrict ") + key + '\n')) {
                out.error = child.error();
                return out;
            }
        }
        static const QRegularExpression identityForm(QStringLiteral("^[0-9]+:[0-9]+$"));
        if (psql && identityForm.match(o.expectedServerIdentity).hasMatch()) {
            // psql checks it reached the server the safety checks ran on before the script's first statement.
            const QByteArray guard =
                QStringLiteral("DO $lifeboat$ BEGIN IF (SELECT system_identifier::text || ':' || "
                               "current_setting('port') FROM pg_control_system()) IS DISTINCT FROM '%1' THEN RAISE "
                               "EXCEPTION 'lifeboat: psql reached another server than the one checked (%1)'; END IF; "
                               "END $lifeboat$;\n")
                    .arg(o.expectedServerIdentity)
                    .toUtf8();
            if (!child.write(guard)) {
                out.error = child.error();
                return out;
            }
        }
        ok = (m_source.streamPlain(head, &e) || (!psql && child.endedEarly())) && head->finish();
        out.warnings << filter.notes();
        if (!ok && psql && filter.error()) {
            head->abort();
            out.error = filter.error();
            out.durationMs = clock.elapsed();
            return out;
        }
        if (!ok) {
            head->abort();
            if (child.cancelled() || e.code == ExitCode::Cancelled)
                out.error = {ExitCode::Cancelled, QStringLiteral("cancelled")};
            failure = e ? e.message : head->error().message;
            if (out.errors.isEmpty() && !lastError(child.stderrTail()).isEmpty())
                out.errors << lastError(child.stderrTail());
        }
        out.bytes = counted.total();
    }
    out.durationMs = clock.elapsed();
    if (out.error)
        return out;
    if (o.clean && hasToc()) {
        for (qsizetype i = out.errors.size() - 1; i >= 0; --i) {
            if (out.errors.at(i).contains(QLatin1String("cannot drop inherited constraint")) &&
                out.errors.at(i).contains(QLatin1String("DROP CONSTRAINT IF EXISTS"))) {
                out.warnings.prepend(out.errors.takeAt(i));
                --out.ignoredErrors;
            }
        }
        if (!ok && out.errors.isEmpty() && out.ignoredErrors <= 0 && !out.warnings.isEmpty()) {
            ok = true;
            out.ignoredErrors = 0;
            for (const QString &w : out.warnings)
                log(QStringLiteral("warning (benign, --clean on partitions): ") + w);
        }
    }
    if (!ok || !out.errors.isEmpty() || out.ignoredErrors > 0) {
        const int n = qMax(out.ignoredErrors, int(out.errors.size()));
        QString msg = QStringLiteral("%1 reported %2 error(s)").arg(QFileInfo(m_tool.path).fileName()).arg(n);
        if (out.ignoredErrors > 0)
            msg += QStringLiteral(" (errors ignored on restore: %1)").arg(out.ignoredErrors);
        if (!out.errors.isEmpty())
            msg += QStringLiteral(": ") + out.errors.first();
        else if (!failure.isEmpty())
            msg += QStringLiteral(": ") + failure;
        if (!hasToc())
            msg += QStringLiteral(" — the script ran in one transaction, so nothing of it was kept");
        out.error = {ExitCode::PgTool, msg};
    }
    return out;
}

} // namespace lifeboat
