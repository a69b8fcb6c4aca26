#include "CliCommand.h"

CliOptions cliOptions(const char *table) {
    CliOptions out;
    for (const QString &line : QString::fromUtf8(table).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (!line.startsWith(QLatin1String("--"))) {
            Q_ASSERT(!out.isEmpty());
            out.last().help += QLatin1Char(' ') + line.trimmed();
            continue;
        }
        const int gap = line.indexOf(QLatin1String("  "));
        Q_ASSERT(gap > 2);
        const QString head = line.left(gap);
        const int space = head.indexOf(QLatin1Char(' '));
        out.append({space < 0 ? head.mid(2) : head.mid(2, space - 2), line.mid(gap).trimmed(),
                    space < 0 ? QString() : head.mid(space + 1)});
    }
    return out;
}
