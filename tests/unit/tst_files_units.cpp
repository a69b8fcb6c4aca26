// The small rules under file and Redis backups: Redis URLs never print their password, exclude globs, the lexical
// "does this symlink leave the tree" check, and the pipe between the streaming pipeline and libarchive's reader.
#include "files/FilesExtractor.h"
#include "files/FilesTarWriter.h"
#include "files/StreamPipe.h"
#include "redis/RedisUrl.h"

#include <QtTest>

#include <atomic>
#include <thread>

using namespace lifeboat;

class TstFilesUnits : public QObject {
    Q_OBJECT
private slots:
    void redisUrls() {
        QString err;
        const RedisUrl u = RedisUrl::parse(QStringLiteral("redis://worker:p%40ss%3Aword@cache.internal:6380/2"), &err);
        QVERIFY2(u.isValid(), qPrintable(err));
        QCOMPARE(u.user(), QStringLiteral("worker"));
        QCOMPARE(u.password(), QStringLiteral("p@ss:word"));
        QCOMPARE(u.port(), 6380);
        QCOMPARE(u.database(), 2);
        QVERIFY(!u.tls());
        QCOMPARE(u.display(), QStringLiteral("redis://worker@cache.internal:6380/2"));
        QVERIFY(!u.display().contains(QLatin1String("p@ss")));

        const RedisUrl t = RedisUrl::parse(QStringLiteral("rediss://:only-password@10.0.0.5"), &err);
        QVERIFY(t.isValid());
        QVERIFY(t.tls());
        QCOMPARE(t.port(), 6379);
        QCOMPARE(t.user(), QString());
        QCOMPARE(t.password(), QStringLiteral("only-password"));
        QCOMPARE(t.display(), QStringLiteral("rediss://10.0.0.5:6379"));

        QVERIFY(!RedisUrl::parse(QStringLiteral("http://host:6379"), &err).isValid());
        QVERIFY(err.contains(QLatin1String("redis://")));
        QVERIFY(!RedisUrl::parse(QStringLiteral("redis://host/notanumber"), &err).isValid());
        QVERIFY(!RedisUrl::parse(QStringLiteral("redis://"), &err).isValid());
    }

    void excludeGlobs() {
        const auto g = FilesTarWriter::compile(
            {QStringLiteral("*.tmp"), QStringLiteral("node_modules"), QStringLiteral("cache/*")});
        QVERIFY(FilesTarWriter::matches(g, QStringLiteral("x.tmp")));
        QVERIFY(FilesTarWriter::matches(g, QStringLiteral("deep/er/x.tmp")));
        QVERIFY(!FilesTarWriter::matches(g, QStringLiteral("x.tmp.txt")));
        QVERIFY(FilesTarWriter::matches(g, QStringLiteral("web/node_modules")));
        QVERIFY(!FilesTarWriter::matches(g, QStringLiteral("web/node_modules_old")));
        QVERIFY(FilesTarWriter::matches(g, QStringLiteral("cache/a")));
        QVERIFY(!FilesTarWriter::matches(g, QStringLiteral("cache/a/b")));   // "*" stops at "/"
        QVERIFY(!FilesTarWriter::matches(g, QStringLiteral("web/cache/a"))); // a path glob is anchored at the root
        QVERIFY(!FilesTarWriter::matches(FilesTarWriter::compile({}), QStringLiteral("anything")));
    }

    void symlinkContainment() {
        QVERIFY(FilesExtractor::linkStaysInside(QStringLiteral("a/b/link"), QStringLiteral("../x")));
        QVERIFY(FilesExtractor::linkStaysInside(QStringLiteral("a/link"), QStringLiteral("./../b/./c")));
        QVERIFY(FilesExtractor::linkStaysInside(QStringLiteral("link"), QStringLiteral("sub/../file")));
        QVERIFY(!FilesExtractor::linkStaysInside(QStringLiteral("link"), QStringLiteral("../x")));
        QVERIFY(!FilesExtractor::linkStaysInside(QStringLiteral("a/link"), QStringLiteral("../../x")));
        QVERIFY(!FilesExtractor::linkStaysInside(QStringLiteral("a/link"), QStringLiteral("b/../../../x")));
        QVERIFY(!FilesExtractor::linkStaysInside(QStringLiteral("link"), QStringLiteral("/etc/passwd")));
        QVERIFY(!FilesExtractor::linkStaysInside(QStringLiteral("link"), QString()));
    }

    void pipeAppliesBackPressureAndStops() {
        StreamPipe pipe(1024);
        std::atomic_int written{0};
        std::thread writer([&] {
            const QByteArray chunk(600, 'x');
            for (int i = 0; i < 10; ++i) {
                if (!pipe.write(chunk))
                    return;
                ++written;
            }
            pipe.finish();
        });
        QThread::msleep(100);
        QVERIFY(written.load() <= 2); // blocked: the reader took nothing yet
        qint64 total = 0;
        bool failed = false;
        for (QByteArray c = pipe.take(&failed); !c.isEmpty(); c = pipe.take(&failed))
            total += c.size();
        writer.join();
        QVERIFY(!failed);
        QCOMPARE(total, qint64(6000));

        // A reader that stops releases a blocked writer with a failure instead of a hang.
        StreamPipe stopped(100);
        std::atomic_bool result{true};
        std::thread w2([&] {
            const QByteArray chunk(80, 'y');
            bool ok = true;
            for (int i = 0; i < 100 && ok; ++i)
                ok = stopped.write(chunk);
            result = ok;
        });
        QThread::msleep(50);
        stopped.closeReader();
        w2.join();
        QVERIFY(!result.load());

        // A writer that aborts makes the reader's take() fail.
        StreamPipe aborted;
        QVERIFY(aborted.write("abc"));
        aborted.abort();
        bool f = false;
        aborted.take(&f);
        QVERIFY(f);
    }
};

QTEST_GUILESS_MAIN(TstFilesUnits)
#include "tst_files_units.moc"
