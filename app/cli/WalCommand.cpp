#include "WalCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"
#include "RestoreCliSupport.h"

#include "crypto/AgeRecipient.h"
#include "wal/WalArchiver.h"
#include "wal/WalFetcher.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <optional>

using namespace lifeboat;

namespace {

void addStorageOption(ArgParser &p) {
    p.option(QStringLiteral("storage"),
             QStringLiteral("Archive storage (repeatable; default: the profile's storages)."), QStringLiteral("NAME"));
}

// The profile's archive storages (or --storage), opened; 0 or the exit code after printing the error.
int openStorages(CliContext &ctx, const ArgParser &p, const Profile &profile,
                 std::vector<std::unique_ptr<WalStorage>> *out) {
    const QStringList names =
        p.isSet(QStringLiteral("storage")) ? p.values(QStringLiteral("storage")) : profile.defaultStorages;
    if (names.isEmpty())
        return ctx.usage(QStringLiteral("profile \"%1\" has no storages — pass --storage NAME or give the profile "
                                        "default storages (see `lifeboatctl storage list`)")
                             .arg(profile.name));
    CliSecrets secrets(ctx);
    for (const QString &name : names) {
        const auto sc = ctx.config().storage(name);
        if (!sc)
            return ctx.usage(QStringLiteral("unknown storage \"%1\" (see `lifeboatctl storage list`)").arg(name));
        Error err;
        // The credential store only when the storage names a key of its own (else the AWS chain): a push runs once
        // per segment, and a keychain probe each time would cost more than the upload.
        const QString secret = sc->isS3() && !sc->accessKeyId.isEmpty() ? secrets.storageSecret(name) : QString();
        auto storage = WalStorage::open(*sc, secret, &err);
        if (!storage)
            return ctx.fail(err);
        out->push_back(std::move(storage));
    }
    // Local first: a fetch reads the nearest copy, and a push stores there before the network.
    std::stable_sort(out->begin(), out->end(), [](const auto &a, const auto &b) {
        return a->kind() == QLatin1String("local") && b->kind() != QLatin1String("local");
    });
    return 0;
}

std::optional<Profile> profileOrFail(CliContext &ctx, const QString &name, int *rc) {
    const auto profile = ctx.config().profile(name);
    if (!profile)
        *rc = ctx.usage(QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(name));
    return profile;
}

} // namespace

int WalCommand::run(CliContext &ctx, const QStringList &args) {
    const QString sub = args.value(0);
    if (sub == QLatin1String("push"))
        return push(ctx, args.mid(1));
    if (sub == QLatin1String("fetch"))
        return fetch(ctx, args.mid(1));
    return ctx.usage(QStringLiteral("usage: lifeboatctl wal push|fetch … (see `lifeboatctl wal push --help`)"));
}

int WalCommand::push(CliContext &ctx, const QStringList &args) {
    ArgParser p(QStringLiteral("wal push"),
                QStringLiteral("PROFILE PATH [--storage NAME]... [--recipient AGE]...\n\n"
                               "Archive one WAL file into every archive storage of PROFILE: for PostgreSQL's\n"
                               "archive_command = 'lifeboatctl wal push PROFILE %p'. Idempotent: the same file with\n"
                               "the same bytes exits 0; different bytes under a stored name are refused (exit 4)\n"
                               "and nothing is replaced. Any failure exits non-zero, so PostgreSQL retries."));
    addStorageOption(p);
    p.option(QStringLiteral("recipient"),
             QStringLiteral("Encrypt to this age recipient (repeatable; default: the profile's recipients)."),
             QStringLiteral("AGE"));
    if (auto rc = p.parse(ctx, args, 2, 2))
        return *rc;
    int rc = 0;
    const auto profile = profileOrFail(ctx, p.positional().at(0), &rc);
    if (!profile)
        return rc;
    WalArchiver::Setup setup;
    setup.profile = profile->name;
    setup.catalog = ctx.catalog();
    const QStringList keys =
        p.isSet(QStringLiteral("recipient")) ? p.values(QStringLiteral("recipient")) : profile->recipients;
    for (const QString &k : keys) {
        QString why;
        const auto recipient = AgeRecipient::parse(k, &why);
        if (!recipient)
            return ctx.usage(QStringLiteral("recipient %1: %2").arg(k, why));
        setup.recipients.push_back(*recipient);
    }
    if ((rc = openStorages(ctx, p, *profile, &setup.storages)))
        return rc;
    WalArchiver archiver(std::move(setup));
    const WalArchiver::Outcome o = archiver.pushFile(p.positional().at(1));
    if (o.error)
        return ctx.fail(o.error);
    if (ctx.json()) {
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true},
                                  {QStringLiteral("name"), o.wal.fileName()},
                                  {QStringLiteral("kind"), o.wal.kind},
                                  {QStringLiteral("timeline"), static_cast<qint64>(o.wal.timeline)},
                                  {QStringLiteral("stored"), QJsonArray::fromStringList(o.stored)},
                                  {QStringLiteral("already"), QJsonArray::fromStringList(o.already)}});
    }
    // Quiet otherwise: this runs once per segment and its output lands in the server's log.
    return 0;
}

