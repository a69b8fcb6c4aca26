#include "CatalogCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include "catalog/Manifest.h"
#include "jobs/ManifestVerifier.h"
#include "jobs/StoreFactory.h"
#include "pipeline/MemorySink.h"
#include "storage/S3Session.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>

using namespace lifeboat;

namespace {
struct Found {
    QString manifestPath; // key or file
    QByteArray json;
    qint64 artifactSize = -1; // -1: the artifact itself is missing
};

QList<Found> scanLocal(const StorageConfig &sc) {
    QList<Found> out;
    QDirIterator it(sc.localDir, {QStringLiteral("*.manifest.json")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly) || f.size() > 16 * 1024 * 1024)
            continue;
        const QString artifact = path.chopped(int(qstrlen(".manifest.json")));
        out.append({path, f.readAll(), QFileInfo::exists(artifact) ? QFileInfo(artifact).size() : -1});
    }
    return out;
}
} // namespace

static int run(CliContext &ctx, const ArgParser &p) {
    const auto sc = ctx.config().storage(p.positional().first());
    if (!sc)
        return ctx.usage(
            QStringLiteral("unknown storage \"%1\" (add it first with `storage add`)").arg(p.positional().first()));

    QList<Found> found;
    if (sc->isLocal()) {
        found = scanLocal(*sc);
    } else {
        CliSecrets secrets(ctx);
        Error e;
        auto session = StoreFactory::s3Session(*sc, secrets.storageSecret(sc->name), &e);
        if (!session)
            return ctx.fail(e);
        S3ListResult all;
        QString prefix = session->config().keyFor(QString());
        if (!prefix.isEmpty() && !prefix.endsWith(QLatin1Char('/')))
            prefix += QLatin1Char('/');
        e = session->listAll(prefix, QString(), &all);
        if (e)
            return ctx.fail(e);
        QHash<QString, qint64> sizes;
        for (const S3ObjectInfo &o : std::as_const(all.objects))
            sizes.insert(o.key, o.size);
        for (const S3ObjectInfo &o : std::as_const(all.objects)) {
            if (!o.key.endsWith(QLatin1String(".manifest.json")) || o.size > 16 * 1024 * 1024)
                continue;
            MemorySink mem;
            e = session->getObject(o.key, &mem);
            if (e)
                return ctx.fail(e);
            const QString artifact = o.key.chopped(int(qstrlen(".manifest.json")));
            found.append({o.key, mem.data(), sizes.value(artifact, -1)});
        }
    }

    int added = 0, skipped = 0, broken = 0, refusedSignatures = 0;
    const ManifestVerifier verifier = ManifestVerifier::fromCatalog(ctx.catalog().get());
    const bool requireSigned = p.isSet(QStringLiteral("require-signed"));
    QHash<QString, int> signers; // verdict status → manifests imported or already known
    for (const Found &f : std::as_const(found)) {
        // A manifest is believed only after its signature: one that fails it (or, with --require-signed, one that
        // is unsigned or by an unknown key) adds nothing to the catalog.
        ManifestVerdict verdict = verifier.verify(f.json);
        verdict.where = f.manifestPath;
        if (const Error e = ManifestVerifier::enforce(verdict, requireSigned,
                                                      f.manifestPath.chopped(int(qstrlen(".manifest.json"))))) {
            ++refusedSignatures;
            ctx.err() << "refused " << f.manifestPath << ": " << e.message << Qt::endl;
            continue;
        }
        QString why;
        const Manifest m = Manifest::fromJson(f.json, &why);
        // As the desktop app's import does (BucketArtifacts): a manifest describes the artifact beside it, by name —
        // one copied next to another artifact would otherwise make the catalog claim that artifact's checksum.
        const QString artifactName =
            f.manifestPath.chopped(int(qstrlen(".manifest.json"))).section(QLatin1Char('/'), -1);
        if (why.isEmpty() && m.artifact != artifactName)
            why = QStringLiteral("it describes another artifact (%1), not %2").arg(m.artifact, artifactName);
        if (!why.isEmpty() || f.artifactSize < 0 || f.artifactSize != m.size) {
            ++broken;
            ctx.err() << "skipped " << f.manifestPath << ": "
                      << (!why.isEmpty()       ? why
                          : f.artifactSize < 0 ? QStringLiteral("its artifact is missing")
                                               : QStringLiteral("the artifact's size differs from the manifest's"))
                      << Qt::endl;
            continue;
        }
        signers[verdict.statusName()] += 1;
        if (verdict.signer != ManifestVerdict::Signer::ThisInstallation)
            ctx.err() << f.manifestPath << ": " << verdict.describe() << Qt::endl;
        if (ctx.catalog()->hasArtifact(m.artifact, m.sha256)) {
            ++skipped;
            continue;
        }
        BackupRecord r = m.toRecord();
        r.locations = {{sc->name, sc->kind, f.manifestPath.chopped(int(qstrlen(".manifest.json"))), f.manifestPath}};
        QString err;
        if (!ctx.catalog()->insert(r, &err))
            return ctx.usage(err);
        // A base backup's WAL range travels in its manifest: `recover` finds the backup again after a lost catalog.
        if (const BaseBackupInfo info = BaseBackupInfo::fromJson(m.baseBackup); info.isValid()) {
            BaseBackupInfo withId = info;
            withId.backupId = r.id;
            if (!ctx.catalog()->saveBaseBackup(withId, &err))
                ctx.err() << "warning: " << r.filename << ": " << err << Qt::endl;
        }
        ++added;
    }
    QJsonObject bySigner;
    for (auto it = signers.cbegin(); it != signers.cend(); ++it)
        bySigner[it.key()] = it.value();
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("added"), added},
                                  {QStringLiteral("alreadyKnown"), skipped},
                                  {QStringLiteral("skipped"), broken},
                                  {QStringLiteral("refusedSignatures"), refusedSignatures},
                                  {QStringLiteral("signers"), bySigner}});
    else
        ctx.err() << "Catalog rebuilt from \"" << sc->name << "\": " << added << " added, " << skipped
                  << " already known, " << broken << " skipped"
                  << (refusedSignatures > 0
                          ? QStringLiteral(", %1 refused by the signature check").arg(refusedSignatures)
                          : QString())
                  << "." << Qt::endl;
    // A refused signature is an integrity failure even when other manifests were fine: someone may have written
    // to the storage.
    if (refusedSignatures > 0)
        return 4;
    return broken > 0 && added == 0 && skipped == 0 ? 4 : 0;
}

QList<CliCommand> CatalogCommand::commands() {
    return {{QStringLiteral("catalog"), QStringLiteral("rebuild"), QStringLiteral("STORAGE"), 1, 1, &run, cliOptions(R"(
--require-signed  Import only manifests signed by this installation or a trusted key (`keys trust`).)")}};
}
