// Which x-amz-storage-class an upload is sent with (S3Config::storageClassFor, used by every PutObject and
// CreateMultipartUpload): a storage's class applies to backup artifacts; manifests stay in the bucket's default; WAL
// (segments, history files, partials under prefix/wal/, as S3WalStorage writes them) takes the class only when
// recovery can read it without a restore request.
#include "storage/S3Config.h"
#include "wal/WalName.h"

#include <QTest>

using namespace lifeboat;

class TstS3StorageClass : public QObject {
    Q_OBJECT

private slots:
    void classPerKey_data() {
        QTest::addColumn<QString>("storageClass");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("relative");
        QTest::addColumn<QString>("expected");
        const QString seg =
            WalName::profileDir(QStringLiteral("shop")) + QStringLiteral("00000001/000000010000000000000003.zst");
        const QString partial = WalName::profileDir(QStringLiteral("shop")) +
                                QStringLiteral("00000001/000000010000000000000004.partial.zst");
        const QString history = WalName::profileDir(QStringLiteral("shop")) + QStringLiteral("00000002.history.zst");
        const QString artifact = QStringLiteral("manual/2026-12-01/shop.dump.zst");
        for (const QString &prefix : {QString(), QStringLiteral("team/db")}) {
            const QString p = prefix.isEmpty() ? QStringLiteral("no prefix") : prefix;
            for (const QString &cls : {QStringLiteral("GLACIER"), QStringLiteral("DEEP_ARCHIVE")}) {
                QTest::addRow("%s %s artifact", qPrintable(p), qPrintable(cls)) << cls << prefix << artifact << cls;
                QTest::addRow("%s %s manifest", qPrintable(p), qPrintable(cls))
                    << cls << prefix << artifact + QStringLiteral(".manifest.json") << QString();
                QTest::addRow("%s %s segment", qPrintable(p), qPrintable(cls)) << cls << prefix << seg << QString();
                QTest::addRow("%s %s partial", qPrintable(p), qPrintable(cls)) << cls << prefix << partial << QString();
                QTest::addRow("%s %s history", qPrintable(p), qPrintable(cls)) << cls << prefix << history << QString();
            }
            for (const QString &cls : {QStringLiteral("STANDARD_IA"), QStringLiteral("ONEZONE_IA"),
                                       QStringLiteral("INTELLIGENT_TIERING"), QStringLiteral("GLACIER_IR")}) {
                QTest::addRow("%s %s segment", qPrintable(p), qPrintable(cls)) << cls << prefix << seg << cls;
                QTest::addRow("%s %s artifact", qPrintable(p), qPrintable(cls)) << cls << prefix << artifact << cls;
            }
            // A backup whose own path merely contains "wal/" is no WAL.
            QTest::addRow("%s GLACIER artifact named wal", qPrintable(p))
                << QStringLiteral("GLACIER") << prefix << QStringLiteral("manual/wal/x.dump")
                << QStringLiteral("GLACIER");
        }
    }
    void classPerKey() {
        QFETCH(QString, storageClass);
        QFETCH(QString, prefix);
        QFETCH(QString, relative);
        QFETCH(QString, expected);
        S3Config c;
        c.prefix = prefix;
        c.storageClass = storageClass;
        QCOMPARE(c.storageClassFor(c.keyFor(relative)), expected);
    }
};

QTEST_GUILESS_MAIN(TstS3StorageClass)
#include "tst_s3storageclass.moc"
