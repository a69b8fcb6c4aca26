#include "catalog/SqlCatalog.h"
#include "pipeline/MemorySink.h"
#include "pitr/BaseBackupJob.h"
#include "pitr/BaseBackupTarTap.h"
#include "pitr/RecoverPlan.h"
#include "pitr/ReplicationAccess.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

namespace {
constexpr qint64 kSeg = 16 * 1024 * 1024;

QByteArray tarMember(const QByteArray &name, const QByteArray &content) {
    QByteArray h(512, '\0');
    h.replace(0, name.size(), name);
    h.replace(100, 7, "0000600");
    const QByteArray size = QByteArray::number(content.size(), 8).rightJustified(11, '0');
    h.replace(124, 11, size);
    h[156] = '0';
    h.replace(257, 6, QByteArray("ustar\0", 6));
    QByteArray out = h + content;
    out.append(QByteArray((512 - content.size() % 512) % 512, '\0'));
    return out;
}

BaseBackupEntry base(qint64 id, const QString &stopLsn, const QDateTime &stop, int timeline = 1) {
    BaseBackupEntry b;
    b.record.id = id;
    b.record.filename = QStringLiteral("p_base_%1.tar.zst").arg(id);
    b.info.backupId = id;
    b.info.timeline = timeline;
    const qint64 stopPos = BaseBackupInfo::parseLsn(stopLsn);
    b.info.startLsn = BaseBackupInfo::formatLsn(stopPos - 0x100);
    b.info.startWalFile = RecoverPlan::segmentName(timeline, quint64(stopPos - 0x100) / kSeg, kSeg);
    b.info.stopLsn = stopLsn;
    b.info.stopTime = stop;
    b.info.pgMajor = 15;
    return b;
}

WalFileRecord seg(quint64 number, const QDateTime &stored, const QString &kind = QStringLiteral("segment")) {
    WalFileRecord w;
    w.profile = QStringLiteral("p");
    w.timeline = 1;
    w.name = RecoverPlan::segmentName(1, number, kSeg);
    w.kind = kind;
    w.storage = QStringLiteral("disk");
    w.stored = stored;
    return w;
}
} // namespace

class TstPitrUnits : public QObject {
    Q_OBJECT

    QDateTime t0 = QDateTime(QDate(2026, 12, 6), QTime(10, 0), QTimeZone::utc());

private slots:
    void lsnRoundTrips() {
        QCOMPARE(BaseBackupInfo::parseLsn(QStringLiteral("0/2000028")), qint64(0x2000028));
        QCOMPARE(BaseBackupInfo::parseLsn(QStringLiteral("1A/FF")), (qint64(0x1A) << 32) | 0xFF);
        QCOMPARE(BaseBackupInfo::formatLsn((qint64(0x1A) << 32) | 0xFF), QStringLiteral("1A/FF"));
        QCOMPARE(BaseBackupInfo::parseLsn(QStringLiteral("nope")), qint64(-1));
        QCOMPARE(BaseBackupInfo::parseLsn(QStringLiteral("0/")), qint64(-1));
        QCOMPARE(RecoverPlan::inferSegmentSize(QStringLiteral("0/4000028"), QStringLiteral("000000010000000000000004")),
                 kSeg);
        QCOMPARE(RecoverPlan::inferSegmentSize(QStringLiteral("0/4000028"), QStringLiteral("000000010000000000000001")),
                 qint64(64) << 20);
    }

