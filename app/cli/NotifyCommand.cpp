#include "NotifyCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"
#include "NamedThings.h"

#include "notify/NotificationDispatcher.h"
#include "notify/SmtpNotifier.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSysInfo>
#include <QUrl>

using namespace lifeboat;

static int add(CliContext &ctx, const ArgParser &p) {
    NotifierRecord n;
    n.name = p.positional().first();
    if (!ConfigStore::isValidName(n.name))
        return ctx.usage(QStringLiteral("\"%1\" is not a valid notifier name (letters, digits, - and _)").arg(n.name));
    const bool webhookArg = p.isSet(QStringLiteral("webhook"));
    const bool webhookStdin = p.isSet(QStringLiteral("webhook-stdin"));
    const bool webhook = webhookArg || webhookStdin;
    if (int(webhookArg) + int(webhookStdin) + int(p.isSet(QStringLiteral("smtp"))) != 1)
        return ctx.usage(
            QStringLiteral("notify add needs exactly one of --webhook-stdin, --webhook URL or --smtp URL"));
    n.on = p.isSet(QStringLiteral("on")) ? p.value(QStringLiteral("on")) : QStringLiteral("failure");
    if (n.on != QLatin1String("failure") && n.on != QLatin1String("always"))
        return ctx.usage(QStringLiteral("--on takes failure or always, not \"%1\"").arg(n.on));
    n.profiles = p.values(QStringLiteral("profile"));
    for (const QString &pr : n.profiles)
        if (!ctx.config().profile(pr))
            return ctx.usage(QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(pr));
    QString secret;    // kept in the credential store under secretKey
    QString secretKey; // (the SMTP password, or a webhook URL given on stdin)
    if (webhook) {
        n.kind = QStringLiteral("webhook");
        const QString given = webhookStdin ? CliContext::readSecretFromStdin() : p.value(QStringLiteral("webhook"));
        const QUrl u(given, QUrl::StrictMode);
        if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) ||
            u.host().isEmpty())
            return ctx.usage(webhookStdin ? QStringLiteral("--webhook-stdin: stdin holds no http:// or https:// URL")
                                          : QStringLiteral("--webhook needs an http:// or https:// URL"));
        if (webhookStdin) {
            secret = u.toString(QUrl::FullyEncoded);
            secretKey = NotificationDispatcher::webhookKey(n.name);
            n.url = NotificationDispatcher::storedWebhookReference(u);
        } else if (const QString why = NotificationDispatcher::secretInWebhookUrl(u); !why.isEmpty()) {
            // Like a password in --conninfo: a command line is visible to every user, and the catalog is shareable.
            return ctx.usage(QStringLiteral("--webhook: the URL is refused because %1; a command line is visible to "
                                            "other users and the catalog is meant to be shareable. Give it on stdin "
                                            "instead (kept in the credential store): lifeboatctl notify add %2 "
                                            "--webhook-stdin < FILE")
                                 .arg(why, n.name));
        } else {
            n.url = given;
        }
    } else {
        n.kind = QStringLiteral("smtp");
        n.url = p.value(QStringLiteral("smtp"));
        n.tls = p.value(QStringLiteral("tls"));
        n.mailFrom = p.value(QStringLiteral("from"));
        n.mailTo = p.values(QStringLiteral("to"));
        n.user = p.value(QStringLiteral("user"));
        n.caFile = p.value(QStringLiteral("ca-file"));
        if (!n.caFile.isEmpty()) {
            const QFileInfo ca(n.caFile);
            if (!ca.isReadable())
                return ctx.usage(QStringLiteral("--ca-file: cannot read %1").arg(n.caFile));
            n.caFile = ca.absoluteFilePath();
        }
        SmtpNotifier::Settings s{n.url, n.tls, n.mailFrom, n.mailTo, n.user, {}, n.caFile, 30000};
        if (const Error e = SmtpNotifier::validate(s))
            return ctx.fail(e);
        if (p.isSet(QStringLiteral("password-stdin"))) {
            if (n.user.isEmpty())
                return ctx.usage(QStringLiteral("--password-stdin needs --user"));
            secret = CliContext::readSecretFromStdin();
            if (secret.isEmpty())
                return ctx.usage(QStringLiteral("--password-stdin: no password on stdin"));
            secretKey = NotificationDispatcher::passwordKey(n.name);
        }
    }
    // The secret first: a notifier whose secret was dropped would fail exactly when it is needed. Refused, nothing
    // is saved.
    if (!secret.isEmpty()) {
        CliSecrets secrets(ctx);
        if (!secrets.store(secretKey, secret))
            return ctx.fail(ExitCode::Usage,
                            QStringLiteral("notifier \"%1\" not saved: %2").arg(n.name, secrets.lastMessage()));
    }
    QString err;
    if (!ctx.catalog()->saveNotifier(n, &err))
        return ctx.usage(err);
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("name"), n.name}});
    else
        ctx.err() << "Notifier \"" << n.name << "\" saved (" << n.kind << ", on " << n.on
                  << "). Try it: lifeboatctl notify test " << n.name << Qt::endl;
    return 0;
}

