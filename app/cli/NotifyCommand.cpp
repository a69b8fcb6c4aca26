#include "NotifyCommand.h"

#include "ArgParser.h"
#include "CliContext.h"
#include "CliSecrets.h"

#include "notify/NotificationDispatcher.h"
#include "notify/SmtpNotifier.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSysInfo>
#include <QUrl>

using namespace lifeboat;

int NotifyCommand::run(CliContext &ctx, const QStringList &args) {
    const QString sub = args.value(0);
    if (sub == QLatin1String("add"))
        return add(ctx, args.mid(1));
    if (sub == QLatin1String("list"))
        return list(ctx, args.mid(1));
    if (sub == QLatin1String("remove"))
        return remove(ctx, args.mid(1));
    if (sub == QLatin1String("test"))
        return test(ctx, args.mid(1));
    return ctx.usage(QStringLiteral("usage: lifeboatctl notify add|list|remove|test ..."));
}

int NotifyCommand::add(CliContext &ctx, const QStringList &args) {
    ArgParser p(
        QStringLiteral("notify add"),
        QStringLiteral("NAME --webhook URL | --smtp URL --from ADDR --to ADDR... [--tls starttls|implicit|none] "
                       "[--user U --password-stdin] [--ca-file PEM] [--on failure|always] [--profile P]..."));
    p.option(QStringLiteral("webhook"), QStringLiteral("POST JSON (Slack/Teams \"text\" + fields) to this URL."),
             QStringLiteral("URL"));
    p.option(QStringLiteral("smtp"), QStringLiteral("Send e-mail through smtp://HOST:587 or smtps://HOST:465."),
             QStringLiteral("URL"));
    p.option(QStringLiteral("tls"), QStringLiteral("starttls (default for smtp://), implicit (smtps://) or none."),
             QStringLiteral("MODE"));
    p.option(QStringLiteral("from"), QStringLiteral("Sender address."), QStringLiteral("ADDR"));
    p.option(QStringLiteral("to"), QStringLiteral("Recipient (repeatable)."), QStringLiteral("ADDR"));
    p.option(QStringLiteral("user"), QStringLiteral("SMTP login."), QStringLiteral("U"));
    p.option(QStringLiteral("ca-file"), QStringLiteral("Trust this CA bundle (PEM) for the relay's certificate."),
             QStringLiteral("PEM"));
    p.flag(QStringLiteral("password-stdin"),
           QStringLiteral("Read the SMTP password from stdin; kept in the credential store as smtp/NAME."));
    p.option(QStringLiteral("on"), QStringLiteral("failure (default: failures and stalls) or always."),
             QStringLiteral("WHEN"));
    p.option(QStringLiteral("profile"), QStringLiteral("Only about this profile (repeatable; default: all)."),
             QStringLiteral("P"));
    if (auto rc = p.parse(ctx, args, 1, 1))
        return *rc;
    NotifierRecord n;
    n.name = p.positional().first();
    if (!ConfigStore::isValidName(n.name))
        return ctx.usage(QStringLiteral("\"%1\" is not a valid notifier name (letters, digits, - and _)").arg(n.name));
    const bool webhook = p.isSet(QStringLiteral("webhook"));
    if (webhook == p.isSet(QStringLiteral("smtp")))
        return ctx.usage(QStringLiteral("notify add needs exactly one of --webhook URL or --smtp URL"));
    n.on = p.isSet(QStringLiteral("on")) ? p.value(QStringLiteral("on")) : QStringLiteral("failure");
    if (n.on != QLatin1String("failure") && n.on != QLatin1String("always"))
        return ctx.usage(QStringLiteral("--on takes failure or always, not \"%1\"").arg(n.on));
    n.profiles = p.values(QStringLiteral("profile"));
    for (const QString &pr : n.profiles)
        if (!ctx.config().profile(pr))
            return ctx.usage(QStringLiteral("unknown profile \"%1\" (see `lifeboatctl profile list`)").arg(pr));
    QString password;
    if (webhook) {
        n.kind = QStringLiteral("webhook");
        n.url = p.value(QStringLiteral("webhook"));
        const QUrl u(n.url);
        if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) ||
            u.host().isEmpty())
            return ctx.usage(QStringLiteral("--webhook needs an http:// or https:// URL"));
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
            password = CliContext::readSecretFromStdin();
            if (password.isEmpty())
                return ctx.usage(QStringLiteral("--password-stdin: no password on stdin"));
        }
    }
    QString err;
    if (!ctx.catalog()->saveNotifier(n, &err))
        return ctx.usage(err);
    if (!password.isEmpty()) {
        CliSecrets secrets(ctx);
        if (!secrets.store(NotificationDispatcher::passwordKey(n.name), password))
            ctx.err() << "lifeboatctl: warning: " << secrets.lastMessage() << Qt::endl;
    }
    if (ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("name"), n.name}});
    else
        ctx.err() << "Notifier \"" << n.name << "\" saved (" << n.kind << ", on " << n.on
                  << "). Try it: lifeboatctl notify test " << n.name << Qt::endl;
    return 0;
}

