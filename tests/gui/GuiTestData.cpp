#include "GuiTestData.h"

#include "pipeline/Sha256.h"

#include <QDir>
#include <QFile>

using namespace lifeboat;

BackupRecord GuiTestData::record(int i, const QDateTime &newest) {
    static const char *profiles[] = {"alpha", "beta", "gamma"};
    BackupRecord r;
    r.profile = QString::fromLatin1(profiles[i % 3]);
    r.database = QStringLiteral("db%1").arg(i % 4);
    r.type = i % 30 == 0  ? QStringLiteral("DAILY,WEEKLY,MONTHLY")
             : i % 7 == 0 ? QStringLiteral("DAILY,WEEKLY")
             : i % 5 == 0 ? QStringLiteral("MANUAL")
                          : QStringLiteral("DAILY");
    r.status = i % 10 == 0   ? BackupRecord::statusFailed()
               : i % 25 == 0 ? BackupRecord::statusCancelled()
                             : BackupRecord::statusCompleted();
    r.filename = QStringLiteral("%1-%2-%3.dump").arg(r.profile, r.database).arg(i);
    r.size = (qint64(i) * 7919) % 1000003 + 1;
    r.sha256 = QStringLiteral("%1").arg(i, 64, 16, QLatin1Char('0'));
    r.plainSha256 = r.sha256;
    r.format = QStringLiteral("custom");
    r.started = newest.addSecs(-3600LL * i);
    r.finished = r.started.addSecs(30);
    r.durationMs = 1000 + (i % 97) * 113;
    r.label = QStringLiteral("run-%1").arg(i);
    r.host = QStringLiteral("test-host");
    if (r.status == BackupRecord::statusFailed())
        r.error = QStringLiteral("pg_dump failed: connection lost %1").arg(i);
    r.locations << BackupLocation{QStringLiteral("disk"), QStringLiteral("local"),
                                  QStringLiteral("/nonexistent/%1").arg(r.filename), QString()};
    return r;
}

bool GuiTestData::fill(Catalog &catalog, int count, const QDateTime &newest, QString *error) {
    for (int i = 0; i < count; ++i) {
        BackupRecord r = record(i, newest);
        if (!catalog.insert(r, error))
            return false;
    }
    return true;
}

BackupRecord GuiTestData::artifact(Catalog &catalog, const QString &dir, const QString &name, const QByteArray &bytes,
                                   const QDateTime &started) {
    QDir().mkpath(dir);
    const QString path = QDir(dir).filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(bytes);
    f.close();
    const QString manifest = path + QStringLiteral(".manifest.json");
    QFile m(manifest);
    m.open(QIODevice::WriteOnly);
    m.write("{\"formatVersion\": 1, \"artifact\": \"" + name.toUtf8() + "\"}");
    m.close();
    BackupRecord r;
    r.profile = QStringLiteral("alpha");
    r.database = QStringLiteral("shop");
    r.filename = name;
    r.size = bytes.size();
    r.sha256 = QString::fromLatin1(Sha256::hex(bytes));
    r.plainSha256 = r.sha256;
    r.format = QStringLiteral("custom");
    r.status = BackupRecord::statusCompleted();
    r.started = started;
    r.finished = started.addSecs(5);
    r.durationMs = 5000;
    r.host = QStringLiteral("test-host");
    r.locations << BackupLocation{QStringLiteral("disk"), QStringLiteral("local"), path, manifest};
    QString err;
    catalog.insert(r, &err);
    return r;
}
