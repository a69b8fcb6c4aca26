#pragma once

#include "CliContext.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <utility>

// list and remove of the named-thing groups (profile, storage, files, redis, mirror, set, notify, schedule): the
// output conventions live here once; each group says only what a row shows and how a name is removed.
class NamedThings {
public:
    // One item as `list` shows it: its JSON object (--json) and its text (one or more lines, no final newline).
    using Row = std::pair<QJsonObject, QString>;

    // --json: the array of the rows' objects on stdout; else each row's text on stdout, a line each, or `empty`
    // on stderr when there are none.
    template <typename T, typename RowOf>
    static int list(CliContext &ctx, const QList<T> &items, RowOf rowOf, const QString &empty = {}) {
        QJsonArray arr;
        for (const T &item : items) {
            const Row row = rowOf(item);
            if (ctx.json())
                arr.append(row.first);
            else
                ctx.out() << row.second << '\n';
        }
        if (ctx.json())
            ctx.printJson(arr);
        else if (items.isEmpty() && !empty.isEmpty())
            ctx.err() << empty << Qt::endl;
        ctx.out().flush();
        return 0;
    }

    struct Removal {
        // Removes the thing; returns why it could not (a usage error, exit 3), empty when it is gone.
        std::function<QString(const QString &name)> remove;
        bool savesConfig = true; // things kept in the settings file (the others live in the catalog)
        std::function<void(const QString &name)> afterSave = {}; // e.g. forget its secrets
        QString removed = {};                                    // told on stderr ("%1": the name); empty: nothing
        bool jsonOk = true;                                      // --json prints {"ok": true} instead of `removed`
    };
    static int remove(CliContext &ctx, const QString &name, const Removal &how);
};
