#include "restore/PostRestoreCommand.h"

#include "jobs/ChildProcess.h"
#include "pg/PgPassFile.h"
#include "pipeline/ByteSink.h"
#include "restore/RestoreEngine.h"

#include <QJsonArray>
#include <QProcessEnvironment>

namespace lifeboat {

namespace {
// Splits a child's stdout into logged lines.
class LineLogSink : public ByteSink {
public:
    explicit LineLogSink(std::function<void(const QString &)> fn)
        : m_fn(std::move(fn)) {}
    bool write(QByteArrayView d) override {
        m_buf.append(d.data(), d.size());
        qsizetype nl;
        while ((nl = m_buf.indexOf('\n')) >= 0) {
            m_fn(QString::fromUtf8(m_buf.left(nl)));
            m_buf.remove(0, nl + 1);
        }
        return true;
    }
    bool finish() override {
        if (!m_buf.isEmpty())
            m_fn(QString::fromUtf8(m_buf));
        m_buf.clear();
        return true;
    }
    void abort() override {}

private:
    std::function<void(const QString &)> m_fn;
    QByteArray m_buf;
};
} // namespace

bool PostRestoreCommand::run(const QString &cmd, const Conninfo &target, const QString &password,
                             const QString &targetDb, const std::atomic_bool *cancel,
                             const std::function<void(const QString &)> &log, QJsonObject *details, Error *error) {
    log(QStringLiteral("post-restore: running `%1`").arg(cmd));
    // The server the checks and the restore reached, every connection parameter explicit.
    const Conninfo ci = target;
    PgPassFile passFile;
    if (!password.isEmpty())
        passFile.create(password, target.withDatabase(targetDb));
    QProcessEnvironment env = RestoreEngine::childEnv(password, passFile.path());
    // The command connects like the restore did: libpq variables, never a password in its environment.
    if (!ci.host().isEmpty())
        env.insert(QStringLiteral("PGHOST"), ci.host());
    if (!ci.port().isEmpty())
        env.insert(QStringLiteral("PGPORT"), ci.port());
    if (!ci.user().isEmpty())
        env.insert(QStringLiteral("PGUSER"), ci.user());
    env.insert(QStringLiteral("PGDATABASE"), targetDb);
    env.insert(QStringLiteral("LIFEBOAT_TARGET_DB"), targetDb);
    QStringList output;
    auto onLine = [&](const QString &l) {
        log(QStringLiteral("post-restore: ") + l);
        output << l;
    };
    LineLogSink sink(onLine);
    ChildProcess child(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), cmd}, env);
    child.setCancelFlag(cancel);
    child.setStderrHandler(onLine);
    const bool ok = child.run(&sink);
    sink.finish();
    (*details)[QStringLiteral("postRestore")] =
        QJsonObject{{QStringLiteral("command"), cmd},
                    {QStringLiteral("exitCode"), child.exitCode()},
                    {QStringLiteral("output"), QJsonArray::fromStringList(output)}};
    if (!ok) {
        *error = {ExitCode::PgTool, QStringLiteral("the restore succeeded, but the post-restore command `%1` failed "
                                                   "(%2)")
                                        .arg(cmd, child.errorText())};
        return false;
    }
    return true;
}

} // namespace lifeboat