    void tapCapturesLabelAndManifest() {
        const QByteArray label = "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n"
                                 "CHECKPOINT LOCATION: 0/2000060\nSTART TIME: 2026-12-06 06:43:04 UTC\n"
                                 "START TIMELINE: 1\n";
        const QByteArray manifest = "{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n\"Files\": [],\n\"WAL-Ranges\": [\n"
                                    "{ \"Timeline\": 1, \"Start-LSN\": \"0/2000028\", \"End-LSN\": \"0/2000100\" }\n]}";
        const QByteArray stream = tarMember("backup_label", label) + tarMember("base/1/1259", QByteArray(9000, 'x')) +
                                  tarMember("backup_manifest", manifest) + QByteArray(1024, '\0');
        MemorySink sink;
        BaseBackupTarTap tap(&sink);
        // Fed in odd chunk sizes, so headers and contents straddle writes.
        for (qsizetype i = 0; i < stream.size(); i += 333)
            QVERIFY(tap.write(QByteArrayView(stream).sliced(i, qMin<qsizetype>(333, stream.size() - i))));
        QVERIFY2(tap.complete(), qPrintable(tap.error().message));
        QCOMPARE(sink.data(), stream);
        QCOMPARE(tap.backupLabel(), label);
        QCOMPARE(tap.backupManifest(), manifest);
        QString why;
        const BaseBackupInfo info = BaseBackupJob::describe(tap.backupLabel(), tap.backupManifest(), &why);
        QVERIFY2(info.isValid(), qPrintable(why));
        QCOMPARE(info.startLsn, QStringLiteral("0/2000028"));
        QCOMPARE(info.stopLsn, QStringLiteral("0/2000100"));
        QCOMPARE(info.timeline, 1);
        QCOMPARE(info.startWalFile, QStringLiteral("000000010000000000000002"));
        QCOMPARE(info.startTime, QDateTime(QDate(2026, 12, 6), QTime(6, 43, 4), QTimeZone::utc()));
    }

    void tapRefusesAStreamWithoutManifestOrEnd() {
        MemorySink sink;
        BaseBackupTarTap tap(&sink);
        QVERIFY(tap.write(tarMember("backup_label", "x") + QByteArray(1024, '\0')));
        QVERIFY(!tap.complete());
        QVERIFY(tap.error().message.contains(QLatin1String("backup_manifest")));
        MemorySink sink2;
        BaseBackupTarTap cut(&sink2);
        QVERIFY(cut.write(tarMember("backup_label", "x").left(700)));
        QVERIFY(!cut.complete());
        QVERIFY(cut.error().message.contains(QLatin1String("ended early")));
    }

    void replicationHintsNameTheFix() {
        QCOMPARE(ReplicationAccess::replicationHint(
                     QStringLiteral("FATAL:  no pg_hba.conf entry for replication connection from host \"10.0.0.7\", "
                                    "user \"bk\", no encryption"),
                     QStringLiteral("bk"))
                     .section(QLatin1Char('\n'), 1, 1)
                     .trimmed(),
                 QStringLiteral("host replication bk 10.0.0.7/32 scram-sha-256"));
        QVERIFY(
            ReplicationAccess::replicationHint(QStringLiteral("FATAL:  must be superuser or replication role to start "
                                                              "walsender"),
                                               QStringLiteral("bk"))
                .contains(QLatin1String("ALTER ROLE \"bk\" WITH REPLICATION;")));
        QVERIFY(ReplicationAccess::replicationHint(QStringLiteral("something else"), QStringLiteral("bk")).isEmpty());
        QCOMPARE(ReplicationAccess::hbaLine(QStringLiteral("bk"), QStringLiteral("fd00::7")),
                 QStringLiteral("host replication bk fd00::7/128 scram-sha-256"));
        QCOMPARE(ReplicationAccess::hbaLine(QStringLiteral("bk"), QString()),
                 QStringLiteral("local replication bk scram-sha-256"));
    }

    void planPicksTheNewestBaseBackupBeforeTheTarget() {
        const QList<BaseBackupEntry> bases{base(1, QStringLiteral("0/3000100"), t0),
                                           base(2, QStringLiteral("0/6000100"), t0.addSecs(3600))};
        QList<WalFileRecord> wal;
        for (quint64 n = 3; n <= 9; ++n)
            wal << seg(n, t0.addSecs(qint64(n) * 600));
        QString why;
        // Between the two backups: the first, with the segments up to the one stored after the target.
        RecoverPlan p = RecoverPlan::make(
            bases, wal, RecoverTarget::parse(RecoverTarget::Kind::Time, t0.addSecs(2500).toString(Qt::ISODate), &why));
        QVERIFY2(!p.refusal, qPrintable(p.refusal.message));
        QCOMPARE(p.base.record.id, qint64(1));
        QCOMPARE(p.segments, (QStringList{RecoverPlan::segmentName(1, 4, kSeg), RecoverPlan::segmentName(1, 5, kSeg)}));
        // Latest: the newest backup and every segment after it.
        p = RecoverPlan::make(bases, wal, RecoverTarget::parse(RecoverTarget::Kind::Latest, {}, &why));
        QVERIFY(!p.refusal);
        QCOMPARE(p.base.record.id, qint64(2));
        QCOMPARE(p.segments.size(), 3);
        QCOMPARE(p.lastSegment, RecoverPlan::segmentName(1, 9, kSeg));
        QCOMPARE(p.windowStart, t0);
        QCOMPARE(p.windowEnd, t0.addSecs(9 * 600));
    }

