#include "storage/S3KeyPaths.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TstS3KeyPaths : public QObject {
    Q_OBJECT
private slots:
    void acceptsOrdinaryKeys_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("relative");
        QTest::newRow("plain") << QStringLiteral("a.dump") << QStringLiteral("a.dump");
        QTest::newRow("nested") << QStringLiteral("team/manual/2026-11-21/db.dump")
                                << QStringLiteral("team/manual/2026-11-21/db.dump");
        QTest::newRow("special") << QStringLiteral("my key+1%2=3~4.dump") << QStringLiteral("my key+1%2=3~4.dump");
        QTest::newRow("unicode") << QStringLiteral("sauvegarde-été/Ölfeld.dump")
                                 << QStringLiteral("sauvegarde-été/Ölfeld.dump");
        QTest::newRow("dots inside") << QStringLiteral("a..b/...c") << QStringLiteral("a..b/...c");
    }
    void acceptsOrdinaryKeys() {
        QFETCH(QString, key);
        QFETCH(QString, relative);
        QTemporaryDir dir;
        QString why;
        const auto path = S3KeyPaths::safeLocalPath(dir.path(), key, &why);
        QVERIFY2(path.has_value(), qPrintable(why));
        QCOMPARE(*path, QDir(dir.path()).absoluteFilePath(relative));
    }

    void refusesHostileKeys_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expect");
        QTest::newRow("parent") << QStringLiteral("../evil") << QStringLiteral("..");
        QTest::newRow("parent nested") << QStringLiteral("a/../../evil") << QStringLiteral("..");
        QTest::newRow("parent at end") << QStringLiteral("a/..") << QStringLiteral("..");
        QTest::newRow("dot") << QStringLiteral("./a") << QStringLiteral("\".\"");
        QTest::newRow("absolute") << QStringLiteral("/etc/passwd") << QStringLiteral("absolute");
        QTest::newRow("backslash") << QStringLiteral("..\\..\\evil") << QStringLiteral("backslash");
        QTest::newRow("backslash plain") << QStringLiteral("a\\b") << QStringLiteral("backslash");
        QTest::newRow("drive") << QStringLiteral("C:/Windows/evil") << QStringLiteral("drive");
        QTest::newRow("drive relative") << QStringLiteral("C:evil") << QStringLiteral("drive");
        QTest::newRow("stream") << QStringLiteral("a.txt:stream") << QStringLiteral("':'");
        QTest::newRow("nul") << QStringLiteral("a") + QChar(u'\0') + QStringLiteral("b") << QStringLiteral("control");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("control");
        QTest::newRow("escape") << QStringLiteral("a\x1b[31mred") << QStringLiteral("control");
        QTest::newRow("del") << QStringLiteral("a\x7f") << QStringLiteral("control");
        QTest::newRow("c1 control") << QStringLiteral("a") + QChar(0x85) << QStringLiteral("control");
        QTest::newRow("empty") << QString() << QStringLiteral("empty");
        QTest::newRow("empty segment") << QStringLiteral("a//b") << QStringLiteral("empty");
        QTest::newRow("folder") << QStringLiteral("a/b/") << QStringLiteral("folder");
    }
    void refusesHostileKeys() {
        QFETCH(QString, key);
        QFETCH(QString, expect);
        QTemporaryDir dir;
        QString why;
        QVERIFY(!S3KeyPaths::safeLocalPath(dir.path(), key, &why).has_value());
        QVERIFY2(why.contains(expect), qPrintable(why));
        QVERIFY(!why.contains(QChar(u'\0')));
        QVERIFY(!why.contains(QLatin1Char('\n')));
        why.clear();
        QVERIFY(!S3KeyPaths::safeLocalFileName(dir.path(), key, &why).has_value());
        QVERIFY(!why.isEmpty());
    }

    void fileNameUsesLastSegment() {
        QTemporaryDir dir;
        const auto path = S3KeyPaths::safeLocalFileName(dir.path(), QStringLiteral("p/manual/2026-11-21/x.dump"));
        QVERIFY(path.has_value());
        QCOMPARE(*path, QDir(dir.path()).absoluteFilePath(QStringLiteral("x.dump")));
    }

    void refusesSymlinkEscape() {
        QTemporaryDir dir, outside;
        QVERIFY(QFile::link(outside.path(), dir.filePath(QStringLiteral("link"))));
        QString why;
        QVERIFY(!S3KeyPaths::safeLocalPath(dir.path(), QStringLiteral("link/evil"), &why).has_value());
        QVERIFY2(why.contains(QStringLiteral("outside")), qPrintable(why));
        // A symlink that stays inside is fine.
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("real")));
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("real")), dir.filePath(QStringLiteral("inner"))));
        QVERIFY(S3KeyPaths::safeLocalPath(dir.path(), QStringLiteral("inner/ok"), &why).has_value());
    }
};

QTEST_GUILESS_MAIN(TstS3KeyPaths)
#include "tst_s3keypaths.moc"
