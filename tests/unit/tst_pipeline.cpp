#include "pipeline/AtomicFileSink.h"
#include "pipeline/GunzipStage.h"
#include "pipeline/GzipStage.h"
#include "pipeline/HashStage.h"
#include "pipeline/MemorySink.h"
#include "pipeline/TeeSink.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TstPipeline : public QObject {
    Q_OBJECT
private slots:
    void sha256KnownVectors() {
        QCOMPARE(Sha256::hex(""), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(Sha256::hex("abc"), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        // Incremental hashing in uneven chunks equals one-shot hashing.
        QByteArray data(1000003, Qt::Uninitialized);
        QRandomGenerator gen(7);
        for (auto &c : data)
            c = char(gen.bounded(256));
        Sha256 h;
        for (qsizetype i = 0; i < data.size(); i += 4093)
            h.add(data.mid(i, 4093));
        QCOMPARE(h.finalHex(), Sha256::hex(data));
    }

    void hashStageForwardsAndCounts() {
        MemorySink mem;
        HashStage hash(&mem);
        QVERIFY(hash.write("hello "));
        QVERIFY(hash.write("world"));
        QVERIFY(hash.finish());
        QCOMPARE(mem.data(), QByteArray("hello world"));
        QCOMPARE(hash.bytes(), 11);
        QCOMPARE(hash.sha256Hex(), Sha256::hex("hello world"));
        QVERIFY(mem.finished());
    }

    void atomicFileSinkRenamesOnlyOnFinish() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.dump"));
        AtomicFileSink sink(path);
        QVERIFY(sink.open());
        QVERIFY(sink.write("data"));
        QVERIFY(QFile::exists(path + QStringLiteral(".partial")));
        QVERIFY(!QFile::exists(path));
        QVERIFY(sink.finish());
        QVERIFY(QFile::exists(path));
        QVERIFY(!QFile::exists(path + QStringLiteral(".partial")));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("data"));
    }

    void atomicFileSinkAbortLeavesNothing() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("b.dump"));
        {
            AtomicFileSink sink(path);
            QVERIFY(sink.open());
            QVERIFY(sink.write("partial data"));
            sink.abort();
        }
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
        {
            AtomicFileSink sink(path); // destroyed without finish(): same as abort
            QVERIFY(sink.open());
            QVERIFY(sink.write("x"));
        }
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
    }

    void atomicFileSinkRefusesExistingAndUnwritable() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.dump"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("keep me");
        f.close();
        AtomicFileSink sink(path);
        QVERIFY(!sink.open());
        QCOMPARE(sink.error().code, ExitCode::Usage);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("keep me"));

        AtomicFileSink bad(dir.filePath(QStringLiteral("missing/dir/d.dump")));
        QVERIFY(!bad.open());
        QVERIFY(bad.error().message.contains(QStringLiteral("cannot write")));
    }

    void gzipRoundTrip() {
        QByteArray data;
        for (int i = 0; i < 200000; ++i)
            data += QByteArray::number(i) + ',';
        MemorySink compressed;
        GzipStage gz(&compressed, 6);
        for (qsizetype i = 0; i < data.size(); i += 65536)
            QVERIFY(gz.write(data.mid(i, 65536)));
        QVERIFY(gz.finish());
        QVERIFY(compressed.data().size() < data.size() / 2);
        QCOMPARE(compressed.data().left(2), QByteArray("\x1f\x8b"));

        MemorySink plain;
        GunzipStage gunzip(&plain);
        QVERIFY(gunzip.write(compressed.data()));
        QVERIFY(gunzip.finish());
        QCOMPARE(plain.data(), data);

        MemorySink truncated;
        GunzipStage cut(&truncated);
        QVERIFY(cut.write(compressed.data().left(compressed.data().size() / 2)));
        QVERIFY(!cut.finish());
        QCOMPARE(cut.error().code, ExitCode::Integrity);
    }

    void teeFansOutAndFailsOnAnyBranch() {
        MemorySink a, b;
        TeeSink tee({&a, &b});
        QVERIFY(tee.write("xyz"));
        QVERIFY(tee.finish());
        QCOMPARE(a.data(), QByteArray("xyz"));
        QCOMPARE(b.data(), QByteArray("xyz"));

        QTemporaryDir dir;
        MemorySink c;
        AtomicFileSink bad(dir.filePath(QStringLiteral("no/such/dir/x")));
        QVERIFY(!bad.open());
        TeeSink tee2({&c, &bad});
        QVERIFY(!tee2.write("abc"));
        QVERIFY(tee2.error().isError());
    }
};

QTEST_GUILESS_MAIN(TstPipeline)
#include "tst_pipeline.moc"
