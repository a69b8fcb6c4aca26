// Retention's archive move into S3 (issue 15 review) against the S3 test server (SigV4 verified), with a real local
// original and SQLite catalog: a copy the catalog lists in the bucket is checked (HEAD: size and sha256 metadata)
// before the original goes; an object left by a move that stopped before its catalog update is adopted when it holds
// the backup, and refused by name when it does not.
#include "TestEnv.h"

#include "catalog/Manifest.h"
#include "catalog/SqlCatalog.h"
#include "core/ArtifactName.h"
#include "jobs/ArchiveMover.h"
#include "jobs/StoreFactory.h"
#include "pipeline/MemorySink.h"
#include "pipeline/Sha256.h"
#include "storage/S3Session.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TstRetentionArchiveS3 : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QHash<QString, QString> m_s3;
    std::unique_ptr<SqlCatalog> m_cat;
    QList<StorageConfig> m_storages;
    std::shared_ptr<S3Session> m_session;
    int m_seq = 0;

    QString secret(const QString &) const { return m_s3.value(QStringLiteral("S3_SECRET_KEY")); }
    ArchiveMover mover() const {
        return ArchiveMover(m_storages, [this](const QString &s) { return secret(s); });
    }
    static QByteArray readFile(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static bool writeFile(const QString &path, const QByteArray &bytes) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
    }
    // The key S3Store gives the record's artifact in the bucket storage.
    QString keyFor(const BackupRecord &r) const {
        return m_session->config().keyFor(
            ArtifactName::s3Key(QString(), r.type.section(QLatin1Char(','), 0, 0), r.started.toUTC(), r.filename));
    }
    bool exists(const QString &key) const {
        S3ObjectInfo info;
        int status = 0;
        return !m_session->headObject(key, &info, &status) && status != 404;
    }
    // A completed monthly backup with a real artifact and manifest on the local storage "disk".
    BackupRecord make(QByteArray *manifest = nullptr) {
        BackupRecord r;
        r.profile = QStringLiteral("shop");
        r.database = QStringLiteral("shop");
        r.type = QStringLiteral("DAILY,MONTHLY");
        r.status = BackupRecord::statusCompleted();
        r.started = QDateTime(QDate(2026, 1, 1 + m_seq), QTime(3, 0), QTimeZone::utc());
        r.finished = r.started.addSecs(60);
        r.filename = QStringLiteral("shop-%1.dump").arg(++m_seq);
        const QByteArray bytes = QByteArray("artifact ") + r.filename.toUtf8() + QByteArray(8192, 'z');
        r.size = bytes.size();
        r.sha256 = QString::fromLatin1(Sha256::hex(bytes));
        r.plainSha256 = r.sha256;
        Manifest m;
        m.profile = r.profile;
        m.database = r.database;
        m.artifact = r.filename;
        m.size = r.size;
        m.sha256 = r.sha256;
        m.plainSha256 = r.sha256;
        m.started = r.started;
        m.finished = r.finished;
        const QString path = m_tmp.filePath(QStringLiteral("disk/") + r.filename);
        writeFile(path, bytes);
        writeFile(path + QStringLiteral(".manifest.json"), m.toJson());
        if (manifest)
            *manifest = m.toJson();
        r.locations << BackupLocation{QStringLiteral("disk"), QStringLiteral("local"), path,
                                      path + QStringLiteral(".manifest.json")};
        QString err;
        if (!m_cat->insert(r, &err))
            qFatal("insert: %s", qPrintable(err));
        return r;
    }
    QStringList storagesOf(qint64 id) const {
        QStringList out;
        const std::optional<BackupRecord> r = m_cat->get(id);
        for (const BackupLocation &l : r->locations)
            out << l.storage;
        return out;
    }