    // Review of issue 17: a restore_command that said "not archived" for a planned file made the server promote
    // early, and recover reported success. The replay end must reach the last archived segment and the partial.
    void replayShortOfThePlanIsNamed() {
        const QList<BaseBackupEntry> bases{base(1, QStringLiteral("0/3000100"), t0)};
        QList<WalFileRecord> wal;
        for (quint64 n = 3; n <= 6; ++n)
            wal << seg(n, t0.addSecs(qint64(n) * 60));
        QString why;
        RecoverPlan p = RecoverPlan::make(bases, wal, RecoverTarget::parse(RecoverTarget::Kind::Latest, {}, &why));
        QVERIFY(!p.refusal);
        QCOMPARE(p.lastSegment, RecoverPlan::segmentName(1, 6, kSeg));
        const QString s5 = RecoverPlan::segmentName(1, 5, kSeg);
        const QString s6 = RecoverPlan::segmentName(1, 6, kSeg);
        // Replay stopped in segment 5 (6 was never delivered): named.
        QString shortfall = p.replayShortfall(QStringLiteral("0/5FFFF28"), {s5});
        QVERIFY2(shortfall.contains(s6) && shortfall.contains(QLatin1String("0/5FFFF28")), qPrintable(shortfall));
        QVERIFY(!p.replayShortfall({}, {}).isEmpty());
        // Into segment 6 (its last record starts inside it), or 6 restored: complete.
        QCOMPARE(p.replayShortfall(QStringLiteral("0/6000028"), {}), QString());
        QCOMPARE(p.replayShortfall(QStringLiteral("0/5FFFF28"), {s5, s6}), QString());
        // With a partial after the archive, replay must reach it as well.
        wal << seg(7, t0.addSecs(480), QStringLiteral("partial"));
        p = RecoverPlan::make(bases, wal, RecoverTarget::parse(RecoverTarget::Kind::Latest, {}, &why));
        QVERIFY(!p.refusal);
        const QString s7 = RecoverPlan::segmentName(1, 7, kSeg);
        QCOMPARE(p.partial, s7);
        shortfall = p.replayShortfall(QStringLiteral("0/6FFFF28"), {s6});
        QVERIFY2(shortfall.contains(s7) && shortfall.contains(QLatin1String("partial")), qPrintable(shortfall));
        QCOMPARE(p.replayShortfall(QStringLiteral("0/7000800"), {s6, s7}), QString());
    }