static int list(CliContext &ctx, const ArgParser &) {
    return NamedThings::list(ctx, ctx.catalog()->notifiers(), [](const NotifierRecord &n) {
        // Webhook URLs usually carry their secret in the path: show scheme and host only.
        const QString shown =
            QUrl(n.url).toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
        const bool inStore = NotificationDispatcher::webhookInStore(n);
        return NamedThings::Row{
            {{QStringLiteral("name"), n.name},
             {QStringLiteral("kind"), n.kind},
             {QStringLiteral("url"), shown},
             {QStringLiteral("urlInCredentialStore"), inStore},
             {QStringLiteral("on"), n.on},
             {QStringLiteral("to"), QJsonArray::fromStringList(n.mailTo)},
             {QStringLiteral("profiles"), QJsonArray::fromStringList(n.profiles)}},
            QStringLiteral("%1  %2  %3  on %4%5")
                .arg(n.name.leftJustified(16), n.kind.leftJustified(8),
                     inStore ? shown + QStringLiteral(" (URL in the credential store)") : shown, n.on,
                     n.profiles.isEmpty() ? QString()
                                          : QStringLiteral("  profiles: ") + n.profiles.join(QLatin1Char(',')))};
    });
}

static int remove(CliContext &ctx, const ArgParser &p) {
    return NamedThings::remove(ctx, p.positional().first(),
                               {[&ctx](const QString &name) {
                                    QString err;
                                    ctx.catalog()->removeNotifier(name, &err);
                                    return err;
                                },
                                false,
                                [&ctx](const QString &name) {
                                    CliSecrets secrets(ctx);
                                    secrets.remove(NotificationDispatcher::passwordKey(name));
                                    secrets.remove(NotificationDispatcher::webhookKey(name));
                                },
                                QStringLiteral("Notifier \"%1\" removed.")});
}

static int test(CliContext &ctx, const ArgParser &p) {
    const QString name = p.positional().first();
    for (const NotifierRecord &n : ctx.catalog()->notifiers()) {
        if (n.name != name)
            continue;
        Notification msg;
        msg.event = QStringLiteral("test");
        msg.subject = QStringLiteral("[Lifeboat] Test notification from %1").arg(QSysInfo::machineHostName());
        msg.text = QStringLiteral("This is a test of the Lifeboat notifier \"%1\". If you can read it, failures "
                                  "will reach you here.")
                       .arg(name);
        msg.fields = {{QStringLiteral("notifier"), name}};
        CliSecrets secrets(ctx);
        const QString key = NotificationDispatcher::secretKey(n);
        const QString secret = key.isEmpty() ? QString() : secrets.secret(key, false, QString());
        if (const Error e = NotificationDispatcher::sendOne(n, msg, secret))
            return ctx.fail(e);
        if (ctx.json())
            ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}});
        else
            ctx.err() << "Test notification sent through \"" << name << "\"." << Qt::endl;
        return 0;
    }
    return ctx.usage(QStringLiteral("no notifier named \"%1\" (see `lifeboatctl notify list`)").arg(name));
}

QList<CliCommand> NotifyCommand::commands() {
    return {{QStringLiteral("notify"), QStringLiteral("add"),
             QStringLiteral("NAME --webhook-stdin | --webhook URL | --smtp URL --from ADDR --to ADDR... "
                            "[--tls starttls|implicit|none] [--user U --password-stdin] [--ca-file PEM] "
                            "[--on failure|always] [--profile P]..."),
             1, 1, &add, cliOptions(R"(
--webhook-stdin  POST JSON (Slack/Teams "text" + fields) to the URL read from stdin; the URL is kept in the
    credential store as webhook/NAME, the catalog holds only its host.
--webhook URL  POST to this URL, kept in the catalog: only for a URL that holds no secret (a URL with user info, a
    path other than / or a query is refused; use --webhook-stdin).
--smtp URL  Send e-mail through smtp://HOST:587 or smtps://HOST:465.
--tls MODE  starttls (default for smtp://), implicit (smtps://) or none.
--from ADDR  Sender address.
--to ADDR  Recipient (repeatable).
--user U  SMTP login.
--ca-file PEM  Trust this CA bundle (PEM) for the relay's certificate.
--password-stdin  Read the SMTP password from stdin; kept in the credential store as smtp/NAME.
--on WHEN  failure (default: failures and stalls) or always.
--profile P  Only about this profile (repeatable; default: all).)")},
            {QStringLiteral("notify"), QStringLiteral("list"), QString(), 0, 0, &list},
            {QStringLiteral("notify"), QStringLiteral("remove"), QStringLiteral("NAME"), 1, 1, &remove},
            {QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("NAME"), 1, 1, &test}};
}
