// Retention's move to archive storage end to end (issue 15): a monthly schedule backs up to a local storage with
// `run-due --as-of` over four simulated months (real pg_dump backups), then `prune --archive-to bucket` moves the
// copies kept only by the monthly rule to the S3 fixture (SigV4 verified) by verified copy and removes the local
// ones. The dry run lists the moves with their reasons and changes nothing; an archive storage whose bucket does not
// exist fails the move with exit 2 and leaves every original, file and catalog row, as does a running restore's
// lease for the backup it reads; afterwards files, S3 objects, manifests and catalog rows agree, and downloading an
// archived backup reads the S3 copy. Then the same copies move on from S3 to a second local storage, and a
// storage's own archive storage is carried out by run-due's prune.
#include "TestEnv.h"

#include "catalog/LeaseGuard.h"
#include "catalog/SqlCatalog.h"
#include "pipeline/Sha256.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

class TstRetentionArchive : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QHash<QString, QString> m_pg;
    QHash<QString, QString> m_s3;
    QString m_db;
    QString m_home;
    QString m_prefix;
    QList<qint64> m_ids; // in fire order
    QDateTime m_lastFire;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        for (const QString &k : e.keys())
            if (k.startsWith(QLatin1String("BACKUP_RETENTION_")))
                e.remove(k);
        return e;
    }
    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args, {}, env()); }
    QJsonDocument json(const QStringList &args, int expectedExit = 0) {
        const auto r = ctl(QStringList{QStringLiteral("--json")} + args);
        if (r.exitCode != expectedExit)
            qWarning("%s -> %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return QJsonDocument::fromJson(r.out);
    }
    QString bucketRoot() const {
        return m_s3.value(QStringLiteral("S3_DATA_DIR")) + QLatin1Char('/') + m_s3.value(QStringLiteral("S3_BUCKET")) +
               QLatin1Char('/');
    }
    // Object key -> stored bytes, under this test's prefix.
    QHash<QString, QByteArray> s3Objects() const {
        QHash<QString, QByteArray> out;
        const QString root = bucketRoot();
        QDirIterator it(root + m_prefix, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            if (!f.endsWith(QLatin1String("._S3rver_object")))
                continue;
            QFile file(f);
            if (file.open(QIODevice::ReadOnly))
                out.insert(f.mid(root.size()).chopped(int(qstrlen("._S3rver_object"))), file.readAll());
        }
        return out;
    }
    static QByteArray readFile(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    QStringList pruneArgs(const QString &archive) const {
        return {QStringLiteral("prune"),
                QStringLiteral("--as-of"),
                m_lastFire.addDays(2).toString(Qt::ISODate),
                QStringLiteral("--keep-daily"),
                QStringLiteral("1"),
                QStringLiteral("--keep-weekly"),
                QStringLiteral("0"),
                QStringLiteral("--keep-monthly"),
                QStringLiteral("12"),
                QStringLiteral("--archive-to"),
                archive};
    }

private slots:
    void initTestCase() {
        m_pg = TestEnv::fixture(QStringLiteral("pg"));
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!m_pg.isEmpty() && !m_s3.isEmpty(), "the pg and s3 fixtures must be running");
        const int n = QRandomGenerator::global()->bounded(1000000);
        m_db = QStringLiteral("lb_rar_%1").arg(n);
        m_prefix = QStringLiteral("rar%1").arg(n);
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 300) g"));
        m_home = m_tmp.filePath(QStringLiteral("home"));
        const QString conninfo =
            QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
                .arg(m_pg.value(QStringLiteral("PG_HOST")), m_pg.value(QStringLiteral("PG_PORT")), m_db);
        const QStringList s3 = {
            QStringLiteral("--s3"),         QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")),
            QStringLiteral("--path-style"), QStringLiteral("--prefix"),   m_prefix};
        for (const QStringList &args :
             {QStringList{QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                          QStringLiteral("--local"), m_home + QStringLiteral("/store")},
              QStringList{QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("bucket"),
                          QStringLiteral("--bucket"), m_s3.value(QStringLiteral("S3_BUCKET"))} +
                  s3,
              // An archive storage that cannot take anything: its bucket does not exist.
              QStringList{QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("nobucket"),
                          QStringLiteral("--bucket"), QStringLiteral("lb-missing-%1").arg(n)} +
                  s3,
              QStringList{QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"),
                          QStringLiteral("--conninfo"), conninfo, QStringLiteral("--storage"), QStringLiteral("disk")},
              QStringList{QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("monthly"),
                          QStringLiteral("--profile"), QStringLiteral("p"), QStringLiteral("--cron"),
                          QStringLiteral("0 3 1 * *"), QStringLiteral("--tz"), QStringLiteral("UTC"),
                          QStringLiteral("--keep-daily"), QStringLiteral("0"), QStringLiteral("--keep-weekly"),
                          QStringLiteral("0")}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        // Four monthly runs in the simulated future (12 monthly keeps them all; no archive storage yet).
        const QDate first = QDate::currentDate().addMonths(1);
        for (int m = 0; m < 4; ++m) {
            m_lastFire = QDateTime(QDate(first.year(), first.month(), 1).addMonths(m), QTime(3, 0), QTimeZone::utc());
            const QJsonObject e = json({QStringLiteral("run-due"), QStringLiteral("--as-of"),
                                        m_lastFire.addSecs(120).toString(Qt::ISODate)})
                                      .array()
                                      .first()
                                      .toObject();
            QVERIFY2(e.value(QStringLiteral("status")).toString() == QLatin1String("COMPLETED"),
                     QJsonDocument(e).toJson().constData());
            m_ids << e.value(QStringLiteral("recordId")).toInteger();
        }
        QCOMPARE(m_ids.size(), 4);
    }

    void archiveToIsChecked() {
        auto r = ctl({QStringLiteral("prune"), QStringLiteral("--dry-run"), QStringLiteral("--archive-to"),
                      QStringLiteral("nosuch")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("--archive-to: unknown storage \"nosuch\""), r.err.constData());
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("bucket"),
                 QStringLiteral("--archive-to"), QStringLiteral("bucket")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("cannot archive to itself"), r.err.constData());
        // A storage's own archive storage is saved, listed and cleared.
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("nobucket"),
                 QStringLiteral("--archive-to"), QStringLiteral("bucket")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QString listed;
        for (const QJsonValue &v : json({QStringLiteral("storage"), QStringLiteral("list")}).array())
            if (v.toObject().value(QStringLiteral("name")).toString() == QLatin1String("nobucket"))
                listed = v.toObject().value(QStringLiteral("archiveTo")).toString();
        QCOMPARE(listed, QStringLiteral("bucket"));
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("nobucket"),
                 QStringLiteral("--archive-to"), QString()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QJsonValue &v : json({QStringLiteral("storage"), QStringLiteral("list")}).array())
            if (v.toObject().value(QStringLiteral("name")).toString() == QLatin1String("nobucket"))
                QCOMPARE(v.toObject().value(QStringLiteral("archiveTo")).toString(), QString());

        // An archive storage overlapping the storage it archives (the same directory spelt differently, a directory
        // inside it, the same bucket and prefix) could take the only copy: refused with the reason, nothing saved.
        const QStringList s3 = {
            QStringLiteral("--s3"),         QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")),
            QStringLiteral("--path-style"), QStringLiteral("--bucket"),   m_s3.value(QStringLiteral("S3_BUCKET"))};
        const QList<QStringList> overlapping{
            {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("inner"), QStringLiteral("--local"),
             m_home + QStringLiteral("/store/inner"), QStringLiteral("--archive-to"), QStringLiteral("disk")},
            QStringList{QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("deeper"),
                        QStringLiteral("--archive-to"), QStringLiteral("bucket"), QStringLiteral("--prefix"),
                        m_prefix + QStringLiteral("/cold")} +
                s3};
        for (const QStringList &args : overlapping) {
            r = ctl(args);
            QCOMPARE(r.exitCode, 3);
            QVERIFY2(r.err.contains("cannot archive the copies of"), r.err.constData());
        }
        QVERIFY(!QFileInfo::exists(m_home + QStringLiteral("/store/inner")));
        for (const QJsonValue &v : json({QStringLiteral("storage"), QStringLiteral("list")}).array())
            QVERIFY(!QStringList({QStringLiteral("inner"), QStringLiteral("deeper")})
                         .contains(v.toObject().value(QStringLiteral("name")).toString()));
        r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("twin"), QStringLiteral("--local"),
                 m_home + QStringLiteral("/store/")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk"),
                 QStringLiteral("--archive-to"), QStringLiteral("twin")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("are the same directory"), r.err.constData());
        r = ctl({QStringLiteral("prune"), QStringLiteral("--dry-run"), QStringLiteral("--archive-to"),
                 QStringLiteral("twin")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("cannot archive the copies of \"disk\""), r.err.constData());
        r = ctl({QStringLiteral("storage"), QStringLiteral("remove"), QStringLiteral("twin")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void archiveMovesMonthlyOnlyCopies() {
        SqlCatalog cat(QStringLiteral("QSQLITE"), m_home + QStringLiteral("/catalog.sqlite"));
        QString err;
        QVERIFY2(cat.open(&err), qPrintable(err));
        QHash<qint64, BackupRecord> before;
        QHash<qint64, QByteArray> manifests; // the original manifests' bytes
        for (qint64 id : m_ids) {
            const auto rec = cat.get(id);
            QVERIFY(rec);
            QCOMPARE(rec->locations.size(), 1);
            QCOMPARE(rec->locations.first().storage, QStringLiteral("disk"));
            before.insert(id, *rec);
            manifests.insert(id, readFile(rec->locations.first().manifestPath));
            QVERIFY(!manifests.value(id).isEmpty());
        }
        const QList<qint64> archived = m_ids.mid(0, 3); // kept only by "monthly"
        const qint64 newest = m_ids.last();             // also daily and the newest: stays on disk

        auto unchanged = [&] {
            for (qint64 id : m_ids) {
                const auto rec = cat.get(id);
                QVERIFY(rec);
                QCOMPARE(rec->status, BackupRecord::statusCompleted());
                QCOMPARE(rec->locations.size(), 1);
                QCOMPARE(rec->locations.first().path, before.value(id).locations.first().path);
                QVERIFY(rec->removedCopies.isEmpty());
                QVERIFY(QFile::exists(rec->locations.first().path));
                QVERIFY(QFile::exists(rec->locations.first().manifestPath));
            }
            QVERIFY(s3Objects().isEmpty());
        };

        // The dry run lists each planned move with its reasons and changes nothing.
        QStringList dryArgs = pruneArgs(QStringLiteral("bucket"));
        dryArgs.insert(1, QStringLiteral("--dry-run"));
        const QJsonArray dry = json(dryArgs).array();
        QCOMPARE(dry.size(), 4);
        for (const QJsonValue &v : dry) {
            const QJsonObject o = v.toObject();
            const qint64 id = o.value(QStringLiteral("id")).toInteger();
            const QJsonArray copies = o.value(QStringLiteral("copies")).toArray();
            QCOMPARE(copies.size(), 1);
            const QJsonObject c = copies.first().toObject();
            QCOMPARE(c.value(QStringLiteral("storage")).toString(), QStringLiteral("disk"));
            QCOMPARE(o.value(QStringLiteral("action")).toString(), QStringLiteral("keep"));
            const QStringList reasons = c.value(QStringLiteral("reasons")).toVariant().toStringList();
            if (id == newest) {
                QCOMPARE(c.value(QStringLiteral("action")).toString(), QStringLiteral("keep"));
                QCOMPARE(c.value(QStringLiteral("moveTo")).toString(), QString());
                QCOMPARE(o.value(QStringLiteral("outcome")).toString(), QStringLiteral("keep"));
            } else {
                QVERIFY(archived.contains(id));
                QCOMPARE(c.value(QStringLiteral("action")).toString(), QStringLiteral("move"));
                QCOMPARE(c.value(QStringLiteral("moveTo")).toString(), QStringLiteral("bucket"));
                QCOMPARE(o.value(QStringLiteral("outcome")).toString(),
                         QStringLiteral("keep, move copy on disk to bucket"));
                QCOMPARE(reasons.size(), 2);
                QVERIFY2(reasons.first().startsWith(QLatin1String("monthly ")), qPrintable(reasons.join(u';')));
                QCOMPARE(reasons.last(),
                         QStringLiteral("kept only by monthly/yearly rules: moves to archive storage bucket"));
            }
        }
        unchanged();

        // An archive storage that cannot take the copies: the move fails, exit 2, every original stays.
        auto r = ctl(pruneArgs(QStringLiteral("nobucket")));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("archive move to nobucket"), r.err.constData());
        QVERIFY2(r.out.contains("ARCHIVE MOVE FAILED"), r.out.constData());
        unchanged();

        // A move holds the backup's lease like prune: while a restore of the oldest one runs (a lease of this
        // live process), that one is not moved and prune exits 2; the others move.
        {
            LeaseGuard restoring;
            QVERIFY(!LeaseGuard::acquire(&cat, archived.first(), QStringLiteral("restore"), &restoring));
            r = ctl(pruneArgs(QStringLiteral("bucket")));
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(
                r.err.contains(
                    QStringLiteral("#%1: archive move to bucket: backup #%1 is in use").arg(archived.first()).toUtf8()),
                r.err.constData());
            const auto held = cat.get(archived.first());
            QVERIFY(held);
            QCOMPARE(held->locations.size(), 1);
            QCOMPARE(held->locations.first().storage, QStringLiteral("disk"));
            QVERIFY(QFile::exists(held->locations.first().path));
            QCOMPARE(s3Objects().size(), 2 * (archived.size() - 1));
        }

        // The lease is gone: the real move (the rest of it).
        r = ctl(pruneArgs(QStringLiteral("bucket")));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QHash<QString, QByteArray> objects = s3Objects();
        QCOMPARE(objects.size(), 2 * archived.size()); // each artifact and its manifest, nothing more
        for (qint64 id : m_ids) {
            const auto rec = cat.get(id);
            QVERIFY(rec);
            QCOMPARE(rec->status, BackupRecord::statusCompleted());
            const BackupLocation disk = before.value(id).locations.first();
            QCOMPARE(rec->locations.size(), 1);
            if (id == newest) {
                QCOMPARE(rec->locations.first().path, disk.path);
                QVERIFY(QFile::exists(disk.path));
                QVERIFY(rec->removedCopies.isEmpty());
                continue;
            }
            const BackupLocation s3 = rec->locations.first();
            QCOMPARE(s3.storage, QStringLiteral("bucket"));
            QCOMPARE(s3.kind, QStringLiteral("s3"));
            QVERIFY2(s3.path.startsWith(m_prefix + QLatin1Char('/')), qPrintable(s3.path));
            QCOMPARE(s3.manifestPath, s3.path + QStringLiteral(".manifest.json"));
            // The object holds exactly the catalogued bytes; its manifest is the original's, byte for byte.
            QVERIFY2(objects.contains(s3.path), qPrintable(s3.path));
            QCOMPARE(QString::fromLatin1(Sha256::hex(objects.value(s3.path))), rec->sha256);
            QCOMPARE(objects.value(s3.manifestPath), manifests.value(id));
            // The local copy is gone, and the record says where it went.
            QVERIFY(!QFile::exists(disk.path));
            QVERIFY(!QFile::exists(disk.manifestPath));
            QCOMPARE(rec->removedCopies.size(), 1);
            QCOMPARE(rec->removedCopies.first().location.storage, QStringLiteral("disk"));
            QCOMPARE(rec->removedCopies.first().location.path, disk.path);
            QVERIFY2(rec->removedCopies.first().reason.startsWith(QLatin1String("archived to bucket")),
                     qPrintable(rec->removedCopies.first().reason));
        }

        // Nothing left to move: a second prune changes nothing.
        r = ctl(pruneArgs(QStringLiteral("bucket")));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(s3Objects(), objects);

        // Reading an archived backup finds the S3 copy.
        const QString out = m_tmp.filePath(QStringLiteral("dl"));
        const QJsonObject dl =
            json({QStringLiteral("download"), QString::number(archived.first()), QStringLiteral("--to"), out}).object();
        const auto rec = cat.get(archived.first());
        QVERIFY(rec);
        const QByteArray got = readFile(QDir(out).filePath(rec->filename));
        QVERIFY2(!got.isEmpty(), QJsonDocument(dl).toJson().constData());
        QCOMPARE(QString::fromLatin1(Sha256::hex(got)), rec->sha256);
        QCOMPARE(dl.value(QStringLiteral("copy")).toObject().value(QStringLiteral("storage")).toString(),
                 QStringLiteral("bucket"));

        // And from S3 to a local storage: the bucket's archival copies move to "vault" (read back and hashed).
        r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("vault"), QStringLiteral("--local"),
                 m_home + QStringLiteral("/vault")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl(pruneArgs(QStringLiteral("vault")));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(s3Objects().isEmpty());
        for (qint64 id : archived) {
            const auto rec = cat.get(id);
            QVERIFY(rec);
            QCOMPARE(rec->locations.size(), 1);
            const BackupLocation vault = rec->locations.first();
            QCOMPARE(vault.storage, QStringLiteral("vault"));
            QVERIFY2(vault.path.startsWith(m_home + QStringLiteral("/vault/")), qPrintable(vault.path));
            QCOMPARE(QString::fromLatin1(Sha256::hex(readFile(vault.path))), rec->sha256);
            QCOMPARE(readFile(vault.manifestPath), manifests.value(id));
            QCOMPARE(rec->removedCopies.size(), 2);
            QCOMPARE(rec->removedCopies.last().location.storage, QStringLiteral("bucket"));
            QVERIFY2(rec->removedCopies.last().reason.startsWith(QLatin1String("archived to vault")),
                     qPrintable(rec->removedCopies.last().reason));
        }

        // A storage's own archive storage, carried out by run-due's prune: with `storage set disk --archive-to
        // bucket`, the fifth monthly run leaves the fourth kept only by "monthly", and its disk copy moves.
        r = ctl({QStringLiteral("storage"), QStringLiteral("set"), QStringLiteral("disk"),
                 QStringLiteral("--archive-to"), QStringLiteral("bucket")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QDateTime fifth = m_lastFire.addMonths(1);
        const QJsonObject e =
            json({QStringLiteral("run-due"), QStringLiteral("--as-of"), fifth.addSecs(120).toString(Qt::ISODate)})
                .array()
                .first()
                .toObject();
        QVERIFY2(e.value(QStringLiteral("status")).toString() == QLatin1String("COMPLETED"),
                 QJsonDocument(e).toJson().constData());
        const auto fourth = cat.get(newest);
        QVERIFY(fourth);
        QCOMPARE(fourth->locations.size(), 1);
        QCOMPARE(fourth->locations.first().storage, QStringLiteral("bucket"));
        QCOMPARE(QString::fromLatin1(Sha256::hex(s3Objects().value(fourth->locations.first().path))), fourth->sha256);
        QVERIFY(!QFile::exists(before.value(newest).locations.first().path));
        const auto fifthRec = cat.get(e.value(QStringLiteral("recordId")).toInteger());
        QVERIFY(fifthRec);
        QCOMPARE(fifthRec->locations.size(), 1);
        QCOMPARE(fifthRec->locations.first().storage, QStringLiteral("disk"));
        for (qint64 id : archived)
            QCOMPARE(cat.get(id)->locations.first().storage, QStringLiteral("vault"));
    }
};

QTEST_GUILESS_MAIN(TstRetentionArchive)
#include "tst_retention_archive.moc"
