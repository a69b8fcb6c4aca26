#include "NamedThings.h"

int NamedThings::remove(CliContext &ctx, const QString &name, const Removal &how) {
    if (const QString why = how.remove(name); !why.isEmpty())
        return ctx.usage(why);
    if (how.savesConfig && !ctx.saveConfig())
        return 3;
    if (how.afterSave)
        how.afterSave(name);
    if (how.jsonOk && ctx.json())
        ctx.printJson(QJsonObject{{QStringLiteral("ok"), true}});
    else if (!how.removed.isEmpty())
        ctx.err() << how.removed.arg(name) << Qt::endl;
    return 0;
}
