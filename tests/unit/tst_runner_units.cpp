// The macOS LaunchAgent and the Windows Task Scheduler task that `schedule install --launchd|--schtasks` writes,
// checked by content (neither OS is here): parsed as XML, their command lines taken apart the way launchd
// (an argument array) and Windows (CommandLineToArgvW's rules) do, and compared with what was asked for. The
// lifeboatctl case writes the task file and decodes it as Task Scheduler would (UTF-16 with a byte-order mark).
#include "schedule/RunnerUnits.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace lifeboat;

namespace {

// CommandLineToArgvW: 2n backslashes + quote -> n backslashes, toggles quoting; 2n+1 + quote -> n + a quote.
QStringList windowsSplit(const QString &line) {
    QStringList out;
    QString cur;
    bool inQuotes = false, any = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (c == QLatin1Char('\\')) {
            int n = 0;
            while (i < line.size() && line.at(i) == QLatin1Char('\\')) {
                ++n;
                ++i;
            }
            if (i < line.size() && line.at(i) == QLatin1Char('"')) {
                cur += QString(n / 2, QLatin1Char('\\'));
                if (n % 2) {
                    cur += QLatin1Char('"');
                } else {
                    inQuotes = !inQuotes;
                }
                any = true;
            } else {
                cur += QString(n, QLatin1Char('\\'));
                --i;
                any = true;
            }
            continue;
        }
        if (c == QLatin1Char('"')) {
            inQuotes = !inQuotes;
            any = true;
        } else if (c.isSpace() && !inQuotes) {
            if (any)
                out << cur;
            cur.clear();
            any = false;
        } else {
            cur += c;
            any = true;
        }
    }
    if (any)
        out << cur;
    return out;
}

// Text of the first element `name`; the values after the plist key `key` (its array's strings or its value).
QString elementText(const QString &xml, const QString &name) {
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement() && r.name() == name)
            return r.readElementText();
    }
    return {};
}

QStringList plistValue(const QString &xml, const QString &key) {
    QXmlStreamReader r(xml);
    QStringList values;
    bool found = false;
    while (!r.atEnd()) {
        r.readNext();
        if (!r.isStartElement())
            continue;
        if (r.name() == QLatin1String("key")) {
            if (found)
                break;
            found = r.readElementText() == key;
            continue;
        }
        if (found && r.name() != QLatin1String("array"))
            values << (r.name() == QLatin1String("true") ? QStringLiteral("true") : r.readElementText());
    }
    [&] {
        QVERIFY2(!r.hasError() || r.error() == QXmlStreamReader::PrematureEndOfDocumentError,
                 qPrintable(r.errorString()));
    }();
    return values;
}

} // namespace

class TstRunnerUnits : public QObject {
    Q_OBJECT

private slots:
    void windowsQuoting_data() {
        QTest::addColumn<QString>("arg");
        QTest::newRow("plain") << QStringLiteral("run-due");
        QTest::newRow("space") << QStringLiteral("C:\\Users\\Ann Lee\\AppData\\Lifeboat");
        QTest::newRow("trailing backslash") << QStringLiteral("C:\\Backup Home\\");
        QTest::newRow("quote") << QStringLiteral("a\"b");
        QTest::newRow("backslashes before quote") << QStringLiteral("a\\\\\"b c");
        QTest::newRow("empty") << QString();
    }
    void windowsQuoting() {
        QFETCH(QString, arg);
        const QString quoted = RunnerUnits::windowsQuote(arg);
        QCOMPARE(windowsSplit(QStringLiteral("x ") + quoted + QStringLiteral(" y")),
                 (QStringList{QStringLiteral("x"), arg, QStringLiteral("y")}));
    }