    void planRefusesOutsideTheWindowAndBehindAGap() {
        const QList<BaseBackupEntry> bases{base(1, QStringLiteral("0/3000100"), t0)};
        QList<WalFileRecord> wal{seg(4, t0.addSecs(60)), seg(5, t0.addSecs(120)), seg(7, t0.addSecs(240))};
        QString why;
        RecoverPlan p = RecoverPlan::make(
            bases, wal, RecoverTarget::parse(RecoverTarget::Kind::Time, t0.addSecs(-60).toString(Qt::ISODate), &why));
        QCOMPARE(p.refusal.code, ExitCode::Refused);
        QVERIFY2(p.refusal.message.contains(QLatin1String("recoverable window: 2026-12-06T10:00:00Z")),
                 qPrintable(p.refusal.message));
        // Behind the hole at segment 6.
        p = RecoverPlan::make(
            bases, wal, RecoverTarget::parse(RecoverTarget::Kind::Time, t0.addSecs(200).toString(Qt::ISODate), &why));
        QCOMPARE(p.refusal.code, ExitCode::Refused);
        QVERIFY2(p.refusal.message.contains(RecoverPlan::segmentName(1, 6, kSeg)), qPrintable(p.refusal.message));
        p = RecoverPlan::make(bases, wal, RecoverTarget::parse(RecoverTarget::Kind::Latest, {}, &why));
        QCOMPARE(p.refusal.code, ExitCode::Refused);
        QVERIFY(p.refusal.message.contains(RecoverPlan::segmentName(1, 6, kSeg)));
        // Before the hole is fine.
        p = RecoverPlan::make(
            bases, wal, RecoverTarget::parse(RecoverTarget::Kind::Time, t0.addSecs(90).toString(Qt::ISODate), &why));
        QVERIFY2(!p.refusal, qPrintable(p.refusal.message));
        // After the end of the archive.
        p = RecoverPlan::make(
            bases, {seg(4, t0.addSecs(60))},
            RecoverTarget::parse(RecoverTarget::Kind::Time, t0.addSecs(600).toString(Qt::ISODate), &why));
        QCOMPARE(p.refusal.code, ExitCode::Refused);
        QVERIFY(p.refusal.message.contains(QLatin1String("after the newest archived WAL")));
        // A partial upload extends the window.
        p = RecoverPlan::make(
            bases, {seg(4, t0.addSecs(60)), seg(5, t0.addSecs(700), QStringLiteral("partial"))},
            RecoverTarget::parse(RecoverTarget::Kind::Time, t0.addSecs(600).toString(Qt::ISODate), &why));
        QVERIFY2(!p.refusal, qPrintable(p.refusal.message));
        QCOMPARE(p.partial, RecoverPlan::segmentName(1, 5, kSeg));
        // No base backup at all.
        p = RecoverPlan::make({}, wal, RecoverTarget::parse(RecoverTarget::Kind::Latest, {}, &why));
        QVERIFY(p.refusal.message.contains(QLatin1String("basebackup")));
    }

    void targetsBecomeSettings() {
        QString why;
        QCOMPARE(RecoverTarget::parse(RecoverTarget::Kind::Time, QStringLiteral("2026-12-06T10:15:00.250Z"), &why)
                     .settings(),
                 QStringList{QStringLiteral("recovery_target_time = '2026-12-06 10:15:00.250+00'")});
        QCOMPARE(RecoverTarget::parse(RecoverTarget::Kind::Lsn, QStringLiteral("0/3000060"), &why).settings(),
                 QStringList{QStringLiteral("recovery_target_lsn = '0/3000060'")});
        QVERIFY(RecoverTarget::parse(RecoverTarget::Kind::Latest, {}, &why).settings().isEmpty());
        RecoverTarget::parse(RecoverTarget::Kind::Name, QStringLiteral("a'b"), &why);
        QVERIFY(!why.isEmpty());
        why.clear();
        RecoverTarget::parse(RecoverTarget::Kind::Time, QStringLiteral("yesterday"), &why);
        QVERIFY(!why.isEmpty());
    }

    void catalogKeepsTheRange() {
        QTemporaryDir dir;
        auto cat = SqlCatalog::sqlite(dir.filePath(QStringLiteral("c.sqlite")));
        QString err;
        QVERIFY2(cat->open(&err), qPrintable(err));
        BackupRecord r;
        r.profile = QStringLiteral("p");
        r.database = QStringLiteral("(cluster)");
        r.kind = QStringLiteral("base");
        r.filename = QStringLiteral("p_base.tar.zst");
        r.started = t0;
        QVERIFY(cat->insert(r, &err));
        BaseBackupEntry b = base(r.id, QStringLiteral("0/3000100"), t0);
        b.info.systemIdentifier = QStringLiteral("7716077883499906189");
        QVERIFY2(cat->saveBaseBackup(b.info, &err), qPrintable(err));
        const auto back = cat->baseBackup(r.id);
        QVERIFY(back);
        QCOMPARE(back->stopLsn, b.info.stopLsn);
        QCOMPARE(back->startLsn, b.info.startLsn);
        QCOMPARE(back->startWalFile, b.info.startWalFile);
        QCOMPARE(back->stopTime, t0);
        QCOMPARE(back->systemIdentifier, b.info.systemIdentifier);
        QCOMPARE(back->pgMajor, 15);
        QVERIFY(!cat->baseBackup(r.id + 1));
    }
};

QTEST_GUILESS_MAIN(TstPitrUnits)
#include "tst_pitr_units.moc"
