// Durability (issue 13): the directory fsync after a rename and after creating a directory is checked, and its
// failure is an error that leaves nothing under a final name. A failing fsync of a directory is caused for real by
// a directory that can be written and searched but not opened (mode 0300): rename and mkdir work in it, opening it
// for the fsync does not. As root the test drops CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH from this thread's effective
// set for the duration, so the mode applies. (A failing fsync(2) itself, e.g. an I/O error of the disk, can't be
// caused here; it takes the same path.)
#include "jobs/LocalStore.h"
#include "pipeline/AtomicFileSink.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace lifeboat;

namespace {
// While alive, permissions of files and directories apply to this thread even for root.
class NoDacOverride {
public:
    NoDacOverride() {
        if (::geteuid() != 0) {
            m_ok = true; // permissions apply anyway
            return;
        }
        if (::syscall(SYS_capget, &m_header, m_saved) != 0)
            return;
        __user_cap_data_struct reduced[2] = {m_saved[0], m_saved[1]};
        for (int cap : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH})
            reduced[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
        m_ok = ::syscall(SYS_capset, &m_header, reduced) == 0;
        m_dropped = m_ok;
    }
    ~NoDacOverride() {
        if (m_dropped)
            ::syscall(SYS_capset, &m_header, m_saved);
    }
    bool ok() const { return m_ok; }

private:
    __user_cap_header_struct m_header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct m_saved[2]{};
    bool m_ok = false;
    bool m_dropped = false;
};

const QFile::Permissions kWriteSearchOnly = QFile::WriteOwner | QFile::ExeOwner;
const QFile::Permissions kOwnerAll = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
} // namespace

class TstDurability : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private slots:
    void syncDirectorySaysWhy() {
        QString why;
        QVERIFY(AtomicFileSink::syncDirectory(m_tmp.path(), &why));
        QVERIFY(!AtomicFileSink::syncDirectory(m_tmp.filePath(QStringLiteral("missing")), &why));
        QVERIFY2(why.contains(QLatin1String("missing")) && why.contains(QLatin1String("No such file")),
                 qPrintable(why));
    }

    // The rename happened but its directory can't be synced: finish() fails and the final name holds nothing.
    void finishFailsWhenTheDirectoryCannotBeSynced() {
        const QString dir = m_tmp.filePath(QStringLiteral("wx"));
        QVERIFY(QDir().mkpath(dir));
        const QString final = dir + QStringLiteral("/a.dump");
        {
            QVERIFY(QFile::setPermissions(dir, kWriteSearchOnly));
            NoDacOverride guard;
            if (!guard.ok())
                QSKIP("cannot drop CAP_DAC_OVERRIDE here");
            AtomicFileSink sink(final);
            QVERIFY2(sink.open(), qPrintable(sink.error().message));
            QVERIFY(sink.write("complete bytes"));
            QVERIFY(!sink.finish());
            QVERIFY2(sink.error().message.contains(QLatin1String("was not kept")) && sink.error().message.contains(dir),
                     qPrintable(sink.error().message));
            QVERIFY(!sink.committed());
            QVERIFY(!QFile::exists(final));
            QVERIFY(!QFile::exists(final + QStringLiteral(".partial")));
        }
        QVERIFY(QFile::setPermissions(dir, kOwnerAll));
        // Where the directory can be synced the same sink commits.
        AtomicFileSink ok(final);
        QVERIFY(ok.open() && ok.write("x") && ok.finish());
        QVERIFY(QFile::exists(final));
    }

    void makeDirectoriesCreatesAndSyncsEachLevel() {
        const QString deep = m_tmp.filePath(QStringLiteral("m/daily/2026-12-06"));
        QString why;
        QVERIFY2(AtomicFileSink::makeDirectories(deep, &why), qPrintable(why));
        QVERIFY(QFileInfo(deep).isDir());
        QVERIFY2(AtomicFileSink::makeDirectories(deep, &why), qPrintable(why)); // existing: fine
        QFile file(m_tmp.filePath(QStringLiteral("plain")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QVERIFY(!AtomicFileSink::makeDirectories(m_tmp.filePath(QStringLiteral("plain/sub")), &why));
        QVERIFY2(why.contains(QLatin1String("not a directory")), qPrintable(why));
    }

    // A new date directory of the local store must be fsynced into its parent; when that fails the backup is
    // refused before anything is written, with the reason.
    void localStoreRefusesWhenANewDirectoryCannotBeSynced() {
        const QString root = m_tmp.filePath(QStringLiteral("store"));
        QVERIFY(QDir().mkpath(root));
        const QDateTime started = QDateTime::fromString(QStringLiteral("2026-12-06T01:02:03Z"), Qt::ISODate);
        {
            QVERIFY(QFile::setPermissions(root, kWriteSearchOnly));
            NoDacOverride guard;
            if (!guard.ok())
                QSKIP("cannot drop CAP_DAC_OVERRIDE here");
            LocalStore store(QStringLiteral("disk"), root);
            QVERIFY(
                !store.begin(QStringLiteral("p_db_2026-12-06_01-02-03Z.dump"), QStringLiteral("manual"), started, 0));
            QCOMPARE(store.error().code, ExitCode::Usage);
            QVERIFY2(store.error().message.contains(QLatin1String("storage \"disk\"")) &&
                         store.error().message.contains(root),
                     qPrintable(store.error().message));
        }
        QVERIFY(QFile::setPermissions(root, kOwnerAll));
        LocalStore store(QStringLiteral("disk"), root);
        QVERIFY2(store.begin(QStringLiteral("p_db_2026-12-06_01-02-03Z.dump"), QStringLiteral("manual"), started, 0),
                 qPrintable(store.error().message));
        store.discard();
    }
};

QTEST_GUILESS_MAIN(TstDurability)
#include "tst_durability.moc"
