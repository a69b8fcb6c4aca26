// lifeboatctl files backup/restore/verify end to end on a real directory: unicode names, symlinks (relative,
// to a directory, dangling), empty directories, odd modes, a sparse file and a 200 MiB file survive a gzip and a
// zstd round trip exactly (content hashes, modes, nanosecond mtimes, link texts); restores refuse a non-empty
// target without --overwrite and crafted archives that try to leave the target; verify catches a damaged copy.
#include "TestEnv.h"

#include "catalog/Manifest.h"
#include "pipeline/Sha256.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace lifeboat;

namespace {
struct Node {
    char type = '?'; // f d l
    mode_t mode = 0;
    qint64 size = 0;
    qint64 mtimeNs = 0;
    QByteArray sha;
    QByteArray link;
    quint64 inode = 0; // to tell hard links apart (not compared across trees)
    bool operator==(const Node &o) const {
        return type == o.type && mode == o.mode && size == o.size && mtimeNs == o.mtimeNs && sha == o.sha &&
               link == o.link;
    }
};

QByteArray fileSha(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    Sha256 h;
    while (!f.atEnd())
        h.add(f.read(1 << 20));
    return h.finalHex();
}

void snapshotInto(const QString &root, const QString &rel, QMap<QString, Node> &out) {
    const QString dirPath = rel.isEmpty() ? root : root + QLatin1Char('/') + rel;
    const QStringList names =
        QDir(dirPath).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
    for (const QString &n : names) {
        const QString r = rel.isEmpty() ? n : rel + QLatin1Char('/') + n;
        const QString abs = root + QLatin1Char('/') + r;
        struct stat st {};
        if (::lstat(QFile::encodeName(abs).constData(), &st) != 0)
            continue;
        Node node;
        node.mode = st.st_mode & 07777;
        if (S_ISLNK(st.st_mode)) {
            node.type = 'l';
            QByteArray t(4096, Qt::Uninitialized);
            t.truncate(::readlink(QFile::encodeName(abs).constData(), t.data(), size_t(t.size())));
            node.link = t;
            node.mode = 0; // link modes are not meaningful on Linux
        } else if (S_ISDIR(st.st_mode)) {
            node.type = 'd';
            node.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
        } else {
            node.type = 'f';
            node.size = st.st_size;
            node.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
            node.sha = fileSha(abs);
            node.inode = quint64(st.st_ino);
        }
        out.insert(r, node);
        if (node.type == 'd')
            snapshotInto(root, r, out);
    }
}

QMap<QString, Node> snapshot(const QString &root) {
    QMap<QString, Node> out;
    snapshotInto(root, QString(), out);
    return out;
}

void setMtime(const QString &path, qint64 sec, long nsec) {
    const struct timespec ts[2] = {{sec, nsec}, {sec, nsec}};
    ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), ts, AT_SYMLINK_NOFOLLOW);
}

bool writeFile(const QString &path, const QByteArray &data, mode_t mode = 0644) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        return false;
    f.close();
    return ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

QJsonObject jsonOf(const TestEnv::Run &r) {
    return QJsonDocument::fromJson(r.out).object();
}

// A tar built entry by entry, for archives Lifeboat would never write.
class CraftedTar {
public:
    explicit CraftedTar(const QString &path) {
        m_a = archive_write_new();
        archive_write_set_format_pax(m_a);
        archive_write_open_filename(m_a, QFile::encodeName(path).constData());
    }
    ~CraftedTar() {
        archive_write_close(m_a);
        archive_write_free(m_a);
    }
    void file(const char *name, const QByteArray &data) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, data.size());
        archive_write_header(m_a, e);
        archive_write_data(m_a, data.constData(), size_t(data.size()));
        archive_entry_free(e);
    }
    void symlink(const char *name, const char *target) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name);
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_perm(e, 0777);
        archive_entry_set_symlink(e, target);
        archive_write_header(m_a, e);
        archive_entry_free(e);
    }
    void hardlink(const char *name, const char *target) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_hardlink(e, target);
        archive_write_header(m_a, e);
        archive_entry_free(e);
    }

