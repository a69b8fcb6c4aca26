// Issue #13 follow-up: `lifeboatctl notify add --webhook-stdin` keeps a webhook URL in the credential store and the
// catalog only "scheme://host/#credential-store", but the desktop app's webhook editor wrote the whole URL — a
// Slack-style URL is its own secret (the path) — into the catalog, which is meant to be shareable. Typed into the
// dialog as a user types, the URL must land in the credential store; without one the dialog refuses and saves
// nothing. A channel kept in the catalog before stays usable and is shown redacted.
#include "GuiTyping.h"

#include "notify/NotificationDispatcher.h"
#include "secrets/KeychainCredentialStore.h"
#include "ui/AppContext.h"
#include "ui/settings/NotificationDialog.h"
#include "ui/settings/NotificationSettings.h"
#include "ui/widgets/MessageBox.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <future>

using namespace lifeboat;

namespace {
const QString kSecretPath = QStringLiteral("/services/T0A1B2C3D/B4E5F6G7H/x9SecretPathToken42");
const QString kUrl = QStringLiteral("https://hooks.slack.com") + kSecretPath;
} // namespace

class TestWebhookSecret : public QObject {
    Q_OBJECT
private:
    // Clicks into the field and types key by key into whatever has the focus.
    static bool typeInto(QWidget *field, const QString &text) {
        if (!GuiTyping::clickInto(field))
            return false;
        for (const QChar ch : text) {
            QWidget *focus = QApplication::focusWidget();
            if (!focus)
                return false;
            QTest::keyClick(focus, ch.toLatin1());
        }
        return true;
    }
    static void clickSave(NotificationDialog &d) {
        QPushButton *save = d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
        QTest::mouseClick(save, Qt::LeftButton);
    }
    // Keychain calls block and are refused on the GUI thread.
    static QString keychainRead(const QString &key) {
        return std::async(std::launch::async,
                          [key] {
                              KeychainCredentialStore store;
                              return store.read(key).value_or(QString());
                          })
            .get();
    }
    static void fillIn(NotificationDialog &d) {
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&d));
        QVERIFY(typeInto(d.nameField(), QStringLiteral("ops-chat")));
        QCOMPARE(d.nameField()->text(), QStringLiteral("ops-chat"));
        QCOMPARE(d.kindField()->currentData().toString(), QStringLiteral("webhook"));
        QVERIFY(typeInto(d.urlField(), kUrl));
        QCOMPARE(d.urlField()->text(), kUrl);
    }

private slots:
    void slackUrlGoesToTheCredentialStore() {
        QTemporaryDir home;
        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        ctx.probeKeychain();
        QTRY_VERIFY_WITH_TIMEOUT(ctx.keychainKnown(), 15000);
        if (!ctx.keychain().available())
            QSKIP("no keychain here (run by tst_gui_webhooksecret_keychain under dbus-run-session)");

        {
            NotificationDialog d(&ctx, NotifierRecord{});
            fillIn(d);
            if (QTest::currentTestFailed())
                return;
            QSignalSpy saved(&d, &NotificationDialog::saved);
            clickSave(d);
            QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 20000);
        }
        const QList<NotifierRecord> rows = ctx.catalog()->notifiers();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().name, QStringLiteral("ops-chat"));
        QVERIFY2(!rows.first().url.contains(QStringLiteral("T0A1B2C3D")) &&
                     !rows.first().url.contains(QStringLiteral("x9SecretPathToken42")),
                 qPrintable(rows.first().url));
        QCOMPARE(rows.first().url, QStringLiteral("https://hooks.slack.com/#credential-store"));
        QVERIFY(NotificationDispatcher::webhookInStore(rows.first()));
        QCOMPARE(keychainRead(NotificationDispatcher::webhookKey(QStringLiteral("ops-chat"))), kUrl);

        // Edited again, the URL is not shown; saved with the field left empty, it stays where it is.
        {
            NotificationDialog d(&ctx, rows.first());
            d.show();
            QVERIFY(d.urlField()->text().isEmpty());
            QVERIFY(!d.urlField()->placeholderText().contains(QStringLiteral("x9SecretPathToken42")));
            QSignalSpy saved(&d, &NotificationDialog::saved);
            clickSave(d);
            QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 20000);
        }
        QCOMPARE(ctx.catalog()->notifiers().first().url, QStringLiteral("https://hooks.slack.com/#credential-store"));
        QCOMPARE(keychainRead(NotificationDispatcher::webhookKey(QStringLiteral("ops-chat"))), kUrl);

        // The list shows where it posts, never the path.
        NotificationSettings settings(&ctx);
        QTRY_VERIFY(settings.isLoaded());
        QCOMPARE(settings.channelList()->count(), 1);
        const QString shown = settings.channelList()->item(0)->text();
        QVERIFY2(shown.contains(QStringLiteral("hooks.slack.com")) && !shown.contains(QStringLiteral("T0A1B2C3D")),
                 qPrintable(shown));
    }

    void withoutACredentialStoreTheDialogRefuses() {
        QTemporaryDir home;
        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        ctx.probeKeychain();
        QTRY_VERIFY_WITH_TIMEOUT(ctx.keychainKnown(), 15000);
        if (ctx.keychain().available())
            QSKIP("a keychain answers here (the refusal is checked by the run without a session bus)");

        NotificationDialog d(&ctx, NotifierRecord{});
        fillIn(d);
        if (QTest::currentTestFailed())
            return;
        QSignalSpy saved(&d, &NotificationDialog::saved);
        MessageBox::setNextAnswer(QMessageBox::Ok);
        clickSave(d);
        QTest::qWait(500); // a save would run on a worker
        QCOMPARE(saved.size(), 0);
        QVERIFY(d.isVisible());
        QVERIFY2(MessageBox::lastText().contains(QStringLiteral("lifeboatctl notify add ops-chat --webhook-stdin")),
                 qPrintable(MessageBox::lastText()));
        QVERIFY(ctx.catalog()->notifiers().isEmpty());

        // A channel kept in the catalog before the credential store held webhook URLs is listed redacted.
        NotifierRecord legacy;
        legacy.name = QStringLiteral("old-hook");
        legacy.kind = QStringLiteral("webhook");
        legacy.url = kUrl;
        legacy.on = QStringLiteral("failure");
        QVERIFY2(ctx.catalog()->saveNotifier(legacy, &err), qPrintable(err));
        NotificationSettings settings(&ctx);
        QTRY_VERIFY(settings.isLoaded());
        QCOMPARE(settings.channelList()->count(), 1);
        QVERIFY(!settings.channelList()->item(0)->text().contains(QStringLiteral("T0A1B2C3D")));
        NotificationDialog edit(&ctx, legacy);
        QVERIFY(edit.urlField()->text().isEmpty());
        QVERIFY(!edit.urlField()->placeholderText().contains(QStringLiteral("T0A1B2C3D")));
    }
};

QTEST_MAIN(TestWebhookSecret)
#include "tst_gui_webhooksecret.moc"