    void launchdPlist() {
        const QStringList cmd{QStringLiteral("/Applications/Lifeboat.app/Contents/MacOS/lifeboatctl"),
                              QStringLiteral("--home"), QStringLiteral("/Users/ann/Lifeboat & <Co>")};
        const QString xml = RunnerUnits::launchdPlist(cmd, QStringLiteral("/Users/ann/Lifeboat & <Co>/run-due.log"));
        QXmlStreamReader r(xml);
        while (!r.atEnd())
            r.readNext();
        QVERIFY2(!r.hasError(), qPrintable(r.errorString()));
        QCOMPARE(plistValue(xml, QStringLiteral("Label")), QStringList{QStringLiteral("org.lifeboat.run-due")});
        QCOMPARE(plistValue(xml, QStringLiteral("ProgramArguments")), cmd + QStringList{QStringLiteral("run-due")});
        QCOMPARE(plistValue(xml, QStringLiteral("StartInterval")), QStringList{QStringLiteral("60")});
        QCOMPARE(plistValue(xml, QStringLiteral("RunAtLoad")), QStringList{QStringLiteral("true")});
        QCOMPARE(plistValue(xml, QStringLiteral("StandardErrorPath")),
                 QStringList{QStringLiteral("/Users/ann/Lifeboat & <Co>/run-due.log")});
    }

    void schtasksXml() {
        const QStringList cmd{QStringLiteral("C:\\Program Files\\Lifeboat\\lifeboatctl.exe"), QStringLiteral("--home"),
                              QStringLiteral("C:\\Users\\Ann Lee\\Lifeboat\\")};
        const QString xml = RunnerUnits::schtasksXml(cmd, QStringLiteral("2026-12-06T00:00:00"));
        QXmlStreamReader r(xml);
        while (!r.atEnd())
            r.readNext();
        QVERIFY2(!r.hasError(), qPrintable(r.errorString()));
        QCOMPARE(elementText(xml, QStringLiteral("Command")), cmd.first());
        QCOMPARE(windowsSplit(elementText(xml, QStringLiteral("Arguments"))),
                 cmd.mid(1) + QStringList{QStringLiteral("run-due")});
        QCOMPARE(elementText(xml, QStringLiteral("Interval")), QStringLiteral("PT1M"));
        QCOMPARE(elementText(xml, QStringLiteral("StartBoundary")), QStringLiteral("2026-12-06T00:00:00"));
        QCOMPARE(elementText(xml, QStringLiteral("MultipleInstancesPolicy")), QStringLiteral("IgnoreNew"));
        QCOMPARE(elementText(xml, QStringLiteral("LogonType")), QStringLiteral("InteractiveToken"));
        QCOMPARE(elementText(xml, QStringLiteral("URI")), QStringLiteral("\\Lifeboat\\RunDue"));
        QCOMPARE(RunnerUnits::schtasksCreateLine(QStringLiteral("C:\\Users\\Ann Lee\\Lifeboat\\lifeboat-run-due.xml")),
                 QStringLiteral("schtasks /Create /TN Lifeboat\\RunDue /XML \"C:\\Users\\Ann "
                                "Lee\\Lifeboat\\lifeboat-run-due.xml\" /F"));
    }

    void lifeboatctlWritesTheTaskAsUtf16() {
        const QString ctl = qEnvironmentVariable("LIFEBOAT_CTL");
        QVERIFY2(!ctl.isEmpty(), "LIFEBOAT_CTL must name lifeboatctl");
        QTemporaryDir tmp;
        const QString home = tmp.filePath(QStringLiteral("home with space"));
        QProcess p;
        p.start(ctl, {QStringLiteral("--home"), home, QStringLiteral("schedule"), QStringLiteral("install"),
                      QStringLiteral("--schtasks"), QStringLiteral("--out"), tmp.path()});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardError().contains("schtasks /Create /TN Lifeboat\\RunDue /XML"));
        QFile f(tmp.filePath(QStringLiteral("lifeboat-run-due.xml")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith("\xff\xfe"));
        const QString xml =
            QString::fromUtf16(reinterpret_cast<const char16_t *>(bytes.constData() + 2), (bytes.size() - 2) / 2);
        QVERIFY(xml.contains(QStringLiteral("\r\n")));
        QCOMPARE(windowsSplit(elementText(xml, QStringLiteral("Arguments"))),
                 (QStringList{QStringLiteral("--home"), QDir::toNativeSeparators(home), QStringLiteral("run-due")}));
        // Without macOS, --launchd only prints or writes where it is told.
        QProcess l;
        l.start(ctl, {QStringLiteral("--home"), home, QStringLiteral("schedule"), QStringLiteral("install"),
                      QStringLiteral("--launchd")});
        QVERIFY(l.waitForFinished(30000));
#ifndef Q_OS_MACOS
        QCOMPARE(l.exitCode(), 3);
#endif
    }
};

QTEST_GUILESS_MAIN(TstRunnerUnits)
#include "tst_runner_units.moc"
