#include "jobs/PgDumpCommand.h"

namespace lifeboat {

namespace {
QString unquote(const QString &s) {
    if (s.size() >= 2 && s.startsWith(QLatin1Char('"')) && s.endsWith(QLatin1Char('"')))
        return s.mid(1, s.size() - 2).replace(QStringLiteral("\"\""), QStringLiteral("\""));
    return s;
}
QString quote(const QString &s) {
    return QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}
} // namespace

QPair<QString, QString> PgDumpCommand::splitQualified(const QString &name) {
    // The first dot outside double quotes separates schema and table.
    const QString n = name.trimmed();
    bool quoted = false;
    for (int i = 0; i < n.size(); ++i) {
        const QChar c = n.at(i);
        if (c == QLatin1Char('"'))
            quoted = !quoted;
        else if (c == QLatin1Char('.') && !quoted)
            return {unquote(n.left(i)), unquote(n.mid(i + 1))};
    }
    return {QString(), unquote(n)};
}

QString PgDumpCommand::exactPattern(const QString &name) {
    const auto [schema, table] = splitQualified(name);
    return schema.isEmpty() ? quote(table) : quote(schema) + QLatin1Char('.') + quote(table);
}

PgDumpCommand::Plan PgDumpCommand::build(const BackupOptions &opt, const PgVersion &pgDump, const QString &conninfo,
                                         const QString &snapshot, const QString &outputDir, Error *error) {
    Plan plan;
    auto refuse = [&](const QString &msg) {
        if (error)
            *error = {ExitCode::Usage, msg};
        return Plan{};
    };

    // --compress: zstd[:L] (the default: Lifeboat's libzstd pass, any pg_dump), none, gzip[:L] (plain: Lifeboat's
    // zlib; custom/directory: pg_dump's, as before), and pg_dump's own compression as pg:gzip[:L], pg:zstd[:L],
    // pg:lz4[:L] (zstd/lz4 in pg_dump 16+). A bare lz4 still means pg_dump's.
    QString spec = opt.compression.trimmed().toLower();
    bool byPgDump = false;
    if (spec.startsWith(QLatin1String("pg:"))) {
        byPgDump = true;
        spec = spec.mid(3);
    }
    const QString method = spec.isEmpty() ? QStringLiteral("zstd") : spec.section(QLatin1Char(':'), 0, 0);
    const QString levelText = spec.section(QLatin1Char(':'), 1);
    bool levelOk = true;
    const int level = levelText.isEmpty() ? -1 : levelText.toInt(&levelOk);
    if (!levelOk || spec.count(QLatin1Char(':')) > 1)
        return refuse(QStringLiteral("invalid compression level \"%1\"").arg(levelText));
    const bool known = method == QLatin1String("gzip") || method == QLatin1String("zstd") ||
                       method == QLatin1String("lz4") || (method == QLatin1String("none") && !byPgDump);
    if (!known)
        return refuse(QStringLiteral("unknown compression \"%1\" (use zstd[:L], none, gzip[:L], or pg_dump's own "
                                     "pg:gzip[:L], pg:zstd[:L], pg:lz4[:L])")
                          .arg(opt.compression));
    if (method == QLatin1String("lz4"))
        byPgDump = true; // Lifeboat has no lz4 of its own
    if (method == QLatin1String("gzip") && level != -1 && (level < 1 || level > 9))
        return refuse(QStringLiteral("gzip level must be 1-9"));
    if (method == QLatin1String("zstd") && !byPgDump && level != -1 && (level < 1 || level > 19))
        return refuse(QStringLiteral("zstd level must be 1-19"));
    if (byPgDump && (method == QLatin1String("zstd") || method == QLatin1String("lz4")) && pgDump.major < 16)
        return refuse(QStringLiteral("pg:%1 compression needs pg_dump 16 or newer (found %2); use zstd (Lifeboat "
                                     "compresses, any version) or pg:gzip")
                          .arg(method, pgDump.toString()));

    QStringList &a = plan.args;
    a << QStringLiteral("--verbose") << QStringLiteral("--no-password");
    if (opt.format == QLatin1String("custom")) {
        a << QStringLiteral("--format=custom");
        plan.extension = QStringLiteral("dump");
    } else if (opt.format == QLatin1String("plain")) {
        a << QStringLiteral("--format=plain");
        plan.extension = QStringLiteral("sql");
    } else if (opt.format == QLatin1String("directory")) {
        a << QStringLiteral("--format=directory") << QStringLiteral("--file=%1").arg(outputDir);
        if (opt.jobs > 1)
            a << QStringLiteral("--jobs=%1").arg(opt.jobs);
        plan.extension = QStringLiteral("tar");
        plan.toStdout = false;
    } else {
        return refuse(QStringLiteral("unknown format \"%1\" (use custom, plain or directory)").arg(opt.format));
    }
    if (opt.jobs > 1 && opt.format != QLatin1String("directory"))
        return refuse(QStringLiteral("--jobs needs the directory format (pg_dump dumps in parallel only there)"));

    const bool plain = opt.format == QLatin1String("plain");
    if (method == QLatin1String("zstd") && !byPgDump) {
        // pg_dump writes uncompressed; the one streaming pass compresses (before SHA-256, age and the storages).
        if (!plain)
            a << QStringLiteral("--compress=0");
        plan.zstdInProcess = true;
        plan.zstdLevel = level == -1 ? kDefaultZstdLevel : level;
        plan.extension += QStringLiteral(".zst");
        plan.compression = QStringLiteral("zstd:%1").arg(plan.zstdLevel);
    } else if (method == QLatin1String("none")) {
        if (!plain)
            a << QStringLiteral("--compress=0");
        plan.compression = QStringLiteral("none");
    } else if (plain) {
        if (method == QLatin1String("gzip") && !byPgDump) {
            // pg_dump 15 cannot compress plain output to stdout: Lifeboat gzips it in-process (zlib).
            plan.gzipInProcess = true;
            plan.gzipLevel = level == -1 ? 6 : level;
            plan.extension = QStringLiteral("sql.gz");
            plan.compression = QStringLiteral("gzip:%1").arg(plan.gzipLevel);
        } else if (method == QLatin1String("gzip")) {
            return refuse(QStringLiteral("pg:gzip does not apply to the plain format (pg_dump cannot compress a "
                                         "script to stdout); use gzip[:L] or zstd[:L]"));
        } else {
            a << QStringLiteral("--compress=%1").arg(spec);
            plan.extension = method == QLatin1String("zstd") ? QStringLiteral("sql.zst") : QStringLiteral("sql.lz4");
            plan.compression = QStringLiteral("pg:") + spec;
        }
    } else if (method == QLatin1String("gzip")) {
        a << QStringLiteral("--compress=%1").arg(level == -1 ? 6 : level);
        plan.compression = QStringLiteral("pg:gzip:%1").arg(level == -1 ? 6 : level);
    } else {
        a << QStringLiteral("--compress=%1").arg(spec);
        plan.compression = QStringLiteral("pg:") + spec;
    }

    if (!snapshot.isEmpty())
        a << QStringLiteral("--snapshot=%1").arg(snapshot);
    if (opt.schemaOnly)
        a << QStringLiteral("--schema-only");
    if (!opt.tables.isEmpty()) {
        a << QStringLiteral("--strict-names");
        for (const QString &t : opt.tables)
            a << QStringLiteral("--table=%1").arg(exactPattern(t));
    }
    for (const QString &t : opt.excludeTables)
        a << QStringLiteral("--exclude-table=%1").arg(exactPattern(t));
    a << QStringLiteral("--dbname=%1").arg(conninfo);
    if (error)
        *error = {};
    return plan;
}

} // namespace lifeboat
