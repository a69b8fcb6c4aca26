#include "RetentionFlags.h"

#include "ArgParser.h"
#include "CliContext.h"

#include "jobs/ArchiveMover.h"
#include "retention/RetentionPolicy.h"

#include <utility>

using namespace lifeboat;

QString RetentionFlags::synopsis() {
    return QStringLiteral("[--keep-last N] [--keep-hourly N] [--keep-daily N] [--keep-weekly N] [--keep-monthly N] "
                          "[--keep-yearly N] [--keep-within DURATION]");
}

CliOptions RetentionFlags::options(Use use) {
    CliOptions out = cliOptions(R"(
--keep-last N  Keep the N newest backups
--keep-hourly N  Keep the newest backup of each of the N most recent hours that have one
--keep-daily N  Keep the newest backup of each of the N most recent days that have one
--keep-weekly N  Keep the newest backup of each of the N most recent ISO weeks
--keep-monthly N  Keep the newest backup of each of the N most recent months
--keep-yearly N  Keep the newest backup of each of the N most recent years
--keep-within DURATION  Keep every backup younger than this, e.g. 7d, 36h, 2w)");
    // prune names the defaults it applies in their place; elsewhere the help says whose rule it is.
    const char *defaults[] = {" 0", " 0", " 7", " 4", " 12", " 0", ": none"};
    const QString whose = use == Use::Storage    ? QStringLiteral(" Storage rule: only this storage's copies.")
                          : use == Use::Set      ? QStringLiteral(" Set rule: each capture kept or removed whole.")
                          : use == Use::Schedule ? QStringLiteral(" Override for this profile or source.")
                                                 : QString();
    for (qsizetype i = 0; i < out.size(); ++i) {
        out[i].help += (use == Use::Prune ? QStringLiteral(" (default%1).").arg(QLatin1String(defaults[i]))
                                          : QStringLiteral(".")) +
                       whose;
    }
    return out;
}

std::optional<int> RetentionFlags::read(CliContext &ctx, const ArgParser &p, RetentionFlags *out) {
    RetentionFlags f;
    for (const auto &[name, field] :
         {std::pair{QStringLiteral("keep-last"), &f.last}, std::pair{QStringLiteral("keep-hourly"), &f.hourly},
          std::pair{QStringLiteral("keep-daily"), &f.daily}, std::pair{QStringLiteral("keep-weekly"), &f.weekly},
          std::pair{QStringLiteral("keep-monthly"), &f.monthly}, std::pair{QStringLiteral("keep-yearly"), &f.yearly}}) {
        if (!p.isSet(name))
            continue;
        bool ok = false;
        *field = p.value(name).toInt(&ok);
        if (!ok || *field < 0 || *field > RetentionPolicy::kMaxCount)
            return ctx.usage(
                QStringLiteral("--%1 takes a count from 0 to %2").arg(name).arg(RetentionPolicy::kMaxCount));
    }
    if (p.isSet(QStringLiteral("keep-within")) &&
        !RetentionPolicy::parseDuration(p.value(QStringLiteral("keep-within")), &f.withinSeconds))
        return ctx.usage(QStringLiteral("--keep-within takes a duration such as 7d, 36h, 2w or 1d12h, not \"%1\"")
                             .arg(p.value(QStringLiteral("keep-within"))));
    *out = f;
    return std::nullopt;
}

CliOptions RetentionFlags::archiveToOptions(Use use) {
    CliOptions out;
    out.append(
        {QStringLiteral("archive-to"),
         use == Use::Storage
             ? QStringLiteral("Move this storage's copies that are kept only by monthly/yearly rules to STORAGE "
                              "(verified copy, then this copy is removed); \"\" clears it.")
             : QStringLiteral("Move copies kept only by monthly/yearly rules to STORAGE: verified copy with its "
                              "manifest, then the original copy is removed (default: setting retentionArchiveTo)."),
         QStringLiteral("STORAGE")});
    return out;
}

std::optional<int> RetentionFlags::readArchiveTo(CliContext &ctx, const ArgParser &p, RetentionFlags *out,
                                                 const QString &self) {
    if (!p.isSet(QStringLiteral("archive-to")))
        return std::nullopt;
    const QString name = p.value(QStringLiteral("archive-to")).trimmed();
    if (!name.isEmpty() && !ctx.config().storage(name))
        return ctx.usage(
            QStringLiteral("--archive-to: unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(name));
    if (!self.isEmpty() && name == self)
        return ctx.usage(QStringLiteral("--archive-to: storage \"%1\" cannot archive to itself").arg(name));
    // A storage being changed (storage set) is configured already; one being added is checked once it is built.
    if (const std::optional<StorageConfig> source = self.isEmpty() ? std::nullopt : ctx.config().storage(self))
        if (auto rc = refuseOverlap(ctx, name, &*source))
            return rc;
    out->archiveTo = name;
    out->archiveToSet = true;
    return std::nullopt;
}

std::optional<int> RetentionFlags::refuseOverlap(CliContext &ctx, const QString &archive, const StorageConfig *source) {
    if (archive.isEmpty())
        return std::nullopt;
    const std::optional<StorageConfig> target = ctx.config().storage(archive);
    if (!target)
        return std::nullopt; // readArchiveTo reports an unknown name
    QList<StorageConfig> sources;
    if (source)
        sources << *source;
    else
        sources = ctx.config().storages();
    for (const StorageConfig &s : sources) {
        if (s.name == archive)
            continue;
        if (const QString why = ArchiveMover::overlap(*target, s); !why.isEmpty())
            return ctx.usage(
                QStringLiteral("--archive-to: storage \"%1\" cannot archive the copies of \"%2\": %3. An archive "
                               "storage needs its own directory, or its own bucket or prefix beside the other's")
                    .arg(archive, s.name, why));
    }
    return std::nullopt;
}
