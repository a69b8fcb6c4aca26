#include "restore/MissingRoles.h"

#include "core/ScratchName.h"
#include "crypto/AgeDecryptStage.h"
#include "jobs/ArtifactReader.h"
#include "pg/PgSession.h"
#include "pipeline/MemorySink.h"
#include "pipeline/Sha256.h"
#include "restore/RestoreSource.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>

namespace lifeboat {

namespace {
const QString kTitle = QStringLiteral("Missing roles");
SafetyCheck refused(const QString &detail, ExitCode code = ExitCode::Refused) {
    return {QStringLiteral("roles"), kTitle, SafetyCheck::Outcome::Refused, detail, code};
}
} // namespace

bool MissingRoles::readCompanion(const Input &in, QByteArray *sql, QString *why, ExitCode *code) {
    const RestoreSource &src = *in.source;
    GlobalsCompanion g = src.isRecord() ? src.record().globals : GlobalsCompanion{};
    if (!src.isRecord() && src.manifest())
        g = GlobalsCompanion::fromJson(src.manifest()->globals);
    if (!g.present()) {
        *code = ExitCode::Refused;
        *why = QStringLiteral("%1 holds no roles of its server (it was taken without the profile's --globals) — "
                              "create the roles by hand first, or restore without %2")
                   .arg(src.displayName(), in.desktopWording ? QStringLiteral("“Create missing roles first”")
                                                             : QStringLiteral("--create-missing-roles"));
        return false;
    }
    // The manifest beside a file is not signed by the catalog: a name that leaves its directory or a roles file
    // without a recorded SHA-256 is not read (pg_dumpall's output is always recorded with both).
    if (QFileInfo(g.filename).fileName() != g.filename || g.filename.startsWith(QLatin1Char('.')) ||
        g.sha256.isEmpty()) {
        *code = ExitCode::Integrity;
        *why = QStringLiteral("the manifest of %1 names its roles file \"%2\" without a plain file name and a "
                              "recorded SHA-256: not read")
                   .arg(src.displayName(), g.filename);
        return false;
    }
    QTemporaryDir scratch(ScratchName::templatePath(QStringLiteral("restore"), in.workDir));
    if (!scratch.isValid()) {
        *code = ExitCode::Usage;
        *why = QStringLiteral("cannot create a scratch directory in %1").arg(scratch.path());
        return false;
    }
    QString path;
    Error e;
    if (src.isRecord()) {
        // The companion lies beside every copy of the artifact: a record of it, read like a backup (one copy,
        // hashed on the way into scratch, the next copy when one is missing or damaged).
        const BackupRecord companion = ArtifactReader::rolesCompanion(src.record());
        ArtifactReader reader(in.storages, in.cancel);
        reader.setSecretLookup([secrets = in.storageSecrets](const QString &s) { return secrets.value(s); });
        ArtifactReader::CopyUsed used;
        if (!reader.downloadTo(companion, scratch.path(), &path, true, &used)) {
            *code = reader.error().code;
            *why = QStringLiteral("the roles file %1 could not be read intact: %2")
                       .arg(g.filename, reader.error().message);
            return false;
        }
        m_copy = used.describe();
    } else {
        const QString beside = QFileInfo(in.sourceSpec).absoluteDir().filePath(g.filename);
        path = QDir(scratch.path()).filePath(g.filename);
        if (!ArtifactReader::copyFileVerified(beside, path, g.sha256, false, in.cancel, &e)) {
            *code = e.code;
            *why = QStringLiteral("the roles file %1 could not be read intact: %2").arg(beside, e.message);
            return false;
        }
        m_copy = beside;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *code = ExitCode::Usage;
        *why = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    const QByteArray stored = f.readAll();
    if (!g.encrypted) {
        *sql = stored;
    } else {
        if (in.identities.empty()) {
            *code = ExitCode::Usage;
            *why = QStringLiteral("the roles file %1 is encrypted — pass --identity FILE or --passphrase-stdin")
                       .arg(g.filename);
            return false;
        }
        MemorySink plain;
        AgeDecryptStage age(in.identities, &plain);
        if (!age.write(stored) || !age.finish()) {
            *code = ExitCode::Integrity;
            *why = QStringLiteral("the roles file %1 cannot be decrypted: %2").arg(g.filename, age.error().message);
            return false;
        }
        *sql = plain.data();
    }
    if (!g.plainSha256.isEmpty() && QString::fromLatin1(Sha256::hex(*sql)) != g.plainSha256) {
        *code = ExitCode::Integrity;
        *why = QStringLiteral("the roles file %1 does not match its recorded SHA-256 after decryption").arg(g.filename);
        return false;
    }
    m_passwords = g.rolePasswords;
    return true;
}

SafetyCheck MissingRoles::check(const Input &in, PgSession &session) {
    m_ready = false;
    QByteArray sql;
    QString why;
    ExitCode code = ExitCode::Refused;
    if (!readCompanion(in, &sql, &why, &code))
        return refused(why, code == ExitCode::Ok ? ExitCode::Refused : code);
    PgSession::Rows rows;
    if (!session.exec(QStringLiteral("SELECT rolname FROM pg_roles"), {}, &rows))
        return refused(QStringLiteral("cannot list the target server's roles: %1").arg(session.error().message));
    QSet<QString> existing;
    for (const QStringList &r : std::as_const(rows))
        existing.insert(r.value(0));
    const GlobalsScript script = GlobalsScript::parse(sql);
    m_plan = script.plan(existing);
    if (!m_plan.refusal.isEmpty())
        return refused(m_plan.refusal, ExitCode::Integrity);
    if (!m_plan.create.isEmpty()) {
        // Creating roles needs a superuser or CREATEROLE: said now, not halfway through the restore.
        const QString may = session.scalar(QStringLiteral("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE "
                                                          "rolname = current_user"));
        if (may != QLatin1String("t"))
            return refused(QStringLiteral("%1 role(s) are missing (%2), but the connecting role may not create roles "
                                          "— connect as a superuser or a role with CREATEROLE")
                               .arg(m_plan.create.size())
                               .arg(m_plan.create.join(QStringLiteral(", "))));
    }
    m_ready = true;
    QString detail = m_plan.create.isEmpty() ? QStringLiteral("none missing: every role of the backup exists")
                                             : QStringLiteral("%1 role(s) will be created: %2")
                                                   .arg(m_plan.create.size())
                                                   .arg(m_plan.create.join(QStringLiteral(", ")));
    if (!m_plan.memberships.isEmpty())
        detail += QStringLiteral("; memberships: %1").arg(m_plan.memberships.join(QStringLiteral(", ")));
    if (!m_plan.existing.isEmpty())
        detail += QStringLiteral("; already there, left alone: %1").arg(m_plan.existing.join(QStringLiteral(", ")));
    if (!m_plan.create.isEmpty() && !m_passwords)
        detail += QStringLiteral(" (the backup holds no passwords: set them with ALTER ROLE … PASSWORD)");
    return {QStringLiteral("roles"), kTitle, SafetyCheck::Outcome::Passed, detail, ExitCode::Ok};
}

bool MissingRoles::apply(PgSession &session, Error *error, const std::function<void(const QString &)> &log) {
    if (!m_ready || m_plan.create.isEmpty())
        return true;
    if (!session.exec(QStringLiteral("BEGIN"))) {
        *error = {ExitCode::PgTool, QStringLiteral("creating roles: %1").arg(session.error().message)};
        return false;
    }
    for (const QString &st : std::as_const(m_plan.statements)) {
        if (!session.exec(st)) {
            const QString msg = session.error().message;
            session.exec(QStringLiteral("ROLLBACK"));
            // The statement may carry a password hash (opted in): only its first words are named.
            *error = {
                ExitCode::PgTool,
                QStringLiteral("creating the missing roles failed at \"%1…\": %2 — no role was "
                               "created, nothing was restored")
                    .arg(st.left(st.indexOf(QLatin1String(" WITH ")) > 0 ? st.indexOf(QLatin1String(" WITH ")) : 60),
                         msg)};
            return false;
        }
    }
    if (!session.exec(QStringLiteral("COMMIT"))) {
        *error = {ExitCode::PgTool, QStringLiteral("creating roles: %1").arg(session.error().message)};
        return false;
    }
    if (log) {
        log(QStringLiteral("created %1 role(s): %2")
                .arg(m_plan.create.size())
                .arg(m_plan.create.join(QStringLiteral(", "))));
        if (!m_plan.existing.isEmpty())
            log(QStringLiteral("roles already there, left alone: %1").arg(m_plan.existing.join(QStringLiteral(", "))));
    }
    return true;
}

QJsonObject MissingRoles::toJson() const {
    return {{QStringLiteral("create"), QJsonArray::fromStringList(m_plan.create)},
            {QStringLiteral("existing"), QJsonArray::fromStringList(m_plan.existing)},
            {QStringLiteral("memberships"), QJsonArray::fromStringList(m_plan.memberships)},
            {QStringLiteral("leftOut"), m_plan.leftOut},
            {QStringLiteral("passwords"), m_passwords},
            {QStringLiteral("copy"), m_copy}};
}

} // namespace lifeboat
