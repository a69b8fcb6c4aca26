// HashStage::Threading::OwnThread (base backups hash on a thread of their own): the digest is over exactly the bytes
// forwarded, in order, whatever the write sizes — the caller reuses its buffer as soon as write() returns, so a
// stage that hashed the caller's memory instead of a copy, dropped or reordered a handed-over buffer, or lost the
// tail at finish() gives a different digest here. Also: a slow sink and an abort mid-stream neither hang nor leak.
#include "pipeline/HashStage.h"
#include "pipeline/MemorySink.h"

#include <QRandomGenerator>
#include <QTest>
#include <QThread>

#include <memory>

using namespace lifeboat;

namespace {
QByteArray randomBytes(qsizetype n, quint32 seed) {
    QByteArray data(n, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    gen.fillRange(reinterpret_cast<quint32 *>(data.data()), n / 4);
    for (qsizetype i = n / 4 * 4; i < n; ++i)
        data[i] = char(gen.bounded(256));
    return data;
}

// Accepts everything, slowly: the producer runs ahead until the hasher's bounded queue stops it.
class SlowSink : public MemorySink {
public:
    bool write(QByteArrayView data) override {
        QThread::usleep(200);
        return MemorySink::write(data);
    }
};
} // namespace

class TstPipelineHashThread : public QObject {
    Q_OBJECT
private slots:
    void digestCoversExactlyTheForwardedBytes_data() {
        QTest::addColumn<int>("chunk");
        QTest::newRow("1 byte") << 1;
        QTest::newRow("odd 4093") << 4093;
        QTest::newRow("zstd output 131591") << 131591;
        QTest::newRow("exactly the buffer 1 MiB") << (1 << 20);
        QTest::newRow("larger than the buffers 5 MiB+3") << (5 * (1 << 20) + 3);
    }
    void digestCoversExactlyTheForwardedBytes() {
        QFETCH(int, chunk);
        const QByteArray data = randomBytes(chunk == 1 ? 300001 : 13 * (1 << 20) + 17, 17);
        MemorySink out;
        HashStage stage(&out, HashStage::Threading::OwnThread);
        // One reused buffer, overwritten after every write(), as ChildProcess and ZstdStage do.
        QByteArray scratch(chunk, Qt::Uninitialized);
        for (qsizetype i = 0; i < data.size(); i += chunk) {
            const qsizetype n = std::min<qsizetype>(chunk, data.size() - i);
            memcpy(scratch.data(), data.constData() + i, size_t(n));
            QVERIFY(stage.write(QByteArrayView(scratch.constData(), n)));
            scratch.fill('\xAA', n);
        }
        QVERIFY(stage.finish());
        QVERIFY(out.finished());
        QCOMPARE(out.data().size(), data.size());
        QCOMPARE(stage.bytes(), data.size());
        QCOMPARE(stage.sha256Hex(), Sha256::hex(data));
        // And the same digest as the inline stage.
        HashStage inlineStage(nullptr);
        QVERIFY(inlineStage.write(data));
        QVERIFY(inlineStage.finish());
        QCOMPARE(stage.sha256Hex(), inlineStage.sha256Hex());
    }

    void emptyStream() {
        MemorySink out;
        HashStage stage(&out, HashStage::Threading::OwnThread);
        QVERIFY(stage.finish());
        QCOMPARE(stage.sha256Hex(), Sha256::hex(QByteArray()));
    }

    void slowSinkStillHashesEverything() {
        const QByteArray data = randomBytes(9 * (1 << 20), 5);
        SlowSink out;
        HashStage stage(&out, HashStage::Threading::OwnThread);
        for (qsizetype i = 0; i < data.size(); i += 65536)
            QVERIFY(stage.write(data.mid(i, 65536)));
        QVERIFY(stage.finish());
        QCOMPARE(out.data(), data);
        QCOMPARE(stage.sha256Hex(), Sha256::hex(data));
    }

    void abortMidStreamEndsTheThread() {
        const QByteArray data = randomBytes(6 * (1 << 20), 9);
        MemorySink out;
        {
            HashStage stage(&out, HashStage::Threading::OwnThread);
            QVERIFY(stage.write(data));
            stage.abort(); // must return (the hashing thread ends) and discard downstream
            stage.abort(); // and be safe to repeat
        }
        QVERIFY(out.data().isEmpty());
        // Destroyed without finish() or abort(): the destructor ends the thread.
        auto dropped = std::make_unique<HashStage>(nullptr, HashStage::Threading::OwnThread);
        QVERIFY(dropped->write(data));
        dropped.reset();
    }
};

QTEST_APPLESS_MAIN(TstPipelineHashThread)
#include "tst_pipeline_hashthread.moc"
