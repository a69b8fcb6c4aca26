// Issue #14: a backup lease is renewed while its operation makes progress, so a restore or verify running past the
// lease's expiry keeps it and a delete elsewhere is still refused. Real SQLite catalog; short TTLs via the
// LeaseGuard::acquire seam.
#include "catalog/LeaseGuard.h"
#include "catalog/SqlCatalog.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace lifeboat;

class TestLeaseRenewal : public QObject {
    Q_OBJECT

    static QDateTime expiresOf(Catalog &c, qint64 backupId) {
        const QList<BackupLease> leases = c.otherLeases(backupId, 0);
        return leases.size() == 1 ? leases.first().expires : QDateTime();
    }

private slots:
    void renewalMovesExpiryForward() {
        QTemporaryDir dir;
        SqlCatalog c(QStringLiteral("QSQLITE"), dir.filePath(QStringLiteral("catalog.sqlite")));
        QString err;
        QVERIFY2(c.open(&err), qPrintable(err));
        LeaseGuard reader;
        QVERIFY(!LeaseGuard::acquire(&c, 42, QStringLiteral("restore"), &reader, 2, 0));
        const QDateTime first = expiresOf(c, 42);
        QVERIFY(first.isValid());
        QThread::msleep(1200);
        reader.renewIfDue();
        const QDateTime second = expiresOf(c, 42);
        QVERIFY2(second >= first.addMSecs(1000), qPrintable(first.toString(Qt::ISODateWithMs) + QStringLiteral(" -> ") +
                                                            second.toString(Qt::ISODateWithMs)));
        // Past the first expiry the renewed lease is still live: a delete is refused.
        QThread::msleep(1200);
        QVERIFY(QDateTime::currentDateTimeUtc() > first);
        LeaseGuard deleter;
        const Error e = LeaseGuard::acquire(&c, 42, QStringLiteral("delete"), &deleter);
        QCOMPARE(e.code, ExitCode::Refused);
        QVERIFY2(e.message.contains(QStringLiteral("restore on host")), qPrintable(e.message));
    }

    // Renewal writes to the catalog at most once per interval, however often progress is reported.
    void renewalIsRateLimited() {
        QTemporaryDir dir;
        SqlCatalog c(QStringLiteral("QSQLITE"), dir.filePath(QStringLiteral("catalog.sqlite")));
        QString err;
        QVERIFY2(c.open(&err), qPrintable(err));
        LeaseGuard reader;
        QVERIFY(!LeaseGuard::acquire(&c, 7, QStringLiteral("verify"), &reader, 3600, 60));
        const QDateTime first = expiresOf(c, 7);
        QThread::msleep(50);
        reader.renewIfDue();
        QCOMPARE(expiresOf(c, 7), first);
    }

    // Without renewal, a lease past its expiry is gone (the reason renewal is needed).
    void unrenewedLeaseExpires() {
        QTemporaryDir dir;
        SqlCatalog c(QStringLiteral("QSQLITE"), dir.filePath(QStringLiteral("catalog.sqlite")));
        QString err;
        QVERIFY2(c.open(&err), qPrintable(err));
        LeaseGuard reader;
        QVERIFY(!LeaseGuard::acquire(&c, 9, QStringLiteral("restore"), &reader, 1, 3600));
        QThread::msleep(1300);
        LeaseGuard deleter;
        QVERIFY(!LeaseGuard::acquire(&c, 9, QStringLiteral("delete"), &deleter));
    }
};

QTEST_GUILESS_MAIN(TestLeaseRenewal)
#include "tst_lease_renewal.moc"