private:
    struct archive *m_a;
};
} // namespace

class TstFilesBackup : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_base;
    QString m_home, m_src, m_store;
    QMap<QString, Node> m_expected;
    qint64 m_expectedFiles = 0;
    qint64 m_expectedBytes = 0;

    TestEnv::Run ctl(const QStringList &args, const QByteArray &in = {}) {
        return TestEnv::ctl(m_home, args, in, QProcessEnvironment::systemEnvironment(), 600000);
    }
    QString path(const QString &rel) const { return m_base.filePath(rel); }

private slots:
    void initTestCase() {
        QVERIFY(m_base.isValid());
        QVERIFY2(!TestEnv::lifeboatctl().isEmpty(), "LIFEBOAT_CTL not set");
        m_home = path(QStringLiteral("home"));
        m_store = path(QStringLiteral("store"));
        m_src = path(QStringLiteral("src"));
        QVERIFY(QDir().mkpath(m_home) && QDir().mkpath(m_store) && QDir().mkpath(m_src));
        const auto add = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("local"),
                              QStringLiteral("--local"), m_store});
        QVERIFY2(add.exitCode == 0, add.err.constData());

        QDir src(m_src);
        QVERIFY(src.mkpath(QStringLiteral("ünïcödé/日本語 dir")));
        QVERIFY(src.mkpath(QStringLiteral("empty")));
        QVERIFY(src.mkpath(QStringLiteral("nested/deeper/empty too")));
        QVERIFY(src.mkpath(QStringLiteral("cache")));
        QVERIFY(src.mkpath(QStringLiteral("private")));
        QVERIFY(writeFile(src.filePath(QStringLiteral("ünïcödé/日本語 dir/файл ✓.txt")), "unicode content\n"));
        QVERIFY(writeFile(src.filePath(QStringLiteral("run.sh")), "#!/bin/sh\necho hi\n", 0755));
        QVERIFY(writeFile(src.filePath(QStringLiteral("private/secret.key")), "not really\n", 0600));
        QVERIFY(writeFile(src.filePath(QStringLiteral(".hidden")), "dotfile\n", 0640));
        QVERIFY(writeFile(src.filePath(QStringLiteral("empty-file")), QByteArray()));
        QVERIFY(writeFile(src.filePath(QStringLiteral("cache/scratch.tmp")), "excluded\n"));
        QVERIFY(writeFile(src.filePath(QStringLiteral("nested/keep.tmp.txt")), "kept: not *.tmp\n"));
        QCOMPARE(::chmod(QFile::encodeName(src.filePath(QStringLiteral("private"))).constData(), 0700), 0);
        QCOMPARE(::symlink("ünïcödé/日本語 dir/файл ✓.txt",
                           QFile::encodeName(src.filePath(QStringLiteral("link-to-file"))).constData()),
                 0);
        QCOMPARE(::symlink("nested", QFile::encodeName(src.filePath(QStringLiteral("dirlink"))).constData()), 0);
        QCOMPARE(
            ::symlink("../deeper", QFile::encodeName(src.filePath(QStringLiteral("nested/deeper/up"))).constData()), 0);
        QCOMPARE(::link(QFile::encodeName(src.filePath(QStringLiteral("run.sh"))).constData(),
                        QFile::encodeName(src.filePath(QStringLiteral("nested/run-hardlink.sh"))).constData()),
                 0);
        QCOMPARE(::symlink("does-not-exist", QFile::encodeName(src.filePath(QStringLiteral("dangling"))).constData()),
                 0);

        // A sparse file: 64 MiB apparent, two small data islands.
        {
            const QString sp = src.filePath(QStringLiteral("sparse.img"));
            const int fd = ::open(QFile::encodeName(sp).constData(), O_CREAT | O_WRONLY, 0644);
            QVERIFY(fd >= 0);
            QCOMPARE(::pwrite(fd, "head", 4, 0), ssize_t(4));
            QCOMPARE(::pwrite(fd, "island", 6, 40 << 20), ssize_t(6));
            QCOMPARE(::ftruncate(fd, 64 << 20), 0);
            ::close(fd);
        }
        // A 200 MiB file: a random 1 MiB block, stamped with its index so no two blocks are equal.
        {
            QFile big(src.filePath(QStringLiteral("big.bin")));
            QVERIFY(big.open(QIODevice::WriteOnly));
            QByteArray block(1 << 20, Qt::Uninitialized);
            QRandomGenerator rng(7);
            rng.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
            for (int i = 0; i < 200; ++i) {
                const QByteArray stamp = QByteArray::number(i).rightJustified(8, '0');
                memcpy(block.data(), stamp.constData(), 8);
                QCOMPARE(big.write(block), qint64(block.size()));
            }
        }
        // Distinct mtimes with nanoseconds, on files, directories and links (directories last: their entries
        // changed them).
        qint64 t = 1600000000;
        for (const QString &f : {QStringLiteral("run.sh"), QStringLiteral("big.bin"), QStringLiteral("sparse.img"),
                                 QStringLiteral("ünïcödé/日本語 dir/файл ✓.txt"), QStringLiteral("link-to-file")})
            setMtime(src.filePath(f), t++, 123456789);
        for (const QString &d : {QStringLiteral("empty"), QStringLiteral("nested/deeper/empty too"),
                                 QStringLiteral("ünïcödé/日本語 dir"), QStringLiteral("private")})
            setMtime(src.filePath(d), t++, 987654321);

        m_expected = snapshot(m_src);
        m_expected.remove(QStringLiteral("cache/scratch.tmp"));
        // Removing the file from "cache" in the restored tree changes nothing else: the cache dir is kept (its
        // mtime too).
        QSet<quint64> inodes; // a file with two names is stored (and counted) once
        for (auto it = m_expected.cbegin(); it != m_expected.cend(); ++it) {
            if (it->type == 'f' && !inodes.contains(it->inode)) {
                inodes.insert(it->inode);
                ++m_expectedFiles;
                m_expectedBytes += it->size;
            }
        }
        QVERIFY(m_expected.contains(QStringLiteral("empty")));
        QVERIFY(m_expected.value(QStringLiteral("big.bin")).size >= 200LL * 1024 * 1024);
    }

    void roundTrip_data() {
        QTest::addColumn<QString>("compress");
        QTest::addColumn<QString>("suffix");
        QTest::newRow("zstd") << QStringLiteral("zstd") << QStringLiteral(".tar.zst");
        QTest::newRow("gzip") << QStringLiteral("gzip") << QStringLiteral(".tar.gz");
    }
    void roundTrip() {
        QFETCH(QString, compress);
        QFETCH(QString, suffix);
        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("backup"), QStringLiteral("uploads"),
                 QStringLiteral("--path"), m_src, QStringLiteral("--exclude"), QStringLiteral("*.tmp"),
                 QStringLiteral("--compress"), compress, QStringLiteral("--storage"), QStringLiteral("local")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QJsonObject res = jsonOf(b);
        const qint64 id = res.value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);
        QCOMPARE(res.value(QStringLiteral("fileCount")).toInteger(), m_expectedFiles);
        QCOMPARE(res.value(QStringLiteral("totalBytes")).toInteger(), m_expectedBytes);
        const QString artifact = res.value(QStringLiteral("locations"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("path"))
                                     .toString();
        QVERIFY2(artifact.endsWith(suffix), qPrintable(artifact));
        // zstd's window spans the repeated 1 MiB blocks; gzip's 32 KiB window doesn't, so only zstd shrinks them.
        if (compress == QLatin1String("zstd"))
            QVERIFY(QFileInfo(artifact).size() < 100LL * 1024 * 1024);
        QCOMPARE(QString::fromLatin1(fileSha(artifact)), res.value(QStringLiteral("sha256")).toString());

        // The manifest beside it: kind, counts, checksum.
        QFile mf(artifact + QStringLiteral(".manifest.json"));
        QVERIFY(mf.open(QIODevice::ReadOnly));
        QString err;
        const Manifest m = Manifest::fromJson(mf.readAll(), &err);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QCOMPARE(m.kind, QStringLiteral("files"));
        QCOMPARE(m.fileCount, m_expectedFiles);
        QCOMPARE(m.totalBytes, m_expectedBytes);
        QCOMPARE(m.sha256, res.value(QStringLiteral("sha256")).toString());
        QVERIFY(m.compression.startsWith(compress));

        // The catalog knows it as a file backup.
        const auto show = ctl({QStringLiteral("--json"), QStringLiteral("show"), QString::number(id)});
        QVERIFY2(show.exitCode == 0, show.err.constData());
        QCOMPARE(jsonOf(show).value(QStringLiteral("kind")).toString(), QStringLiteral("files"));
        QCOMPARE(jsonOf(show).value(QStringLiteral("status")).toString(), QStringLiteral("COMPLETED"));

        const QString target = path(QStringLiteral("restored-") + compress);
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("restore"),
                            QString::number(id), QStringLiteral("--to"), target});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(jsonOf(r).value(QStringLiteral("fileCount")).toInteger(), m_expectedFiles);
        const QMap<QString, Node> got = snapshot(target);
        QCOMPARE(got.keys(), m_expected.keys());
        for (auto it = m_expected.cbegin(); it != m_expected.cend(); ++it) {
            const Node &g = got.value(it.key());
            QVERIFY2(g.type == it->type, qPrintable(it.key()));
            QVERIFY2(
                g.mode == it->mode,
                qPrintable(QStringLiteral("%1: mode %2 vs %3").arg(it.key()).arg(g.mode, 0, 8).arg(it->mode, 0, 8)));
            QVERIFY2(g.sha == it->sha && g.size == it->size, qPrintable(it.key()));
            QVERIFY2(g.link == it->link, qPrintable(it.key()));
            if (it->type != 'l')
                QVERIFY2(
                    g.mtimeNs == it->mtimeNs,
                    qPrintable(QStringLiteral("%1: mtime %2 vs %3").arg(it.key()).arg(g.mtimeNs).arg(it->mtimeNs)));
        }
        // The hard link is a hard link again.
        QCOMPARE(got.value(QStringLiteral("nested/run-hardlink.sh")).inode, got.value(QStringLiteral("run.sh")).inode);
        // The sparse file is sparse again (holes recreated), not 64 MiB of zeros on disk.
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(target + QStringLiteral("/sparse.img")).constData(), &st), 0);
        QVERIFY2(qint64(st.st_blocks) * 512 < 8LL * 1024 * 1024,
                 qPrintable(QString::number(qint64(st.st_blocks) * 512)));

        const auto v =
            ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("verify"), QString::number(id)});
        QVERIFY2(v.exitCode == 0, v.err.constData());
        QCOMPARE(jsonOf(v).value(QStringLiteral("totalBytes")).toInteger(), m_expectedBytes);
    }

    void nonEmptyTargetNeedsOverwrite() {
        QTemporaryDir small(path(QStringLiteral("smallsrc-XXXXXX")));
        QVERIFY(writeFile(small.filePath(QStringLiteral("a.txt")), "new a\n"));
        QVERIFY(writeFile(small.filePath(QStringLiteral("b.txt")), "new b\n"));
        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("backup"), QStringLiteral("small"),
                 QStringLiteral("--path"), small.path(), QStringLiteral("--storage"), QStringLiteral("local")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString id = QString::number(jsonOf(b).value(QStringLiteral("id")).toInteger());

        const QString target = path(QStringLiteral("occupied"));
        QVERIFY(QDir().mkpath(target));
        QVERIFY(writeFile(target + QStringLiteral("/a.txt"), "old a\n"));
        QVERIFY(writeFile(target + QStringLiteral("/mine.txt"), "unrelated\n"));
        const auto refused =
            ctl({QStringLiteral("files"), QStringLiteral("restore"), id, QStringLiteral("--to"), target});
        QCOMPARE(refused.exitCode, 6);
        QVERIFY2(refused.err.contains("not empty") && refused.err.contains("--overwrite"), refused.err.constData());
        QFile a(target + QStringLiteral("/a.txt"));
        QVERIFY(a.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), QByteArray("old a\n"));
        a.close();
        QVERIFY(!QFile::exists(target + QStringLiteral("/b.txt")));

        const auto ok = ctl({QStringLiteral("files"), QStringLiteral("restore"), id, QStringLiteral("--to"), target,
                             QStringLiteral("--overwrite")});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QVERIFY(a.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), QByteArray("new a\n"));
        QVERIFY(QFile::exists(target + QStringLiteral("/b.txt")));
        QVERIFY(QFile::exists(target + QStringLiteral("/mine.txt"))); // overwrite replaces, it does not wipe
    }

    void craftedArchivesCannotLeaveTheTarget_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("dotdot") << QStringLiteral("dotdot");
        QTest::newRow("absolute") << QStringLiteral("absolute");
        QTest::newRow("escaping symlink") << QStringLiteral("symlink");
        QTest::newRow("absolute symlink") << QStringLiteral("abssymlink");
        QTest::newRow("escaping hard link") << QStringLiteral("hardlink");
    }
    void craftedArchivesCannotLeaveTheTarget() {
        QFETCH(QString, kind);
        const QString arena = path(QStringLiteral("arena-") + kind);
        const QString target = arena + QStringLiteral("/target/inner");
        const QString outside = arena + QStringLiteral("/outside");
        QVERIFY(QDir().mkpath(target) && QDir().mkpath(outside));
        QVERIFY(writeFile(outside + QStringLiteral("/victim.txt"), "original\n"));
        const QString tarPath = arena + QStringLiteral("/crafted.tar");
        {
            CraftedTar t(tarPath);
            t.file("harmless.txt", "ok\n");
            if (kind == QLatin1String("dotdot")) {
                t.file("../../outside/x.txt", "escaped\n");
            } else if (kind == QLatin1String("absolute")) {
                t.file(QFile::encodeName(outside + QStringLiteral("/abs.txt")).constData(), "escaped\n");
            } else if (kind == QLatin1String("symlink")) {
                t.symlink("evil", "../../outside");
                t.file("evil/x.txt", "escaped\n");
            } else if (kind == QLatin1String("abssymlink")) {
                t.symlink("evil", QFile::encodeName(outside).constData());
                t.file("evil/x.txt", "escaped\n");
            } else {
                t.hardlink("evil", "../../outside/victim.txt");
            }
        }
        const auto r =
            ctl({QStringLiteral("files"), QStringLiteral("restore"), tarPath, QStringLiteral("--to"), target});
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("refusing") || r.err.contains("unsafe"), r.err.constData());
        // Nothing outside the target changed.
        QCOMPARE(QDir(outside).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System),
                 QStringList{QStringLiteral("victim.txt")});
        QFile v(outside + QStringLiteral("/victim.txt"));
        QVERIFY(v.open(QIODevice::ReadOnly));
        QCOMPARE(v.readAll(), QByteArray("original\n"));
        QCOMPARE(QDir(arena + QStringLiteral("/target")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("inner")});
        QVERIFY(!QFileInfo(target + QStringLiteral("/evil")).isSymLink() || kind != QLatin1String("symlink"));
    }

    void verifyDetectsDamageAndEncryptionRoundTrips() {
        QTemporaryDir small(path(QStringLiteral("encsrc-XXXXXX")));
        QVERIFY(QDir(small.path()).mkpath(QStringLiteral("d")));
        QByteArray payload(3 << 20, Qt::Uninitialized);
        QRandomGenerator(3).fillRange(reinterpret_cast<quint32 *>(payload.data()), payload.size() / 4);
        QVERIFY(writeFile(small.filePath(QStringLiteral("d/data.bin")), payload));
        const QString key = path(QStringLiteral("key.txt"));
        const auto kg = ctl({QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--out"), key});
        QVERIFY2(kg.exitCode == 0, kg.err.constData());
        const QString recipient = jsonOf(kg).value(QStringLiteral("recipient")).toString();
        QVERIFY2(recipient.startsWith(QLatin1String("age1")), kg.out.constData());

        const auto b = ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("backup"),
                            QStringLiteral("enc"), QStringLiteral("--path"), small.path(), QStringLiteral("--storage"),
                            QStringLiteral("local"), QStringLiteral("--recipient"), recipient});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString id = QString::number(jsonOf(b).value(QStringLiteral("id")).toInteger());
        const QString artifact = jsonOf(b)
                                     .value(QStringLiteral("locations"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("path"))
                                     .toString();
        QVERIFY(artifact.endsWith(QLatin1String(".tar.zst.age")));

        // Without the identity: a usage error; with it: the same bytes come back.
        const auto noKey = ctl({QStringLiteral("files"), QStringLiteral("restore"), id, QStringLiteral("--to"),
                                path(QStringLiteral("enc-nokey"))});
        QCOMPARE(noKey.exitCode, 3);
        const auto r = ctl({QStringLiteral("files"), QStringLiteral("restore"), id, QStringLiteral("--to"),
                            path(QStringLiteral("enc-out")), QStringLiteral("--identity"), key});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(fileSha(path(QStringLiteral("enc-out/d/data.bin"))),
                 fileSha(small.filePath(QStringLiteral("d/data.bin"))));
        const auto v = ctl({QStringLiteral("files"), QStringLiteral("verify"), id, QStringLiteral("--identity"), key});
        QVERIFY2(v.exitCode == 0, v.err.constData());

        // One flipped byte in the stored copy: verify fails with exit 4 and the record says so.
        {
            QFile f(artifact);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek(f.size() / 2);
            char c;
            QVERIFY(f.getChar(&c));
            f.seek(f.size() / 2);
            QVERIFY(f.putChar(char(c ^ 0x01)));
        }
        const auto bad =
            ctl({QStringLiteral("files"), QStringLiteral("verify"), id, QStringLiteral("--identity"), key});
        QCOMPARE(bad.exitCode, 4);
        QVERIFY2(bad.err.contains("checksum mismatch"), bad.err.constData());
        const auto show = ctl({QStringLiteral("--json"), QStringLiteral("show"), id});
        QCOMPARE(jsonOf(show).value(QStringLiteral("verifyOutcome")).toString(), QStringLiteral("FAILED"));

        // A damaged archive whose checksum is unknown (a bare copy without a manifest) fails on its structure.
        const QString bare = path(QStringLiteral("bare-damaged.tar.gz"));
        {
            QTemporaryDir t(path(QStringLiteral("plainsrc-XXXXXX")));
            QVERIFY(writeFile(t.filePath(QStringLiteral("data.bin")), payload));
            const auto pb =
                ctl({QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("backup"),
                     QStringLiteral("plain"), QStringLiteral("--path"), t.path(), QStringLiteral("--compress"),
                     QStringLiteral("gzip"), QStringLiteral("--storage"), QStringLiteral("local")});
            QVERIFY2(pb.exitCode == 0, pb.err.constData());
            const QString a = jsonOf(pb)
                                  .value(QStringLiteral("locations"))
                                  .toArray()
                                  .first()
                                  .toObject()
                                  .value(QStringLiteral("path"))
                                  .toString();
            QFile in(a);
            QVERIFY(in.open(QIODevice::ReadOnly));
            QByteArray bytes = in.readAll();
            bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x40);
            QVERIFY(writeFile(bare, bytes));
        }
        const auto structural = ctl({QStringLiteral("files"), QStringLiteral("verify"), bare});
        QCOMPARE(structural.exitCode, 4);
    }
};

QTEST_GUILESS_MAIN(TstFilesBackup)
#include "tst_files_backup.moc"
