// Issue 17 review: WAL pushes interrupted between storing an object and recording its catalog row.
// - A partial is replaced in storage before its row: a push killed in between leaves a good object under a row with
//   the old SHA-256. The state is made as the kill leaves it (the row set back to the previous upload's values);
//   wal fetch must serve the object by its own plain SHA-256, record the fresh SHA, and still refuse damaged bytes.
// - An encrypted segment stored but not recorded, on a file system without user extended attributes (an LD_PRELOAD
//   shim makes every xattr call fail with ENOTSUP, as on such a file system): the next push of the same bytes must
//   find the object's plain SHA-256 (a sidecar file) and exit 0, not refuse with exit 4 forever.
#include "TestEnv.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

class TstWalInterrupted : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_disk;
    QString m_spool;

    TestEnv::Run ctl(const QStringList &args, bool noXattr = false) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (noXattr)
            env.insert(QStringLiteral("LD_PRELOAD"), qEnvironmentVariable("LIFEBOAT_NOXATTR_LIB"));
        const TestEnv::Run r = TestEnv::ctl(m_home, args, {}, env);
        if (r.exitCode != 0)
            qInfo("lifeboatctl %s -> %d\n%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
        return r;
    }
    QString spoolFile(const QString &name, const QByteArray &bytes) {
        QFile f(m_spool + QLatin1Char('/') + name);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
            return {};
        return f.fileName();
    }
    static QByteArray randomBytes(int size) {
        QByteArray b(size, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(b.data()), size / 4);
        return b;
    }
    static QString sha(const QByteArray &b) {
        return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex());
    }
    static QByteArray readAll(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // Runs statements on the catalog; the values of the first row of the last one.
    QStringList sql(const QStringList &statements) {
        QStringList out;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("walrows"));
            db.setDatabaseName(m_home + QStringLiteral("/catalog.sqlite"));
            if (db.open()) {
                QSqlQuery q(db);
                for (const QString &s : statements)
                    if (!q.exec(s))
                        qWarning("%s", qPrintable(s));
                if (q.isSelect() && q.next())
                    for (int i = 0; i < q.record().count(); ++i)
                        out << q.value(i).toString();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("walrows"));
        return out;
    }
    QString storedFile(const QString &startsWith) const {
        QDirIterator it(m_disk, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            if (QFileInfo(f).fileName().startsWith(startsWith) && !f.endsWith(QLatin1String(".lifeboat-sha256")))
                return f;
        }
        return {};
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_disk = m_tmp.filePath(QStringLiteral("disk"));
        m_spool = m_tmp.filePath(QStringLiteral("spool"));
        QVERIFY(QDir().mkpath(m_spool));
        QVERIFY(!qEnvironmentVariable("LIFEBOAT_NOXATTR_LIB").isEmpty());
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                      QStringLiteral("--local"), m_disk})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("p"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=1 dbname=x"), QStringLiteral("--storage"), QStringLiteral("disk")})
                .exitCode,
            0);
    }

    void staleRowOfAPartialIsRepaired() {
        const QString seg = QStringLiteral("000000010000000000000005");
        const QString name = seg + QStringLiteral(".partial");
        const QByteArray a = randomBytes(256 * 1024);
        const QByteArray b = randomBytes(256 * 1024);
        QCOMPARE(ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("p"), spoolFile(name, a)}).exitCode,
                 0);
        const QString rowOf = QStringLiteral("SELECT sha256, plain_sha256, size, plain_size FROM wal_files WHERE "
                                             "name = '%1' AND kind = 'partial'")
                                  .arg(seg);
        const QStringList rowA = sql({rowOf});
        QCOMPARE(rowA.size(), 4);
        QCOMPARE(rowA.at(1), sha(a));
        QCOMPARE(ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("p"), spoolFile(name, b)}).exitCode,
                 0);
        const QStringList rowB = sql({rowOf});
        QCOMPARE(rowB.at(1), sha(b));
        // The state a push of b killed after replacing the object and before updating the row leaves.
        const QString backToA = QStringLiteral("UPDATE wal_files SET sha256 = '%1', plain_sha256 = '%2', size = %3, "
                                               "plain_size = %4 WHERE name = '%5' AND kind = 'partial'")
                                    .arg(rowA.at(0), rowA.at(1), rowA.at(2), rowA.at(3), seg);
        sql({backToA});
        const QString dest = m_tmp.filePath(QStringLiteral("dest"));
        TestEnv::Run r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("p"), seg, dest,
                              QStringLiteral("--partial"), QStringLiteral("--fatal-errors")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(readAll(dest) == b);
        QVERIFY2(r.err.contains("older than the object"), r.err.constData());
        // The fresh SHA is recorded: the next fetch reads it from the row without a word.
        QCOMPARE(sql({rowOf}), rowB);
        QVERIFY(QFile::remove(dest));
        r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("p"), seg, dest,
                 QStringLiteral("--partial"), QStringLiteral("--fatal-errors")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(readAll(dest) == b);
        QVERIFY2(r.err.isEmpty(), r.err.constData());

        // The object's own checksum vouches only for bytes that decode to it: a damaged object under a stale row
        // is still refused (255: recovery stops), and DEST is left alone.
        sql({backToA});
        const QString object = storedFile(seg);
        QVERIFY(!object.isEmpty());
        QByteArray stored = readAll(object);
        stored[stored.size() / 2] = char(stored[stored.size() / 2] ^ 0x5a);
        QFile f(object);
        QVERIFY(f.open(QIODevice::ReadWrite) && f.write(stored) == stored.size());
        f.close();
        QVERIFY(QFile::remove(dest));
        r = ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("p"), seg, dest,
                 QStringLiteral("--partial"), QStringLiteral("--fatal-errors")});
        QCOMPARE(r.exitCode, 255);
        QVERIFY(!QFileInfo::exists(dest));
    }

    void encryptedSegmentWithoutRowOnAFileSystemWithoutXattrs() {
        const QString key = m_tmp.filePath(QStringLiteral("key.txt"));
        const TestEnv::Run kg = ctl({QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--out"), key});
        QCOMPARE(kg.exitCode, 0);
        const QString recipient =
            QJsonDocument::fromJson(kg.out).object().value(QStringLiteral("recipient")).toString();
        const QString seg = QStringLiteral("000000010000000000000007");
        const QByteArray bytes = randomBytes(128 * 1024);
        const QString path = spoolFile(seg, bytes);
        const QStringList push{QStringLiteral("wal"),         QStringLiteral("push"),
                               QStringLiteral("p"),           path,
                               QStringLiteral("--recipient"), recipient};
        QCOMPARE(ctl(push, true).exitCode, 0);
        const QString object = storedFile(seg);
        QVERIFY2(object.endsWith(QLatin1String(".age")), qPrintable(object));
        // No attribute on this "file system": the plain checksum is beside the object.
        QCOMPARE(readAll(object + QStringLiteral(".lifeboat-sha256")), sha(bytes).toLatin1());
        // Stored, and the row lost (a push killed between storing and recording).
        const QString count = QStringLiteral("SELECT count(*) FROM wal_files WHERE name = '%1'").arg(seg);
        QCOMPARE(sql({count}), QStringList{QStringLiteral("1")});
        sql({QStringLiteral("DELETE FROM wal_files WHERE name = '%1'").arg(seg)});
        QCOMPARE(sql({count}), QStringList{QStringLiteral("0")});
        // PostgreSQL retries the same segment: it must succeed and record the stored copy.
        const TestEnv::Run again = ctl(push, true);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(sql({count}), QStringList{QStringLiteral("1")});
        // Other bytes under the name are still refused, and nothing is replaced.
        const QByteArray before = readAll(object);
        QCOMPARE(ctl({QStringLiteral("wal"), QStringLiteral("push"), QStringLiteral("p"),
                      spoolFile(seg, randomBytes(128 * 1024)), QStringLiteral("--recipient"), recipient},
                     true)
                     .exitCode,
                 4);
        QVERIFY(readAll(object) == before);
        // The sidecar is no WAL object of its own, and the segment reads back.
        const QString dest = m_tmp.filePath(QStringLiteral("dest7"));
        QCOMPARE(ctl({QStringLiteral("wal"), QStringLiteral("fetch"), QStringLiteral("p"), seg, dest,
                      QStringLiteral("--identity"), key},
                     true)
                     .exitCode,
                 0);
        QVERIFY(readAll(dest) == bytes);
        const TestEnv::Run status =
            ctl({QStringLiteral("--json"), QStringLiteral("wal"), QStringLiteral("status"), QStringLiteral("p")}, true);
        QVERIFY2(!status.out.contains("lifeboat-sha256"), status.out.constData());
    }
};

QTEST_GUILESS_MAIN(TstWalInterrupted)
#include "tst_wal_interrupted.moc"
