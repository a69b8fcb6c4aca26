#include "TestEnv.h"

#include "catalog/Manifest.h"
#include "catalog/SqlCatalog.h"
#include "jobs/BucketArtifacts.h"
#include "storage/S3Session.h"
#include "storage/S3Types.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

// BucketArtifacts (the bucket browser's blocking half) against the s3 fixture and a real SQLite catalog: import
// checks the manifest against the object before adding a record, never adds one twice, and removeObject takes the
// manifest along.
class TstBucketArtifacts : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::shared_ptr<SqlCatalog> m_catalog;
    std::unique_ptr<S3Session> m_s3;
    QString m_root;

    static QByteArray manifest(const QString &artifact, const QByteArray &bytes) {
        Manifest m;
        m.profile = QStringLiteral("shop");
        m.database = QStringLiteral("shop");
        m.format = QStringLiteral("custom");
        m.artifact = artifact;
        m.size = bytes.size();
        m.sha256 = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
        m.plainSha256 = m.sha256;
        m.started = QDateTime::currentDateTimeUtc().addDays(-2);
        m.finished = m.started.addSecs(5);
        return m.toJson();
    }
    bool put(const QString &key, const QByteArray &bytes) { return !m_s3->putObject(m_root + key, bytes); }
    int status(const QString &key) {
        S3ObjectInfo info;
        int s = 0;
        m_s3->headObject(m_root + key, &info, &s);
        return s == 0 ? 200 : s;
    }

private slots:
    void initTestCase() {
        const auto env = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!env.isEmpty(), "the s3 fixture is not running (run through ctest)");
        S3Config c;
        c.endpoint = QUrl(env.value(QStringLiteral("S3_ENDPOINT")));
        c.bucket = env.value(QStringLiteral("S3_BUCKET"));
        c.region = env.value(QStringLiteral("S3_REGION"));
        c.accessKeyId = env.value(QStringLiteral("S3_ACCESS_KEY"));
        c.secretAccessKey = env.value(QStringLiteral("S3_SECRET_KEY"));
        c.pathStyle = true;
        m_s3 = std::make_unique<S3Session>(c);
        m_root = QStringLiteral("artifacts%1/").arg(QDateTime::currentMSecsSinceEpoch());
        m_catalog = SqlCatalog::sqlite(m_dir.filePath(QStringLiteral("catalog.db")));
        QString err;
        QVERIFY2(m_catalog->open(&err), qPrintable(err));
    }

    void importsOnceAndIndexes() {
        const QByteArray bytes(4000, 'g');
        QVERIFY(put(QStringLiteral("good.dump"), bytes));
        QVERIFY(put(QStringLiteral("good.dump.manifest.json"), manifest(QStringLiteral("good.dump"), bytes)));
        const auto first =
            BucketArtifacts::import(*m_s3, *m_catalog, QStringLiteral("offsite"), m_root + QStringLiteral("good.dump"));
        QVERIFY2(!first.error, qPrintable(first.error.message));
        QVERIFY(first.id > 0);
        QVERIFY(!first.alreadyKnown);
        const auto record = m_catalog->get(first.id);
        QVERIFY(record);
        QCOMPARE(record->status, BackupRecord::statusCompleted());
        QCOMPARE(record->locations.first().manifestPath, m_root + QStringLiteral("good.dump.manifest.json"));
        QCOMPARE(record->locations.first().kind, QStringLiteral("s3"));

        const auto again =
            BucketArtifacts::import(*m_s3, *m_catalog, QStringLiteral("offsite"), m_root + QStringLiteral("good.dump"));
        QVERIFY(!again.error);
        QVERIFY(again.alreadyKnown);
        QCOMPARE(again.id, first.id);
        QCOMPARE(m_catalog->count(CatalogFilter{}), 1);

        const auto index = BucketArtifacts::catalogued(*m_catalog, QStringLiteral("offsite"));
        QCOMPARE(index.size(), 1);
        QCOMPARE(index.value(m_root + QStringLiteral("good.dump")).id, first.id);
        QVERIFY(BucketArtifacts::catalogued(*m_catalog, QStringLiteral("elsewhere")).isEmpty());
    }

    void refusesWhatDoesNotMatch() {
        const QByteArray bytes(1000, 't');
        // The object is shorter than its manifest says (an interrupted upload).
        QVERIFY(put(QStringLiteral("short.dump"), bytes.left(999)));
        QVERIFY(put(QStringLiteral("short.dump.manifest.json"), manifest(QStringLiteral("short.dump"), bytes)));
        auto r = BucketArtifacts::import(*m_s3, *m_catalog, QStringLiteral("offsite"),
                                         m_root + QStringLiteral("short.dump"));
        QCOMPARE(r.error.code, ExitCode::Integrity);
        QVERIFY(r.error.message.contains(QStringLiteral("999 bytes")));
        // A manifest that describes another artifact.
        QVERIFY(put(QStringLiteral("renamed.dump"), bytes));
        QVERIFY(put(QStringLiteral("renamed.dump.manifest.json"), manifest(QStringLiteral("original.dump"), bytes)));
        r = BucketArtifacts::import(*m_s3, *m_catalog, QStringLiteral("offsite"),
                                    m_root + QStringLiteral("renamed.dump"));
        QCOMPARE(r.error.code, ExitCode::Integrity);
        QVERIFY(r.error.message.contains(QStringLiteral("original.dump")));
        // No manifest at all; and one that is not a manifest.
        QVERIFY(put(QStringLiteral("bare.dump"), bytes));
        r = BucketArtifacts::import(*m_s3, *m_catalog, QStringLiteral("offsite"), m_root + QStringLiteral("bare.dump"));
        QCOMPARE(r.error.code, ExitCode::Usage);
        QVERIFY(r.error.message.contains(QStringLiteral("no manifest")));
        QVERIFY(put(QStringLiteral("junk.dump"), bytes));
        QVERIFY(put(QStringLiteral("junk.dump.manifest.json"), "not json"));
        r = BucketArtifacts::import(*m_s3, *m_catalog, QStringLiteral("offsite"), m_root + QStringLiteral("junk.dump"));
        QCOMPARE(r.error.code, ExitCode::Integrity);
        QCOMPARE(m_catalog->count(CatalogFilter{}), 1); // only good.dump from before
    }

    void removeTakesTheManifestAlong() {
        QVERIFY(put(QStringLiteral("gone.dump"), "x"));
        QVERIFY(put(QStringLiteral("gone.dump.manifest.json"), "{}"));
        QVERIFY(put(QStringLiteral("alone.txt"), "y"));
        QStringList removed;
        QVERIFY(!BucketArtifacts::removeObject(*m_s3, m_root + QStringLiteral("gone.dump"), &removed));
        QCOMPARE(removed, (QStringList{m_root + QStringLiteral("gone.dump"),
                                       m_root + QStringLiteral("gone.dump.manifest.json")}));
        QCOMPARE(status(QStringLiteral("gone.dump")), 404);
        QCOMPARE(status(QStringLiteral("gone.dump.manifest.json")), 404);
        removed.clear();
        QVERIFY(!BucketArtifacts::removeObject(*m_s3, m_root + QStringLiteral("alone.txt"), &removed));
        QCOMPARE(removed, QStringList{m_root + QStringLiteral("alone.txt")});
        QCOMPARE(status(QStringLiteral("alone.txt")), 404);
    }
};

QTEST_GUILESS_MAIN(TstBucketArtifacts)
#include "tst_bucketartifacts.moc"