int NotifyCommand::list(CliContext &ctx, const QStringList &args) {
    ArgParser p(QStringLiteral("notify list"), QString());
    if (auto rc = p.parse(ctx, args, 0, 0))
        return *rc;
    QJsonArray arr;
    for (const NotifierRecord &n : ctx.catalog()->notifiers()) {
        // Webhook URLs usually carry their secret in the path: show scheme and host only.
        const QString shown = QUrl(n.url).toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery);
        if (ctx.json()) {
            arr.append(QJsonObject{{QStringLiteral("name"), n.name},
                                   {QStringLiteral("kind"), n.kind},
                                   {QStringLiteral("url"), shown},
                                   {QStringLiteral("on"), n.on},
                                   {QStringLiteral("to"), QJsonArray::fromStringList(n.mailTo)},
                                   {QStringLiteral("profiles"), QJsonArray::fromStringList(n.profiles)}});
            continue;
        }
        ctx.out() << QStringLiteral("%1  %2  %3  on %4%5")
                         .arg(n.name.leftJustified(16), n.kind.leftJustified(8), shown, n.on,
                              n.profiles.isEmpty() ? QString()
                                                   : QStringLiteral("  profiles: ") + n.profiles.join(QLatin1Char(',')))
                  << Qt::endl;
    }
    if (ctx.json())
        ctx.printJson(arr);
    return 0;
}

int NotifyCommand::remove(CliContext &ctx, const QStringList &args) {
    ArgParser p(QStringLiteral("notify remove"), QStringLiteral("NAME"));
    if (auto rc = p.parse(ctx, args, 1, 1))
        return *rc;
    QString err;
    if (!ctx.catalog()->removeNotifier(p.positional().first(), &err))
        return ctx.usage(err);
    CliSecrets secrets(ctx);
    secrets.remove(NotificationDispatcher::passwordKey(p.positional().first()));
    if (!ctx.json())
        ctx.err() << "Notifier \"" << p.positional().first() << "\" removed." << Qt::endl;
    else
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}});
    return 0;
}

int NotifyCommand::test(CliContext &ctx, const QStringList &args) {
    ArgParser p(QStringLiteral("notify test"), QStringLiteral("NAME"));
    if (auto rc = p.parse(ctx, args, 1, 1))
        return *rc;
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
        const QString pw =
            n.user.isEmpty() ? QString() : secrets.secret(NotificationDispatcher::passwordKey(name), false, QString());
        if (const Error e = NotificationDispatcher::sendOne(n, msg, pw))
            return ctx.fail(e);
        if (ctx.json())
            ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}});
        else
            ctx.err() << "Test notification sent through \"" << name << "\"." << Qt::endl;
        return 0;
    }
    return ctx.usage(QStringLiteral("no notifier named \"%1\" (see `lifeboatctl notify list`)").arg(name));
}
