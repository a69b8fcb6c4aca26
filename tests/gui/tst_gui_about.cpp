#include "ui/AboutDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QtTest>

using namespace lifeboat;

// Help ▸ About shows the one project version and the libraries really loaded; "Copy versions" gives the same text.
class TestGuiAbout : public QObject {
    Q_OBJECT
private slots:
    void reportNamesVersions() {
        const QString report = AboutDialog::versionReport();
        QVERIFY2(report.startsWith(QStringLiteral("Lifeboat %1\n").arg(QStringLiteral(LIFEBOAT_VERSION))),
                 qPrintable(report));
        QVERIFY(report.contains(QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion()))));
        QVERIFY(report.contains(QStringLiteral("libpq ") + AboutDialog::libpqVersion()));

        // libpq's own MAJOR.MINOR, e.g. "15.14": the major is a real PostgreSQL release.
        const auto m = QRegularExpression(QStringLiteral("^(\\d+)\\.(\\d+)$")).match(AboutDialog::libpqVersion());
        QVERIFY2(m.hasMatch(), qPrintable(AboutDialog::libpqVersion()));
        QVERIFY(m.captured(1).toInt() >= 10);

        // The OpenSSL we run with is the one the `openssl` tool of this system reports (same libcrypto).
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"), {QStringLiteral("version")});
        QVERIFY(openssl.waitForFinished(10000));
        const QString tool = QString::fromLatin1(openssl.readAllStandardOutput()).section(QLatin1Char(' '), 1, 1);
        QCOMPARE(AboutDialog::opensslVersion(), tool);
        QVERIFY(report.contains(QStringLiteral("OpenSSL ") + tool));
    }

    void dialogShowsAndCopies() {
        QPointer<AboutDialog> dialog = AboutDialog::show(nullptr);
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *title = dialog->findChild<QLabel *>(QStringLiteral("aboutTitle"));
        QVERIFY(title);
        QVERIFY(title->text().contains(QStringLiteral(LIFEBOAT_VERSION)));
        auto *details = dialog->findChild<QLabel *>(QStringLiteral("aboutDetails"));
        QVERIFY(details);
        QVERIFY(details->text().contains(QStringLiteral(LIFEBOAT_LICENSE_FOR_TEST)));
        QVERIFY(details->text().contains(AboutDialog::libpqVersion()));
        QVERIFY(details->text().contains(QStringLiteral("href=\"http")));

        auto *copy = dialog->findChild<QPushButton *>(QStringLiteral("copyVersions"));
        QVERIFY(copy);
        QApplication::clipboard()->clear();
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), AboutDialog::versionReport());

        const QString shot = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR", QDir::tempPath());
        QVERIFY(dialog->grab().save(shot + QStringLiteral("/about.png")));

        dialog->close();
        QTRY_VERIFY(dialog.isNull()); // WA_DeleteOnClose: nothing left behind
    }
};

QTEST_MAIN(TestGuiAbout)
#include "tst_gui_about.moc"
