// What retention's archive move (issue 15, `--archive-to`) must never do, on real local storages and a real SQLite
// catalog (no mock): lose the last copy of a kept backup when the archive storage's own rules drop its copy; remove
// the originals on the catalog's word that an archive copy exists; write a stale record over a finished move; let an
// archive storage overlap the storage it archives; stay blocked by the leftover of a move that stopped before its
// catalog update; or leave anything behind when the original's bytes are corrupt or the manifest cannot be written.
#include "catalog/Manifest.h"
#include "catalog/SqlCatalog.h"
#include "core/ArtifactName.h"
#include "jobs/ArchiveMover.h"
#include "jobs/BackupDeleter.h"
#include "jobs/RetentionPruner.h"
#include "pipeline/Sha256.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TstRetentionArchiveSafety : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<SqlCatalog> m_cat;
    QList<StorageConfig> m_storages;
    int m_seq = 0;

    StorageConfig &local(const QString &name) {
        for (StorageConfig &s : m_storages)
            if (s.name == name)
                return s;
        StorageConfig s;
        s.name = name;
        s.kind = QStringLiteral("local");
        s.localDir = m_tmp.filePath(name);
        QDir().mkpath(s.localDir);
        m_storages << s;
        return m_storages.last();
    }
    static bool writeFile(const QString &path, const QByteArray &bytes) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
    }
    static QByteArray readFile(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // Where LocalStore puts the record's artifact on `storage`.
    QString placeOn(const QString &storage, const BackupRecord &r) {
        return QDir(local(storage).localDir)
            .filePath(
                ArtifactName::s3Key(QString(), r.type.section(QLatin1Char(','), 0, 0), r.started.toUTC(), r.filename));
    }
    // A completed monthly backup with a real artifact and manifest on each of `storages`.
    BackupRecord make(const QStringList &storages, const QDateTime &started) {
        BackupRecord r;
        r.profile = QStringLiteral("shop");
        r.database = QStringLiteral("shop");
        r.type = QStringLiteral("DAILY,MONTHLY");
        r.status = BackupRecord::statusCompleted();
        r.started = started;
        r.finished = started.addSecs(60);
        r.scheduledFor = started;
        r.filename = QStringLiteral("shop-%1.dump").arg(++m_seq);
        const QByteArray bytes = QByteArray("artifact ") + r.filename.toUtf8() + QByteArray(4096, 'x');
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
        for (const QString &s : storages) {
            const QString path = placeOn(s, r);
            writeFile(path, bytes);
            writeFile(path + QStringLiteral(".manifest.json"), m.toJson());
            r.locations << BackupLocation{s, QStringLiteral("local"), path, path + QStringLiteral(".manifest.json")};
        }
        QString err;
        if (!m_cat->insert(r, &err))
            qFatal("insert: %s", qPrintable(err));
        return r;
    }
    BackupRecord fresh(qint64 id) { return *m_cat->get(id); }
    static QStringList storagesOf(const BackupRecord &r) {
        QStringList out;
        for (const BackupLocation &l : r.locations)
            out << l.storage;
        return out;
    }
    // Files under a storage's directory (partials included).
    QStringList filesIn(const QString &storage) {
        QStringList out;
        QDirIterator it(local(storage).localDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            out << it.next();
        return out;
    }
    BackupDeleter deleter() { return BackupDeleter(m_storages, {}); }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_cat = std::make_unique<SqlCatalog>(QStringLiteral("QSQLITE"), m_tmp.filePath(QStringLiteral("c.sqlite")));
        QString err;
        QVERIFY2(m_cat->open(&err), qPrintable(err));
    }

    // Finding 1: the record has copies on disk and vault; vault is the archive storage and its own rules drop this
    // copy. Planned and carried out, the backup must keep a copy (before: the move found vault's copy, removed disk,
    // then the drop removed vault).
    void archiveStorageDroppingItsCopyKeepsTheBackup() {
        local(QStringLiteral("disk"));
        StorageConfig &vault = local(QStringLiteral("vault"));
        vault.keepLast = 1; // vault's own rules: only its newest copy
        const QDateTime now(QDate(2026, 4, 10), QTime(12, 0), QTimeZone::utc());
        QList<BackupRecord> recs;
        for (int m : {1, 2, 3})
            recs << make({QStringLiteral("disk"), QStringLiteral("vault")},
                         QDateTime(QDate(2026, m, 1), QTime(3, 0), QTimeZone::utc()));
        RetentionPolicy p{0, 0, 12};
        p.archiveTo = QStringLiteral("vault");
        QList<RetentionPruner::Entry> plan = RetentionPruner::planRecords(recs, p, now, m_storages);
        BackupDeleter del = deleter();
        for (RetentionPruner::Entry &e : plan) {
            for (const RetentionPruner::CopyDecision &c : e.copies)
                if (!c.moveTo.isEmpty()) {
                    const auto target =
                        std::find_if(e.copies.cbegin(), e.copies.cend(),
                                     [&](const RetentionPruner::CopyDecision &d) { return d.storage == c.moveTo; });
                    QVERIFY2(target == e.copies.cend() || target->keep,
                             qPrintable(QStringLiteral("#%1: %2 moves to %3, whose copy is dropped")
                                            .arg(e.record.id)
                                            .arg(c.storage, c.moveTo)));
                }
            if (e.touched())
                RetentionPruner::executeEntry(*m_cat, e, del);
        }
        for (const BackupRecord &r : recs) {
            const BackupRecord now = fresh(r.id);
            QCOMPARE(now.status, BackupRecord::statusCompleted());
            QVERIFY2(!now.locations.isEmpty(), qPrintable(QStringLiteral("#%1 lost every copy").arg(r.id)));
            for (const BackupLocation &l : now.locations)
                QCOMPARE(QString::fromLatin1(Sha256::hex(readFile(l.path))), r.sha256);
        }
        vault.keepLast = -1;
    }

    // Finding 1, the last lines of defence: a plan that says so anyway (a copy moving to vault, vault's copy dropped)
    // never drops the copy the move just made; and removing the last copy that is still there (the other one's file
    // is gone) is refused and reported.
    void neverRemovesTheLastCopyOfAKeptBackup() {
        BackupRecord r = make({QStringLiteral("disk"), QStringLiteral("vault")},
                              QDateTime(QDate(2026, 1, 2), QTime(3, 0), QTimeZone::utc()));
        const QString vaultPath = r.locations.last().path;
        RetentionPruner::Entry e;
        e.record = r;
        e.decision.action = RetentionDecision::Action::Keep;
        e.copies << RetentionPruner::CopyDecision{QStringLiteral("disk"), true, false, {}, {}, QStringLiteral("vault")};
        e.copies << RetentionPruner::CopyDecision{QStringLiteral("vault"), false, true, {}, {}, {}};
        BackupDeleter del = deleter();
        RetentionPruner::executeEntry(*m_cat, e, del);
        QCOMPARE(storagesOf(fresh(r.id)), QStringList{QStringLiteral("vault")});
        QCOMPARE(QString::fromLatin1(Sha256::hex(readFile(vaultPath))), r.sha256);

        BackupRecord r2 = make({QStringLiteral("disk"), QStringLiteral("vault")},
                               QDateTime(QDate(2026, 1, 2), QTime(4, 0), QTimeZone::utc()));
        QVERIFY(QFile::remove(r2.locations.first().path));
        const BackupDeleter::Outcome o =
            del.removeStorageCopies(*m_cat, r2, {QStringLiteral("vault")}, QStringLiteral("test"));
        QCOMPARE(o.error.code, ExitCode::Refused);
        QVERIFY2(o.error.message.contains(QLatin1String("last one left")), qPrintable(o.error.message));
        QCOMPARE(storagesOf(fresh(r2.id)), (QStringList{QStringLiteral("disk"), QStringLiteral("vault")}));
        QCOMPARE(QString::fromLatin1(Sha256::hex(readFile(r2.locations.last().path))), r2.sha256);
    }

    // Finding 2: the catalog lists a copy on the archive storage, but its bytes are not the backup's: the originals
    // stay, the move fails.
    void listedArchiveCopyIsCheckedBeforeOriginalsGo() {
        BackupRecord r = make({QStringLiteral("disk"), QStringLiteral("vault")},
                              QDateTime(QDate(2026, 1, 3), QTime(3, 0), QTimeZone::utc()));
        const QString diskPath = r.locations.first().path;
        QVERIFY(writeFile(r.locations.last().path, QByteArray("not the backup")));
        ArchiveMover mover(m_storages, {});
        ArchiveMover::Outcome o = mover.move(*m_cat, r, {QStringLiteral("disk")}, QStringLiteral("vault"));
        QVERIFY(o.error);
        QVERIFY2(o.error.message.contains(QLatin1String("cannot be confirmed")), qPrintable(o.error.message));
        QCOMPARE(QString::fromLatin1(Sha256::hex(readFile(diskPath))), r.sha256);
        QCOMPARE(storagesOf(fresh(r.id)), (QStringList{QStringLiteral("disk"), QStringLiteral("vault")}));
        // Gone altogether: the same.
        QVERIFY(QFile::remove(r.locations.last().path));
        o = mover.move(*m_cat, r, {QStringLiteral("disk")}, QStringLiteral("vault"));
        QVERIFY(o.error);
        QVERIFY(QFile::exists(diskPath));
        QCOMPARE(storagesOf(fresh(r.id)), (QStringList{QStringLiteral("disk"), QStringLiteral("vault")}));
    }

    // Finding 3: a prune planned on the record as it was (copies on disk and spare) removes spare's copy after
    // another prune moved disk's copy to vault: the move stays recorded (before: the stale record was written back,
    // naming the removed disk copy and forgetting vault's).
    void stalePlanDoesNotUndoAMove() {
        local(QStringLiteral("spare"));
        const BackupRecord planned = make({QStringLiteral("disk"), QStringLiteral("spare")},
                                          QDateTime(QDate(2026, 1, 4), QTime(3, 0), QTimeZone::utc()));
        BackupRecord other = planned;
        ArchiveMover mover(m_storages, {});
        QVERIFY(!mover.move(*m_cat, other, {QStringLiteral("disk")}, QStringLiteral("vault")).error);
        BackupRecord stale = planned;
        BackupDeleter del = deleter();
        const BackupDeleter::Outcome o =
            del.removeStorageCopies(*m_cat, stale, {QStringLiteral("spare")}, QStringLiteral("test"));
        QVERIFY2(!o.error, qPrintable(o.error.message));
        const BackupRecord now = fresh(planned.id);
        QCOMPARE(storagesOf(now), QStringList{QStringLiteral("vault")});
        QCOMPARE(now.removedCopies.size(), 2);

        // The same for an expiry planned before the move: the record goes with the copy it has now.
        const BackupRecord planned2 =
            make({QStringLiteral("disk")}, QDateTime(QDate(2026, 1, 5), QTime(3, 0), QTimeZone::utc()));
        BackupRecord other2 = planned2;
        QVERIFY(!mover.move(*m_cat, other2, {QStringLiteral("disk")}, QStringLiteral("vault")).error);
        const QString vaultPath = fresh(planned2.id).locations.first().path;
        QVERIFY(QFile::exists(vaultPath));
        RetentionPruner::Entry e;
        e.record = planned2; // stale: still on disk
        e.decision.action = RetentionDecision::Action::Expire;
        QVERIFY(RetentionPruner::executeEntry(*m_cat, e, del));
        const BackupRecord gone = fresh(planned2.id);
        QCOMPARE(gone.status, BackupRecord::statusDeleted());
        QVERIFY2(!QFile::exists(vaultPath), "the moved copy of an expired backup was left behind");
    }

    // Finding 4: an archive storage overlapping the storage it archives is refused, and nothing is touched.
    void overlappingArchiveStorageIsRefused() {
        StorageConfig same = local(QStringLiteral("disk"));
        same.name = QStringLiteral("disk-again");
        same.localDir += QStringLiteral("/"); // the same directory, spelt differently
        StorageConfig nested = local(QStringLiteral("disk"));
        nested.name = QStringLiteral("disk-inner");
        nested.localDir += QStringLiteral("/inner");
        QVERIFY(!ArchiveMover::overlap(same, local(QStringLiteral("disk"))).isEmpty());
        QVERIFY(!ArchiveMover::overlap(nested, local(QStringLiteral("disk"))).isEmpty());
        QVERIFY(!ArchiveMover::overlap(local(QStringLiteral("disk")), nested).isEmpty());
        QVERIFY(ArchiveMover::overlap(local(QStringLiteral("vault")), local(QStringLiteral("disk"))).isEmpty());
        StorageConfig a, b;
        a.name = QStringLiteral("a");
        b.name = QStringLiteral("b");
        a.kind = b.kind = QStringLiteral("s3");
        a.endpoint = QStringLiteral("http://127.0.0.1:9000");
        b.endpoint = QStringLiteral("http://127.0.0.1:9000/");
        a.bucket = b.bucket = QStringLiteral("bk");
        a.prefix = QStringLiteral("team");
        b.prefix = QStringLiteral("team/cold");
        QVERIFY(!ArchiveMover::overlap(b, a).isEmpty());
        b.prefix = QStringLiteral("/team/");
        QVERIFY(!ArchiveMover::overlap(b, a).isEmpty());
        b.prefix = QStringLiteral("teamcold");
        QVERIFY(ArchiveMover::overlap(b, a).isEmpty());
        b.prefix = a.prefix;
        b.bucket = QStringLiteral("other");
        QVERIFY(ArchiveMover::overlap(b, a).isEmpty());

        BackupRecord r = make({QStringLiteral("disk")}, QDateTime(QDate(2026, 1, 6), QTime(3, 0), QTimeZone::utc()));
        QList<StorageConfig> withSame = m_storages;
        withSame << same << nested;
        for (const QString &target : {same.name, nested.name}) {
            ArchiveMover mover(withSame, {});
            const ArchiveMover::Outcome o = mover.move(*m_cat, r, {QStringLiteral("disk")}, target);
            QVERIFY(o.error);
            QVERIFY2(o.error.message.contains(QLatin1String("overlaps")), qPrintable(o.error.message));
            QCOMPARE(storagesOf(fresh(r.id)), QStringList{QStringLiteral("disk")});
            QCOMPARE(QString::fromLatin1(Sha256::hex(readFile(r.locations.first().path))), r.sha256);
        }
    }

    // Finding 5: a move that stopped after its copy and manifest were written, before the catalog update, left them
    // on the archive storage; the next move adopts them when they hold the backup (before: refused for good, since
    // writes never replace a file), and refuses clearly when they do not.
    void leftoverOfAnInterruptedMoveIsAdopted() {
        BackupRecord r = make({QStringLiteral("disk")}, QDateTime(QDate(2026, 1, 7), QTime(3, 0), QTimeZone::utc()));
        const QString diskPath = r.locations.first().path;
        const QString dest = placeOn(QStringLiteral("vault"), r);
        QVERIFY(writeFile(dest, readFile(diskPath)));
        QVERIFY(
            writeFile(dest + QStringLiteral(".manifest.json"), readFile(diskPath + QStringLiteral(".manifest.json"))));
        ArchiveMover mover(m_storages, {});
        const ArchiveMover::Outcome o = mover.move(*m_cat, r, {QStringLiteral("disk")}, QStringLiteral("vault"));
        QVERIFY2(!o.error, qPrintable(o.error.message));
        const BackupRecord now = fresh(r.id);
        QCOMPARE(storagesOf(now), QStringList{QStringLiteral("vault")});
        QCOMPARE(now.locations.first().path, dest);
        QVERIFY(!QFile::exists(diskPath));

        // A leftover that is not this backup: refused with the path to clear, the original stays.
        BackupRecord r2 = make({QStringLiteral("disk")}, QDateTime(QDate(2026, 1, 8), QTime(3, 0), QTimeZone::utc()));
        const QString dest2 = placeOn(QStringLiteral("vault"), r2);
        QVERIFY(writeFile(dest2, QByteArray("something else")));
        const ArchiveMover::Outcome o2 = mover.move(*m_cat, r2, {QStringLiteral("disk")}, QStringLiteral("vault"));
        QVERIFY(o2.error);
        QVERIFY2(o2.error.message.contains(dest2) && o2.error.message.contains(QLatin1String("remove or rename")),
                 qPrintable(o2.error.message));
        QCOMPARE(storagesOf(fresh(r2.id)), QStringList{QStringLiteral("disk")});
        QVERIFY(QFile::exists(r2.locations.first().path));
        QCOMPARE(readFile(dest2), QByteArray("something else"));
    }

    // Finding 6: the original's stored bytes no longer match the record: nothing moves, the original stays as it is,
    // nothing is left on the archive storage.
    void corruptedOriginalMovesNothing() {
        BackupRecord r = make({QStringLiteral("disk")}, QDateTime(QDate(2026, 1, 9), QTime(3, 0), QTimeZone::utc()));
        const QString diskPath = r.locations.first().path;
        QByteArray bytes = readFile(diskPath);
        bytes[100] = 'y';
        QVERIFY(writeFile(diskPath, bytes));
        const QStringList before = filesIn(QStringLiteral("vault"));
        ArchiveMover mover(m_storages, {});
        const ArchiveMover::Outcome o = mover.move(*m_cat, r, {QStringLiteral("disk")}, QStringLiteral("vault"));
        QVERIFY(o.error);
        QVERIFY2(o.error.message.contains(QLatin1String("the catalog says")), qPrintable(o.error.message));
        QCOMPARE(readFile(diskPath), bytes);
        QCOMPARE(storagesOf(fresh(r.id)), QStringList{QStringLiteral("disk")});
        QCOMPARE(filesIn(QStringLiteral("vault")), before);
    }

    // Finding 6: the manifest cannot be written on the archive storage (its name is taken by a directory): nothing
    // moves, the copy written is discarded.
    void manifestWriteFailureMovesNothing() {
        BackupRecord r = make({QStringLiteral("disk")}, QDateTime(QDate(2026, 1, 10), QTime(3, 0), QTimeZone::utc()));
        const QString dest = placeOn(QStringLiteral("vault"), r);
        QVERIFY(QDir().mkpath(dest + QStringLiteral(".manifest.json")));
        const QStringList before = filesIn(QStringLiteral("vault"));
        ArchiveMover mover(m_storages, {});
        const ArchiveMover::Outcome o = mover.move(*m_cat, r, {QStringLiteral("disk")}, QStringLiteral("vault"));
        QVERIFY(o.error);
        QVERIFY(!o.copied);
        QCOMPARE(storagesOf(fresh(r.id)), QStringList{QStringLiteral("disk")});
        QCOMPARE(QString::fromLatin1(Sha256::hex(readFile(r.locations.first().path))), r.sha256);
        QVERIFY(!QFile::exists(dest));
        QCOMPARE(filesIn(QStringLiteral("vault")), before);
    }
};

QTEST_GUILESS_MAIN(TstRetentionArchiveSafety)
#include "tst_retention_archive_safety.moc"
