#include "catalog/ConfigStore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace lifeboat;

class TstSourcesConfig : public QObject {
    Q_OBJECT
private slots:
    void fileAndRedisSourcesRoundTrip() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        {
            ConfigStore s(path);
            QVERIFY(s.load(nullptr));
            s.upsertFileSource({QStringLiteral("uploads"),
                                QStringLiteral("/srv/uploads"),
                                {QStringLiteral("*.tmp"), QStringLiteral("cache/*")},
                                QStringLiteral("gzip"),
                                {QStringLiteral("local")},
                                {}});
            RedisSourceConfig r;
            r.name = QStringLiteral("queue");
            r.url = QStringLiteral("redis://worker@127.0.0.1:6380/2");
            r.storages = {QStringLiteral("local"), QStringLiteral("s3")};
            s.upsertRedisSource(r);
            QString err;
            QVERIFY2(s.save(&err), qPrintable(err));
        }
        ConfigStore back(path);
        QVERIFY(back.load(nullptr));
        const auto f = back.fileSource(QStringLiteral("uploads"));
        QVERIFY(f);
        QCOMPARE(f->path, QStringLiteral("/srv/uploads"));
        QCOMPARE(f->excludes, (QStringList{QStringLiteral("*.tmp"), QStringLiteral("cache/*")}));
        QCOMPARE(f->compression, QStringLiteral("gzip"));
        const auto r = back.redisSource(QStringLiteral("queue"));
        QVERIFY(r);
        QCOMPARE(r->url, QStringLiteral("redis://worker@127.0.0.1:6380/2"));
        QCOMPARE(r->compression, QStringLiteral("gzip"));
        QCOMPARE(r->storages.size(), 2);
        QCOMPARE(RedisSourceConfig::passwordKey(QStringLiteral("queue")), QStringLiteral("redis/queue/password"));

        // Replacing keeps one entry; removing an unknown name reports false.
        FileSourceConfig changed = *f;
        changed.path = QStringLiteral("/data/uploads");
        back.upsertFileSource(changed);
        QCOMPARE(back.fileSources().size(), 1);
        QCOMPARE(back.fileSource(QStringLiteral("uploads"))->path, QStringLiteral("/data/uploads"));
        QVERIFY(back.removeRedisSource(QStringLiteral("queue")));
        QVERIFY(!back.removeRedisSource(QStringLiteral("queue")));
        QVERIFY(!back.redisSource(QStringLiteral("queue")));
    }
};

QTEST_GUILESS_MAIN(TstSourcesConfig)
#include "tst_sources_config.moc"
