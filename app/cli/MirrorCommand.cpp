#include "MirrorCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliJobRunner.h"
#include "CliSecrets.h"
#include "CliUseCase.h"
#include "NamedThings.h"

#include "mirror/MirrorJob.h"
#include "ops/Mirror.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

using namespace lifeboat;

static int add(CliContext &ctx, const ArgParser &p) {
    MirrorConfig m;
    m.name = p.positional().first();
    if (!ConfigStore::isValidName(m.name))
        return ctx.usage(QStringLiteral("mirror names use letters, digits, '.', '_' and '-' (at most 63)"));
    m.sourceStorage = p.value(QStringLiteral("source"));
    const auto source = ctx.config().storage(m.sourceStorage);
    if (m.sourceStorage.isEmpty())
        return ctx.usage(QStringLiteral("mirror add needs --source STORAGE (an S3 storage; add one with `storage "
                                        "add NAME --s3 …`)"));
    if (!source || !source->isS3())
        return ctx.usage(QStringLiteral("--source: \"%1\" is not an S3 storage (see `lifeboatctl storage list`)")
                             .arg(m.sourceStorage));
    m.sourcePrefix = p.value(QStringLiteral("source-prefix"));
    m.storage = p.value(QStringLiteral("storage"));
    if (m.storage.isEmpty()) {
        QStringList others;
        for (const StorageConfig &s : ctx.config().storages()) {
            if (s.name != m.sourceStorage)
                others << s.name;
        }
        if (others.size() != 1)
            return ctx.usage(QStringLiteral("mirror add: name the backup storage with --storage NAME"));
        m.storage = others.first();
    }
    if (!ctx.config().storage(m.storage))
        return ctx.usage(QStringLiteral("unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(m.storage));
    if (m.storage == m.sourceStorage)
        return ctx.usage(QStringLiteral("the mirror must go to another storage than its source"));
    ctx.config().upsertMirror(m);
    if (!ctx.saveConfig())
        return 3;
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("name"), m.name}});
    else
        ctx.err() << "Mirror \"" << m.name << "\" saved: " << m.sourceStorage << ":" << m.sourcePrefix << " -> "
                  << m.storage << Qt::endl;
    return 0;
}

static int list(CliContext &ctx, const ArgParser &) {
    return NamedThings::list(ctx, ctx.config().mirrors(), [&ctx](const MirrorConfig &m) {
        const auto last = MirrorJob::lastRun(*ctx.catalog(), m.name);
        return NamedThings::Row{
            {{QStringLiteral("name"), m.name},
             {QStringLiteral("source"), m.sourceStorage},
             {QStringLiteral("sourcePrefix"), m.sourcePrefix},
             {QStringLiteral("storage"), m.storage},
             {QStringLiteral("lastRun"), last ? last->id : 0}},
            m.name + QStringLiteral("  ") + m.sourceStorage + QLatin1Char(':') + m.sourcePrefix +
                QStringLiteral(" -> ") + m.storage +
                (last ? QStringLiteral("  last run #%1 (%2 objects)").arg(last->id).arg(last->tableCount)
                      : QStringLiteral("  never run"))};
    });
}

static int remove(CliContext &ctx, const ArgParser &p) {
    return NamedThings::remove(
        ctx, p.positional().first(),
        {[&ctx](const QString &name) {
             for (const SetConfig &s : ctx.config().sets()) {
                 if (s.mirrors.contains(name))
                     return QStringLiteral("mirror \"%1\" belongs to the set \"%2\"; remove it from the set first")
                         .arg(name, s.name);
             }
             return ctx.config().removeMirror(name) ? QString() : QStringLiteral("unknown mirror \"%1\"").arg(name);
         },
         true,
         {},
         QStringLiteral("Mirror \"%1\" removed (its copies and catalog records stay)."),
         false});
}