private slots:
    void initTestCase() {
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_s3.isEmpty(), "the s3 fixture must be running");
        m_cat = std::make_unique<SqlCatalog>(QStringLiteral("QSQLITE"), m_tmp.filePath(QStringLiteral("c.sqlite")));
        QString err;
        QVERIFY2(m_cat->open(&err), qPrintable(err));
        StorageConfig disk;
        disk.name = QStringLiteral("disk");
        disk.localDir = m_tmp.filePath(QStringLiteral("disk"));
        QDir().mkpath(disk.localDir);
        StorageConfig bucket;
        bucket.name = QStringLiteral("bucket");
        bucket.kind = QStringLiteral("s3");
        bucket.endpoint = m_s3.value(QStringLiteral("S3_ENDPOINT"));
        bucket.bucket = m_s3.value(QStringLiteral("S3_BUCKET"));
        bucket.pathStyle = true;
        bucket.prefix = QStringLiteral("ras%1").arg(QRandomGenerator::global()->bounded(1000000));
        bucket.accessKeyId = m_s3.value(QStringLiteral("S3_ACCESS_KEY"));
        m_storages = {disk, bucket};
        Error e;
        m_session = StoreFactory::s3Session(bucket, secret(bucket.name), &e);
        QVERIFY2(m_session, qPrintable(e.message));
    }

    // The catalog lists a copy in the bucket that is not there, then one that holds other bytes: the original stays.
    void listedCopyIsCheckedInTheBucket() {
        BackupRecord r = make();
        const QString diskPath = r.locations.first().path;
        const QString key = keyFor(r);
        r.locations << BackupLocation{QStringLiteral("bucket"), QStringLiteral("s3"), key,
                                      key + QStringLiteral(".manifest.json")};
        QString err;
        QVERIFY2(m_cat->update(r, &err), qPrintable(err));
        ArchiveMover::Outcome o = mover().move(*m_cat, r, {QStringLiteral("disk")}, QStringLiteral("bucket"));
        QVERIFY(o.error);
        QVERIFY2(o.error.message.contains(QLatin1String("is not there")), qPrintable(o.error.message));
        QVERIFY(QFile::exists(diskPath));
        QCOMPARE(storagesOf(r.id), (QStringList{QStringLiteral("disk"), QStringLiteral("bucket")}));

        QVERIFY(!m_session->putObject(key, QByteArray("other bytes")));
        o = mover().move(*m_cat, r, {QStringLiteral("disk")}, QStringLiteral("bucket"));
        QVERIFY(o.error);
        QVERIFY2(o.error.message.contains(QLatin1String("cannot be confirmed")), qPrintable(o.error.message));
        QCOMPARE(QString::fromLatin1(Sha256::hex(readFile(diskPath))), r.sha256);
        QCOMPARE(storagesOf(r.id), (QStringList{QStringLiteral("disk"), QStringLiteral("bucket")}));
    }

    // A move stopped after its upload and manifest, before the catalog: the next one adopts the object.
    void interruptedMoveIsAdopted() {
        QByteArray manifest;
        BackupRecord r = make(&manifest);
        const QString diskPath = r.locations.first().path;
        const QString key = keyFor(r);
        QVERIFY(!m_session->putObject(key, readFile(diskPath), {{QStringLiteral("sha256"), r.sha256}}, true));
        QVERIFY(!m_session->putObject(key + QStringLiteral(".manifest.json"), manifest, {}, true));
        const ArchiveMover::Outcome o = mover().move(*m_cat, r, {QStringLiteral("disk")}, QStringLiteral("bucket"));
        QVERIFY2(!o.error, qPrintable(o.error.message));
        QCOMPARE(storagesOf(r.id), QStringList{QStringLiteral("bucket")});
        const std::optional<BackupRecord> now = m_cat->get(r.id);
        QCOMPARE(now->locations.constFirst().path, key);
        QVERIFY(!QFile::exists(diskPath));
        MemorySink got;
        QVERIFY(!m_session->getObject(key, &got));
        QCOMPARE(QString::fromLatin1(Sha256::hex(got.data())), r.sha256);

        // Only the artifact was left (the manifest upload never happened): adopted, the manifest written.
        QByteArray manifest2;
        BackupRecord r2 = make(&manifest2);
        const QString key2 = keyFor(r2);
        QVERIFY(!m_session->putObject(key2, readFile(r2.locations.first().path), {}, true));
        QVERIFY(!mover().move(*m_cat, r2, {QStringLiteral("disk")}, QStringLiteral("bucket")).error);
        MemorySink m2;
        QVERIFY(!m_session->getObject(key2 + QStringLiteral(".manifest.json"), &m2));
        QCOMPARE(m2.data(), manifest2);
        QCOMPARE(storagesOf(r2.id), QStringList{QStringLiteral("bucket")});

        // Something else under the key: refused by name, the original and the object stay.
        BackupRecord r3 = make();
        const QString key3 = keyFor(r3);
        QVERIFY(!m_session->putObject(key3, QByteArray("not this backup"), {}, true));
        const ArchiveMover::Outcome o3 = mover().move(*m_cat, r3, {QStringLiteral("disk")}, QStringLiteral("bucket"));
        QVERIFY(o3.error);
        QVERIFY2(o3.error.message.contains(key3) && o3.error.message.contains(QLatin1String("remove or rename")),
                 qPrintable(o3.error.message));
        QCOMPARE(storagesOf(r3.id), QStringList{QStringLiteral("disk")});
        QVERIFY(QFile::exists(r3.locations.first().path));
        QVERIFY(exists(key3));
        QVERIFY(!exists(key3 + QStringLiteral(".manifest.json")));
    }
};

QTEST_GUILESS_MAIN(TstRetentionArchiveS3)
#include "tst_retention_archive_s3.moc"
