// A backup is not deleted while it is downloaded or its files are restored (issue 14): `lifeboatctl download`,
// `lifeboatctl files restore` and the desktop app's Download (BackupActions::download) hold a lease on the backup
// for as long as they read it, and `delete` refuses meanwhile (exit 6, naming the operation). The reader is held
// mid-copy for real: the stored copy is swapped for a FIFO, so the copy waits until the test feeds it the bytes.
// Also: files restore|verify report who signed the manifest and take --require-signed (exit 4 on unsigned).
#include "TestEnv.h"

#include "catalog/CatalogFactory.h"
#include "catalog/ConfigStore.h"
#include "models/BackupActions.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <future>

using namespace lifeboat;

namespace {
QJsonObject jsonOf(const TestEnv::Run &r) {
    return QJsonDocument::fromJson(r.out).object();
}
} // namespace

class TestDownloadLease : public QObject {
    Q_OBJECT

    QTemporaryDir m_base;
    QString m_home;
    qint64 m_id = 0;
    QString m_artifact;
    QByteArray m_bytes;

    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args); }

    QProcess *startCtl(const QStringList &args) {
        auto *p = new QProcess(this);
        p->setProgram(TestEnv::lifeboatctl());
        p->setArguments(QStringList{QStringLiteral("--home"), m_home} + args);
        p->start();
        return p;
    }

    // The stored copy becomes a FIFO: whoever copies it waits in open()/read() until feed() writes the bytes.
    bool makeFifo() {
        QFile::remove(m_artifact);
        return ::mkfifo(QFile::encodeName(m_artifact).constData(), 0600) == 0;
    }
    // Waits for a reader of the FIFO (the copy has begun, so its lease is held) and returns the write end.
    int waitForReader() {
        const QDeadlineTimer deadline(60000);
        while (!deadline.hasExpired()) {
            const int fd = ::open(QFile::encodeName(m_artifact).constData(), O_WRONLY | O_NONBLOCK);
            if (fd >= 0) {
                ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
                return fd;
            }
            QThread::msleep(50);
        }
        return -1;
    }
    static bool feed(int fd, const QByteArray &bytes) {
        qsizetype off = 0;
        while (off < bytes.size()) {
            const ssize_t n = ::write(fd, bytes.constData() + off, size_t(bytes.size() - off));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                ::close(fd);
                return false;
            }
            off += n;
        }
        return ::close(fd) == 0;
    }
    bool restoreFile() {
        QFile::remove(m_artifact);
        QFile f(m_artifact);
        return f.open(QIODevice::WriteOnly) && f.write(m_bytes) == m_bytes.size();
    }
    // While a reader waits on the FIFO: delete is refused naming `operation`; fed, the reader finishes.
    void deleteRefusedWhileReading(const QString &operation) {
        const int fd = waitForReader();
        QVERIFY2(fd >= 0, "the reader never opened the stored copy");
        const TestEnv::Run del = ctl({QStringLiteral("delete"), QString::number(m_id), QStringLiteral("--force")});
        const bool fed = feed(fd, m_bytes);
        QVERIFY2(del.exitCode == 6, del.err.constData());
        QVERIFY2(del.err.contains(operation.toUtf8()), del.err.constData());
        QVERIFY(fed);
        const auto show = ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(m_id)});
        QVERIFY2(show.out.contains("COMPLETED"), show.out.constData());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_base.isValid());
        QVERIFY2(!TestEnv::lifeboatctl().isEmpty(), "LIFEBOAT_CTL not set");
        m_home = m_base.filePath(QStringLiteral("home"));
        const QString store = m_base.filePath(QStringLiteral("store"));
        const QString src = m_base.filePath(QStringLiteral("src"));
        QVERIFY(QDir().mkpath(m_home) && QDir().mkpath(store) && QDir().mkpath(src));
        QFile f(QDir(src).filePath(QStringLiteral("a.txt")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(300000, 'x') + "end\n");
        f.close();
        const auto add = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("local"),
                              QStringLiteral("--local"), store});
        QVERIFY2(add.exitCode == 0, add.err.constData());
        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("backup"), QStringLiteral("docs"),
                 QStringLiteral("--path"), src, QStringLiteral("--storage"), QStringLiteral("local")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        m_id = jsonOf(b).value(QStringLiteral("id")).toInteger();
        m_artifact = jsonOf(b)
                         .value(QStringLiteral("locations"))
                         .toArray()
                         .first()
                         .toObject()
                         .value(QStringLiteral("path"))
                         .toString();
        QVERIFY(m_id > 0);
        QFile a(m_artifact);
        QVERIFY(a.open(QIODevice::ReadOnly));
        m_bytes = a.readAll();
        QVERIFY(!m_bytes.isEmpty());
    }

    void cliDownloadHoldsLease() {
        QVERIFY(makeFifo());
        const QString out = m_base.filePath(QStringLiteral("dl-cli"));
        QProcess *p = startCtl({QStringLiteral("download"), QString::number(m_id), QStringLiteral("--to"), out});
        deleteRefusedWhileReading(QStringLiteral("download"));
        QVERIFY(p->waitForFinished(120000));
        QVERIFY2(p->exitCode() == 0, p->readAllStandardError().constData());
        QVERIFY(restoreFile());
    }

    void filesRestoreHoldsLease() {
        QVERIFY(makeFifo());
        const QString out = m_base.filePath(QStringLiteral("restored"));
        QProcess *p = startCtl(
            {QStringLiteral("files"), QStringLiteral("restore"), QString::number(m_id), QStringLiteral("--to"), out});
        deleteRefusedWhileReading(QStringLiteral("files restore"));
        QVERIFY(p->waitForFinished(120000));
        QVERIFY2(p->exitCode() == 0, p->readAllStandardError().constData());
        QVERIFY(QFile::exists(QDir(out).filePath(QStringLiteral("a.txt"))));
        QVERIFY(restoreFile());
    }

    // files restore|verify say who signed the manifest and, with --require-signed, refuse an unsigned one (exit 4)
    // before anything is extracted.
    void filesRestoreRequireSigned() {
        const QString manifestPath = m_artifact + QStringLiteral(".manifest.json");
        QFile mf(manifestPath);
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QByteArray original = mf.readAll();
        mf.close();
        QJsonObject m = QJsonDocument::fromJson(original).object();
        QVERIFY(!m.isEmpty());
        if (m.contains(QStringLiteral("signature"))) { // a credential store signed it: check that it says so
            const auto v = ctl({QStringLiteral("files"), QStringLiteral("verify"), QString::number(m_id),
                                QStringLiteral("--require-signed")});
            QVERIFY2(v.exitCode == 0, v.err.constData());
            QVERIFY2(v.err.contains("Manifest: signed by this installation"), v.err.constData());
            m.remove(QStringLiteral("signature"));
        }
        QVERIFY(mf.open(QIODevice::WriteOnly | QIODevice::Truncate));
        mf.write(QJsonDocument(m).toJson());
        mf.close();

        const auto plain = ctl({QStringLiteral("files"), QStringLiteral("verify"), QString::number(m_id)});
        QVERIFY2(plain.exitCode == 0, plain.err.constData());
        QVERIFY2(plain.err.contains("Manifest: unsigned"), plain.err.constData());
        const auto json =
            ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("verify"), QString::number(m_id)});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        QCOMPARE(jsonOf(json).value(QStringLiteral("manifestSignature")).toObject().value(QStringLiteral("status")),
                 QJsonValue(QStringLiteral("unsigned")));

        const QString out = m_base.filePath(QStringLiteral("signed-only"));
        const auto strict = ctl({QStringLiteral("files"), QStringLiteral("restore"), QString::number(m_id),
                                 QStringLiteral("--to"), out, QStringLiteral("--require-signed")});
        QVERIFY2(strict.exitCode == 4, strict.err.constData());
        QVERIFY2(strict.err.contains("unsigned"), strict.err.constData());
        QVERIFY(!QFile::exists(QDir(out).filePath(QStringLiteral("a.txt"))));

        QVERIFY(mf.open(QIODevice::WriteOnly | QIODevice::Truncate));
        mf.write(original);
        mf.close();
    }

    // The desktop app's Download (History page) runs BackupActions::download on a worker.
    void appDownloadHoldsLease() {
        ConfigStore config(QDir(m_home).filePath(QStringLiteral("config.json")));
        QString err;
        QVERIFY2(config.load(&err), qPrintable(err));
        std::shared_ptr<Catalog> catalog = CatalogFactory::fromConfig(config, m_home);
        QVERIFY2(catalog->open(&err), qPrintable(err));
        const auto record = catalog->get(m_id);
        QVERIFY(record);
        QVERIFY(makeFifo());
        const QString out = m_base.filePath(QStringLiteral("dl-app"));
        const QList<StorageConfig> storages = config.storages();
        const BackupRecord rec = *record;
        // Its own catalog connection, as the app's worker has.
        std::future<BackupActions::Outcome> result = std::async(std::launch::async, [this, rec, storages, out] {
            ConfigStore cfg(QDir(m_home).filePath(QStringLiteral("config.json")));
            QString e;
            cfg.load(&e);
            std::shared_ptr<Catalog> c = CatalogFactory::fromConfig(cfg, m_home);
            c->open(&e);
            return BackupActions::download(c, rec, storages, out, false);
        });
        deleteRefusedWhileReading(QStringLiteral("download"));
        const BackupActions::Outcome o = result.get();
        QVERIFY2(!o.error, qPrintable(o.error.message));
        QVERIFY(QFile::exists(o.path));
        QVERIFY(restoreFile());
        // Nothing holds it any more: delete works.
        const TestEnv::Run del = ctl({QStringLiteral("delete"), QString::number(m_id), QStringLiteral("--force")});
        QVERIFY2(del.exitCode == 0, del.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestDownloadLease)
#include "tst_download_lease.moc"