static int runMirror(CliContext &ctx, const ArgParser &p) {
    Mirror::RunRequest request;
    request.mirror = p.positional().first();
    request.type = p.value(QStringLiteral("type"));
    request.label = p.value(QStringLiteral("label"));
    CliUseCase useCase(ctx);
    PreparedJob prepared = Mirror::run(request, useCase.context());
    if (!prepared)
        return ctx.fail(prepared.error);
    const JobResult r = useCase.run(std::move(prepared), p.isSet(QStringLiteral("verbose")));
    if (!r.ok())
        return ctx.fail(r.error);
    if (ctx.json()) {
        QJsonObject d = r.details;
        d[QStringLiteral("ok")] = true;
        ctx.printJson(d);
    } else {
        ctx.err() << "Mirror run #" << r.recordId << " complete: " << r.details.value(QStringLiteral("objects")).toInt()
                  << " objects, " << r.details.value(QStringLiteral("copied")).toInt() << " copied ("
                  << QLocale().formattedDataSize(r.details.value(QStringLiteral("copiedBytes")).toInteger()) << "), "
                  << r.details.value(QStringLiteral("deleted")).toInt() << " deleted at the source" << Qt::endl;
        ctx.out() << r.recordId << Qt::endl;
    }
    return 0;
}

static int restore(CliContext &ctx, const ArgParser &p) {
    Mirror::RestoreRequest request;
    request.run = p.positional().first();
    if (p.isSet(QStringLiteral("to")))
        request.to = p.value(QStringLiteral("to"));
    if (p.isSet(QStringLiteral("prefix")))
        request.prefix = p.value(QStringLiteral("prefix"));
    request.overwrite = p.isSet(QStringLiteral("overwrite"));
    CliUseCase useCase(ctx);
    PreparedJob prepared = Mirror::restore(request, useCase.context());
    if (!prepared)
        return ctx.fail(prepared.error);
    const JobResult r = useCase.run(std::move(prepared), p.isSet(QStringLiteral("verbose")));
    if (!r.ok())
        return ctx.fail(r.error);
    if (ctx.json()) {
        QJsonObject d = r.details;
        d[QStringLiteral("ok")] = true;
        ctx.printJson(d);
    } else {
        ctx.err() << "Restored " << r.details.value(QStringLiteral("restored")).toInt() << " objects into "
                  << r.details.value(QStringLiteral("bucket")).toString() << "/"
                  << r.details.value(QStringLiteral("prefix")).toString() << " ("
                  << r.details.value(QStringLiteral("identical")).toInt() << " already identical)" << Qt::endl;
    }
    return 0;
}

QList<CliCommand> MirrorCommand::commands() {
    return {{QStringLiteral("mirror"), QStringLiteral("add"),
             QStringLiteral("NAME --source STORAGE [--source-prefix P] [--storage NAME]"), 1, 1, &add, cliOptions(R"(
--source STORAGE  The S3 storage whose bucket is mirrored (e.g. the uploads bucket).
--source-prefix P  Only objects below this folder of the source (default: the whole bucket below the storage's own
    prefix).
--storage NAME  Backup storage receiving the copies (S3 or local; default: the only other storage).)")},
            {QStringLiteral("mirror"), QStringLiteral("list"), QString(), 0, 0, &list},
            {QStringLiteral("mirror"), QStringLiteral("remove"), QStringLiteral("NAME"), 1, 1, &remove},
            {QStringLiteral("mirror"), QStringLiteral("run"),
             QStringLiteral("NAME [--type manual|daily|weekly|monthly] [--label TEXT]"), 1, 1, &runMirror,
             cliOptions(R"(
--type T  manual (default), daily, weekly or monthly.
--label TEXT  A label for the run.
--verbose  Show every step.)")},
            {QStringLiteral("mirror"), QStringLiteral("restore"),
             QStringLiteral("ID --to STORAGE [--prefix P] [--overwrite]"), 1, 1, &restore, cliOptions(R"(
--to STORAGE  S3 storage to restore into.
--prefix P  Folder below the storage's prefix to restore into (default: the folder the objects were mirrored from).
--overwrite  Replace objects that already exist with different content (default: refuse).
--verbose  Show every step.)")}};
}
