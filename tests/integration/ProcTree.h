#pragma once

// A process's children and what /proc says about them, for tests that look at the processes lifeboatctl starts
// (tst_backup_cli: a pg_dump to kill, a child's argv and environment to search for the password).
#include <QDir>
#include <QFile>
#include <QHash>
#include <QList>
#include <QString>

namespace proctree {

// Direct and indirect children of pid, from /proc.
inline QList<qint64> descendants(qint64 pid) {
    QHash<qint64, qint64> parent;
    for (const QString &e : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool ok = false;
        const qint64 p = e.toLongLong(&ok);
        if (!ok)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(p));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray s = stat.readAll();
        const int close = s.lastIndexOf(')');
        const QList<QByteArray> rest = s.mid(close + 2).split(' ');
        if (rest.size() > 1)
            parent.insert(p, rest.at(1).toLongLong());
    }
    QList<qint64> out;
    QList<qint64> frontier{pid};
    while (!frontier.isEmpty()) {
        const qint64 cur = frontier.takeFirst();
        for (auto it = parent.begin(); it != parent.end(); ++it) {
            if (it.value() == cur) {
                out << it.key();
                frontier << it.key();
            }
        }
    }
    return out;
}

inline QString procComm(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/comm").arg(pid));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).trimmed() : QString();
}

inline QByteArray procFile(qint64 pid, const char *name) {
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace proctree
