// Bucket mirrors against the real S3 fixture (s3rver): `lifeboatctl mirror run` copies a source prefix into
// backup storage (S3 and a local directory), a second run copies exactly the changed and new objects and records
// the deletion, and `mirror restore` puts any run's objects back, byte-identical, refusing to overwrite different
// objects unless --overwrite.
#include "TestEnv.h"

#include "pipeline/MemorySink.h"
#include "pipeline/Sha256.h"
#include "storage/S3Session.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TstMirrorCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_root; // key prefix of this test run in the fixture bucket
    QHash<QString, QString> m_s3;
    std::unique_ptr<S3Session> m_bucket; // the whole fixture bucket, no prefix
    QHash<QString, QByteArray> m_v1;     // relative key -> content seeded for the first run

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        return e;
    }
    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args, {}, env()); }
    QJsonObject json(const QStringList &args, int expectedExit = 0) {
        const auto r = ctl(QStringList{QStringLiteral("--json")} + args);
        if (r.exitCode != expectedExit)
            qWarning("%s -> %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        [&] { QCOMPARE(r.exitCode, expectedExit); }();
        return QJsonDocument::fromJson(r.out).object();
    }
    void addS3Storage(const QString &name, const QString &prefix) {
        const auto r = ctl({QStringLiteral("storage"), QStringLiteral("add"), name, QStringLiteral("--s3"),
                            QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")),
                            QStringLiteral("--bucket"), m_s3.value(QStringLiteral("S3_BUCKET")),
                            QStringLiteral("--path-style"), QStringLiteral("--prefix"), m_root + prefix});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    QString key(const QString &relative) const { return m_root + relative; }
    void put(const QString &relative, const QByteArray &data) {
        const Error e = m_bucket->putObject(key(relative), data);
        QVERIFY2(!e, qPrintable(e.message));
    }
    QByteArray get(const QString &relative) {
        MemorySink sink;
        const Error e = m_bucket->getObject(key(relative), &sink);
        return e ? QByteArray("<missing: ") + e.message.toUtf8() + ">" : sink.data();
    }
    // Relative key -> content of every object below a prefix.
    QHash<QString, QByteArray> tree(const QString &relativePrefix) {
        S3ListResult listing;
        const Error e = m_bucket->listAll(key(relativePrefix), QString(), &listing);
        if (e)
            qWarning("list failed: %s", qPrintable(e.message));
        QHash<QString, QByteArray> out;
        for (const S3ObjectInfo &o : listing.objects) {
            const QString rel = o.key.mid(key(relativePrefix).size());
            out.insert(rel, get(o.key.mid(m_root.size())));
        }
        return out;
    }
    static QByteArray random(qsizetype n) {
        QByteArray b(n, Qt::Uninitialized);
        auto *rng = QRandomGenerator::global();
        for (qsizetype i = 0; i + 4 <= n; i += 4) {
            const quint32 v = rng->generate();
            memcpy(b.data() + i, &v, 4);
        }
        return b;
    }
    static QStringList sortedKeys(const QHash<QString, QByteArray> &h) {
        QStringList k = h.keys();
        k.sort();
        return k;
    }

private slots:
    void initTestCase() {
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_s3.isEmpty(), "the s3 fixture must be running");
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_root = QStringLiteral("mirror-test-%1/").arg(QRandomGenerator::global()->bounded(1000000));
        S3Config c;
        c.endpoint = QUrl(m_s3.value(QStringLiteral("S3_ENDPOINT")));
        c.bucket = m_s3.value(QStringLiteral("S3_BUCKET"));
        c.pathStyle = true;
        c.accessKeyId = m_s3.value(QStringLiteral("S3_ACCESS_KEY"));
        c.secretAccessKey = m_s3.value(QStringLiteral("S3_SECRET_KEY"));
        m_bucket = std::make_unique<S3Session>(c);
        addS3Storage(QStringLiteral("uploads"), QStringLiteral("app"));
        addS3Storage(QStringLiteral("backup"), QStringLiteral("backup"));
        addS3Storage(QStringLiteral("restored"), QStringLiteral("restored"));
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_tmp.filePath(QStringLiteral("disk"))})
                     .exitCode,
                 0);
        m_v1 = {{QStringLiteral("a.txt"), QByteArray("version one of a")},
                {QStringLiteral("dir/b.bin"), random(100 * 1024)},
                {QStringLiteral("big.bin"), random(9 * 1024 * 1024 + 123)}, // > one 8 MiB part: multipart
                {QStringLiteral("ünï code/c d.txt"), QByteArray("unicode and spaces")},
                {QStringLiteral("gone.txt"), QByteArray("deleted before the second run")}};
        for (auto it = m_v1.cbegin(); it != m_v1.cend(); ++it)
            put(QStringLiteral("app/media/") + it.key(), it.value());
        put(QStringLiteral("app/media2/not-mirrored.txt"), "outside the folder"); // "media" is a folder, not a stem
        QCOMPARE(ctl({QStringLiteral("mirror"), QStringLiteral("add"), QStringLiteral("uploads-m"),
                      QStringLiteral("--source"), QStringLiteral("uploads"), QStringLiteral("--source-prefix"),
                      QStringLiteral("media"), QStringLiteral("--storage"), QStringLiteral("backup")})
                     .exitCode,
                 0);
    }

    void addValidates() {
        auto r = ctl({QStringLiteral("mirror"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--source"),
                      QStringLiteral("disk"), QStringLiteral("--storage"), QStringLiteral("backup")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("not an S3 storage"), r.err.constData());
        r = ctl({QStringLiteral("mirror"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--source"),
                 QStringLiteral("uploads")});
        QCOMPARE(r.exitCode, 3); // three other storages: which one is not guessed
        QVERIFY2(r.err.contains("--storage"), r.err.constData());
    }

    void incrementalRunsAndRestore() {
        // Run 1 copies everything below media/.
        const QJsonObject run1 = json({QStringLiteral("mirror"), QStringLiteral("run"), QStringLiteral("uploads-m")});
        QCOMPARE(run1.value(QStringLiteral("objects")).toInt(), 5);
        QCOMPARE(run1.value(QStringLiteral("copied")).toInt(), 5);
        const QString runId1 = run1.value(QStringLiteral("runId")).toString();
        const QHash<QString, QByteArray> stored1 =
            tree(QStringLiteral("backup/mirror/uploads-m/objects/%1/").arg(runId1));
        QCOMPARE(sortedKeys(stored1), sortedKeys(m_v1));
        for (auto it = m_v1.cbegin(); it != m_v1.cend(); ++it)
            QVERIFY2(stored1.value(it.key()) == it.value(), qPrintable(it.key()));
        // The big object went up in parts while it downloaded (its stored copy is whole, compared above).
        QCOMPARE(run1.value(QStringLiteral("multipartObjects")).toInt(), 1);

        // Change one object (same size: only the ETag tells), add one, delete one.
        QTest::qWait(1100); // a new run id second
        put(QStringLiteral("app/media/a.txt"), "version two of a");
        put(QStringLiteral("app/media/new.txt"), "added later");
        QVERIFY(!m_bucket->deleteObject(key(QStringLiteral("app/media/gone.txt"))));
        const QJsonObject run2 = json({QStringLiteral("mirror"), QStringLiteral("run"), QStringLiteral("uploads-m")});
        QCOMPARE(run2.value(QStringLiteral("copied")).toInt(), 2);
        QCOMPARE(run2.value(QStringLiteral("unchanged")).toInt(), 3);
        QCOMPARE(run2.value(QStringLiteral("deleted")).toInt(), 1);
        QCOMPARE(run2.value(QStringLiteral("objects")).toInt(), 5);
        const QString runId2 = run2.value(QStringLiteral("runId")).toString();
        QVERIFY(runId2 != runId1);
        // Exactly the two changed/new objects were PUT by run 2.
        const auto stored2 = tree(QStringLiteral("backup/mirror/uploads-m/objects/%1/").arg(runId2));
        QCOMPARE(sortedKeys(stored2), (QStringList{QStringLiteral("a.txt"), QStringLiteral("new.txt")}));
        QCOMPARE(stored2.value(QStringLiteral("a.txt")), QByteArray("version two of a"));
        // The deleted object stays in the mirror and is listed as deleted.
        QCOMPARE(get(QStringLiteral("backup/mirror/uploads-m/objects/%1/gone.txt").arg(runId1)),
                 m_v1.value(QStringLiteral("gone.txt")));
        const QByteArray list2 = get(QStringLiteral("backup/mirror/uploads-m/runs/%1.json").arg(runId2));
        const QJsonArray objects = QJsonDocument::fromJson(list2).object().value(QStringLiteral("objects")).toArray();
        QHash<QString, QString> states;
        for (const QJsonValue &v : objects)
            states.insert(v[QStringLiteral("key")].toString(), v[QStringLiteral("state")].toString());
        QCOMPARE(states.value(QStringLiteral("gone.txt")), QStringLiteral("deleted"));
        QCOMPARE(states.value(QStringLiteral("a.txt")), QStringLiteral("changed"));
        QCOMPARE(states.value(QStringLiteral("new.txt")), QStringLiteral("new"));
        QCOMPARE(states.value(QStringLiteral("big.bin")), QStringLiteral("unchanged"));
        for (const QJsonValue &v : objects)
            QVERIFY(v[QStringLiteral("sha256")].toString().size() == 64);
        // The catalog record: kind mirror, object count.
        const qint64 id2 = run2.value(QStringLiteral("id")).toInteger();
        const QJsonObject shown = json({QStringLiteral("show"), QString::number(id2)});
        QCOMPARE(shown.value(QStringLiteral("kind")).toString(), QStringLiteral("mirror"));
        QCOMPARE(shown.value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));

        // Restore run 2 into an empty prefix: the live objects of run 2, identical.
        QJsonObject restored =
            json({QStringLiteral("mirror"), QStringLiteral("restore"), QString::number(id2), QStringLiteral("--to"),
                  QStringLiteral("restored"), QStringLiteral("--prefix"), QStringLiteral("out")});
        QCOMPARE(restored.value(QStringLiteral("restored")).toInt(), 5);
        QHash<QString, QByteArray> expected2 = m_v1;
        expected2.remove(QStringLiteral("gone.txt"));
        expected2.insert(QStringLiteral("a.txt"), "version two of a");
        expected2.insert(QStringLiteral("new.txt"), "added later");
        const auto out2 = tree(QStringLiteral("restored/out/"));
        QCOMPARE(sortedKeys(out2), sortedKeys(expected2));
        for (auto it = expected2.cbegin(); it != expected2.cend(); ++it)
            QVERIFY2(out2.value(it.key()) == it.value(), qPrintable(it.key()));

        // Run 1 restores the bytes of run 1 (the old a.txt, gone.txt), not today's.
        const qint64 id1 = run1.value(QStringLiteral("id")).toInteger();
        json({QStringLiteral("mirror"), QStringLiteral("restore"), QString::number(id1), QStringLiteral("--to"),
              QStringLiteral("restored"), QStringLiteral("--prefix"), QStringLiteral("out1")});
        const auto out1 = tree(QStringLiteral("restored/out1/"));
        QCOMPARE(sortedKeys(out1), sortedKeys(m_v1));
        QCOMPARE(out1.value(QStringLiteral("a.txt")), QByteArray("version one of a"));
        QCOMPARE(out1.value(QStringLiteral("big.bin")), m_v1.value(QStringLiteral("big.bin")));

        // Again into the same prefix: everything is already identical, nothing is written.
        restored =
            json({QStringLiteral("mirror"), QStringLiteral("restore"), QString::number(id2), QStringLiteral("--to"),
                  QStringLiteral("restored"), QStringLiteral("--prefix"), QStringLiteral("out")});
        QCOMPARE(restored.value(QStringLiteral("restored")).toInt(), 0);
        QCOMPARE(restored.value(QStringLiteral("identical")).toInt(), 5);

        // A different object in the way: refused as a whole (the missing new.txt is not written either).
        put(QStringLiteral("restored/out/a.txt"), "someone else's a!");
        QVERIFY(!m_bucket->deleteObject(key(QStringLiteral("restored/out/new.txt"))));
        auto r = ctl({QStringLiteral("mirror"), QStringLiteral("restore"), QString::number(id2), QStringLiteral("--to"),
                      QStringLiteral("restored"), QStringLiteral("--prefix"), QStringLiteral("out")});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("a.txt") && r.err.contains("--overwrite"), r.err.constData());
        QVERIFY(!tree(QStringLiteral("restored/out/")).contains(QStringLiteral("new.txt")));
        QCOMPARE(get(QStringLiteral("restored/out/a.txt")), QByteArray("someone else's a!"));
        restored = json({QStringLiteral("mirror"), QStringLiteral("restore"), QString::number(id2),
                         QStringLiteral("--to"), QStringLiteral("restored"), QStringLiteral("--prefix"),
                         QStringLiteral("out"), QStringLiteral("--overwrite")});
        QCOMPARE(restored.value(QStringLiteral("restored")).toInt(), 2);
        QCOMPARE(get(QStringLiteral("restored/out/a.txt")), QByteArray("version two of a"));
        QCOMPARE(get(QStringLiteral("restored/out/new.txt")), QByteArray("added later"));

        // --overwrite never loses the original (issue 14): the copy goes to a temporary key and is verified there;
        // a damaged mirror copy fails (exit 4) while the object in the way stays exactly as it was, and no
        // temporary key is left behind.
        put(QStringLiteral("restored/out/a.txt"), "someone else's a!");
        const QString copyA = QStringLiteral("backup/mirror/uploads-m/objects/%1/a.txt").arg(runId2);
        put(copyA, "version 2 of a!!"); // same size, other bytes
        r = ctl({QStringLiteral("mirror"), QStringLiteral("restore"), QString::number(id2), QStringLiteral("--to"),
                 QStringLiteral("restored"), QStringLiteral("--prefix"), QStringLiteral("out"),
                 QStringLiteral("--overwrite")});
        QCOMPARE(r.exitCode, 4);
        QCOMPARE(get(QStringLiteral("restored/out/a.txt")), QByteArray("someone else's a!"));
        for (const QString &k : tree(QStringLiteral("restored/out/")).keys())
            QVERIFY2(!k.contains(QLatin1String("lifeboat-restore-")), qPrintable(k));
        put(copyA, "version two of a"); // repaired
        restored = json({QStringLiteral("mirror"), QStringLiteral("restore"), QString::number(id2),
                         QStringLiteral("--to"), QStringLiteral("restored"), QStringLiteral("--prefix"),
                         QStringLiteral("out"), QStringLiteral("--overwrite")});
        QCOMPARE(restored.value(QStringLiteral("overwritten")).toInt(), 1);
        QCOMPARE(get(QStringLiteral("restored/out/a.txt")), QByteArray("version two of a"));
        for (const QString &k : tree(QStringLiteral("restored/out/")).keys())
            QVERIFY2(!k.contains(QLatin1String("lifeboat-restore-")), qPrintable(k));

        // A third run with no change copies nothing and drops the deletion from the list.
        QTest::qWait(1100);
        const QJsonObject run3 = json({QStringLiteral("mirror"), QStringLiteral("run"), QStringLiteral("uploads-m")});
        QCOMPARE(run3.value(QStringLiteral("copied")).toInt(), 0);
        QCOMPARE(run3.value(QStringLiteral("deleted")).toInt(), 0);
        QVERIFY(tree(QStringLiteral("backup/mirror/uploads-m/objects/%1/")
                         .arg(run3.value(QStringLiteral("runId")).toString()))
                    .isEmpty());
    }

    void localDirectoryMirror() {
        QCOMPARE(ctl({QStringLiteral("mirror"), QStringLiteral("add"), QStringLiteral("to-disk"),
                      QStringLiteral("--source"), QStringLiteral("uploads"), QStringLiteral("--source-prefix"),
                      QStringLiteral("media/dir"), QStringLiteral("--storage"), QStringLiteral("disk")})
                     .exitCode,
                 0);
        const QJsonObject run = json({QStringLiteral("mirror"), QStringLiteral("run"), QStringLiteral("to-disk")});
        QCOMPARE(run.value(QStringLiteral("copied")).toInt(), 1);
        const QString file = m_tmp.filePath(
            QStringLiteral("disk/mirror/to-disk/objects/%1/b.bin").arg(run.value(QStringLiteral("runId")).toString()));
        QFile f(file);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
        QCOMPARE(f.readAll(), m_v1.value(QStringLiteral("dir/b.bin")));
        QVERIFY(QFile::exists(m_tmp.filePath(
            QStringLiteral("disk/mirror/to-disk/runs/%1.json").arg(run.value(QStringLiteral("runId")).toString()))));
        // No partial files left behind.
        QDirIterator it(m_tmp.filePath(QStringLiteral("disk")), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            QVERIFY2(!it.next().endsWith(QStringLiteral(".partial")), qPrintable(it.filePath()));
        json({QStringLiteral("mirror"), QStringLiteral("restore"),
              QString::number(run.value(QStringLiteral("id")).toInteger()), QStringLiteral("--to"),
              QStringLiteral("restored"), QStringLiteral("--prefix"), QStringLiteral("from-disk")});
        QCOMPARE(get(QStringLiteral("restored/from-disk/b.bin")), m_v1.value(QStringLiteral("dir/b.bin")));
    }

    void editedObjectListIsRefused() {
        // The object list must be the one the catalog recorded.
        const QJsonObject run = json({QStringLiteral("mirror"), QStringLiteral("run"), QStringLiteral("to-disk")});
        const QString list = m_tmp.filePath(
            QStringLiteral("disk/mirror/to-disk/runs/%1.json").arg(run.value(QStringLiteral("runId")).toString()));
        QFile f(list);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray json = f.readAll();
        json.replace("b.bin", "x.bin");
        f.seek(0);
        f.write(json);
        f.close();
        const auto r = ctl({QStringLiteral("mirror"), QStringLiteral("restore"),
                            QString::number(run.value(QStringLiteral("id")).toInteger()), QStringLiteral("--to"),
                            QStringLiteral("restored"), QStringLiteral("--prefix"), QStringLiteral("edited")});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("SHA-256"), r.err.constData());
        QVERIFY(tree(QStringLiteral("restored/edited/")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstMirrorCli)
#include "tst_mirror_cli.moc"