int WalCommand::fetch(CliContext &ctx, const QStringList &args) {
    ArgParser p(QStringLiteral("wal fetch"),
                QStringLiteral("PROFILE NAME DEST [--storage NAME]... [--identity FILE]... [--partial]\n\n"
                               "Write the archived WAL file NAME to DEST (atomically, replacing DEST): for\n"
                               "restore_command = 'lifeboatctl wal fetch PROFILE %f %p'. The stored bytes are checked\n"
                               "against the catalog's SHA-256; without a catalog row the storages are searched.\n"
                               "Exit 1 without a message when NAME is not archived (PostgreSQL asks for files that\n"
                               "do not exist), 4 when every copy is damaged."));
    addStorageOption(p);
    RestoreCliSupport::addIdentityOptions(p);
    p.flag(QStringLiteral("partial"),
           QStringLiteral("When the complete segment is not archived, write its newest partial upload to DEST (the "
                          "end of the WAL, for recovery to the latest point)."));
    p.flag(QStringLiteral("fatal-errors"),
           QStringLiteral("Exit 255 instead of 2, 3 or 4 on a failure other than \"not archived\", so PostgreSQL "
                          "aborts recovery rather than ending it early at a damaged segment."));
    if (auto rc = p.parse(ctx, args, 3, 3))
        return *rc;
    int rc = 0;
    const bool fatal = p.isSet(QStringLiteral("fatal-errors"));
    auto failed = [&](const Error &e) {
        const int code = ctx.fail(e);
        return fatal ? 255 : code;
    };
    const auto profile = profileOrFail(ctx, p.positional().at(0), &rc);
    if (!profile)
        return fatal ? 255 : rc;
    WalFetcher::Setup setup;
    setup.profile = profile->name;
    setup.catalog = ctx.catalog();
    const auto identities = RestoreCliSupport::identities(ctx, p, &rc);
    if (!identities)
        return fatal ? 255 : rc;
    setup.identities = *identities;
    if ((rc = openStorages(ctx, p, *profile, &setup.storages)))
        return fatal ? 255 : rc;
    WalFetcher fetcher(std::move(setup));
    fetcher.setLog([&ctx](const QString &line) { ctx.err() << "lifeboatctl: " << line << Qt::endl; });
    const QString name = p.positional().at(1);
    const WalFetcher::Outcome o = fetcher.fetch(name, p.positional().at(2), p.isSet(QStringLiteral("partial")));
    switch (o.result) {
    case WalFetcher::Result::NotFound:
        if (ctx.json())
            ctx.printJson(QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("found"), false}});
        return 1;
    case WalFetcher::Result::Failed:
        return failed(o.error);
    case WalFetcher::Result::Fetched:
        break;
    }
    if (ctx.json()) {
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true},
                                  {QStringLiteral("found"), true},
                                  {QStringLiteral("name"), name},
                                  {QStringLiteral("storage"), o.storage},
                                  {QStringLiteral("location"), o.location},
                                  {QStringLiteral("partial"), o.partial},
                                  {QStringLiteral("bytes"), o.bytes},
                                  {QStringLiteral("catalog"), o.fromCatalog}});
    }
    return 0;
}
