#include "GuiTyping.h"
#include "TestEnv.h"

#include "catalog/ConfigStore.h"
#include "core/Home.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/settings/ProfileDialog.h"
#include "ui/settings/SettingsPage.h"

#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

// The desktop app and lifeboatctl share config.json. Issue #20: a profile added with the CLI while the app was
// open was erased the next time a profile was edited in the app, and the app never showed it. Here the real
// lifeboatctl writes while the app is open: the app shows its change at once, and the app's own edit (typed into
// the profile dialog) keeps it — and keeps the CLI's removal removed.
class TestConfigSync : public QObject {
    Q_OBJECT
private:
    static QStringList names(const QListWidget *list) {
        QStringList out;
        for (int i = 0; i < list->count(); ++i)
            out << list->item(i)->data(Qt::UserRole).toString();
        return out;
    }
    static QStringList comboNames(const QComboBox *box) {
        QStringList out;
        for (int i = 0; i < box->count(); ++i)
            out << box->itemData(i).toString();
        return out;
    }
    static QStringList ctlProfiles(const QString &home) {
        const auto r =
            TestEnv::ctl(home, {QStringLiteral("--json"), QStringLiteral("profile"), QStringLiteral("list")});
        QStringList out;
        for (const auto &v : QJsonDocument::fromJson(r.out).array())
            out << v.toObject().value(QStringLiteral("name")).toString();
        out.sort();
        return out;
    }
    static bool ctlOk(const QString &home, const QStringList &args) {
        const auto r = TestEnv::ctl(home, args);
        if (r.exitCode != 0)
            qWarning("lifeboatctl %s: %s", qPrintable(args.join(QLatin1Char(' '))), r.err.constData());
        return r.exitCode == 0;
    }

private slots:
    void cliChangesShowAndSurviveAppEdits() {
        QTemporaryDir home;
        const QString conninfo = QStringLiteral("host=127.0.0.1 port=5432 dbname=shop user=backup");
        QVERIFY(ctlOk(home.path(), {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                                    QStringLiteral("--local"), home.filePath(QStringLiteral("backups"))}));
        for (const char *name : {"alpha", "gamma"})
            QVERIFY(ctlOk(home.path(), {QStringLiteral("profile"), QStringLiteral("add"), QLatin1String(name),
                                        QStringLiteral("--conninfo"), conninfo, QStringLiteral("--storage"),
                                        QStringLiteral("disk")}));

        AppContext ctx(home.path());
        QString err;
        QVERIFY2(ctx.open(&err), qPrintable(err));
        MainWindow w(&ctx);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showPage(MainWindow::Settings);
        QListWidget *list = w.settingsPage()->profileList();
        QCOMPARE(names(list), (QStringList{QStringLiteral("alpha"), QStringLiteral("gamma")}));

        // The CLI adds one profile and removes another while the app is open: the app shows both changes at once.
        QVERIFY(ctlOk(home.path(),
                      {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("beta"),
                       QStringLiteral("--conninfo"), conninfo, QStringLiteral("--storage"), QStringLiteral("disk")}));
        QVERIFY(ctlOk(home.path(), {QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("gamma")}));
        QTRY_COMPARE_WITH_TIMEOUT(names(list), (QStringList{QStringLiteral("alpha"), QStringLiteral("beta")}), 5000);
        QTRY_VERIFY(comboNames(w.profileSwitcher()).contains(QStringLiteral("beta")));
        QVERIFY(!comboNames(w.profileSwitcher()).contains(QStringLiteral("gamma")));

        // The app edits alpha through its dialog, typed as an operator would.
        list->setCurrentRow(names(list).indexOf(QStringLiteral("alpha")));
        w.settingsPage()->editProfile();
        ProfileDialog *d = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (d = w.settingsPage()->findChild<ProfileDialog *>()) != nullptr; }));
        QLineEdit *exclude = nullptr;
        for (QLineEdit *e : d->findChildren<QLineEdit *>())
            if (e->accessibleName() == QLatin1String("Always excluded tables"))
                exclude = e;
        QVERIFY(exclude && exclude->accessibleName() == QLatin1String("Always excluded tables"));
        QVERIFY(GuiTyping::replaceText(exclude, QStringLiteral("public._prisma_migrations")));
        QCOMPARE(exclude->text(), QStringLiteral("public._prisma_migrations"));
        d->accept();
        QCOMPARE(ctx.config().profile(QStringLiteral("alpha"))->excludeTables,
                 QStringList{QStringLiteral("public._prisma_migrations")});

        // Both survive on disk, as the CLI reads them; the CLI's removal stays a removal.
        QCOMPARE(ctlProfiles(home.path()), (QStringList{QStringLiteral("alpha"), QStringLiteral("beta")}));
        ConfigStore disk(Home::configPath(home.path()));
        QVERIFY(disk.load(&err));
        QCOMPARE(disk.profile(QStringLiteral("alpha"))->excludeTables,
                 QStringList{QStringLiteral("public._prisma_migrations")});
        QVERIFY(disk.profile(QStringLiteral("beta")).has_value());
    }

    void staleCopyMergesInsteadOfOverwriting() {
        // Two writers that each loaded the file before the other saved (the app between two watcher events, two
        // lifeboatctl at once): each save keeps what the other changed.
        QTemporaryDir home;
        const QString path = Home::configPath(home.path());
        QString err;
        ConfigStore first(path);
        Profile a;
        a.name = QStringLiteral("alpha");
        a.conninfo = QStringLiteral("host=db dbname=a");
        first.upsertProfile(a);
        first.setOption(QStringLiteral("stallMinutes"), QStringLiteral("10"));
        QVERIFY2(first.save(&err), qPrintable(err));

        ConfigStore app(path);
        QVERIFY(app.load(&err)); // the app's copy, loaded now and kept
        // The CLI (the real one) adds a profile and a storage, and changes an option.
        QVERIFY(ctlOk(home.path(), {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"),
                                    QStringLiteral("--local"), home.filePath(QStringLiteral("backups"))}));
        QVERIFY(ctlOk(home.path(), {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("beta"),
                                    QStringLiteral("--conninfo"), QStringLiteral("host=db dbname=b")}));
        // The stale copy edits alpha and another option, and removes nothing it did not know.
        a.production = true;
        app.upsertProfile(a);
        app.setOption(QStringLiteral("pgToolDir"), QStringLiteral("/opt/pg/bin"));
        QVERIFY2(app.save(&err), qPrintable(err));
        // After the save the copy holds the merged settings.
        QVERIFY(app.profile(QStringLiteral("beta")).has_value());
        QVERIFY(app.storage(QStringLiteral("disk")).has_value());

        ConfigStore back(path);
        QVERIFY(back.load(&err));
        QVERIFY(back.profile(QStringLiteral("alpha"))->production);
        QVERIFY(back.profile(QStringLiteral("beta")).has_value());
        QVERIFY(back.storage(QStringLiteral("disk")).has_value());
        QCOMPARE(back.option(QStringLiteral("pgToolDir")), QStringLiteral("/opt/pg/bin"));
        QCOMPARE(back.option(QStringLiteral("stallMinutes")), QStringLiteral("10"));

        // A removal by the stale copy is applied; an item the other side removed is not brought back.
        ConfigStore stale(path);
        QVERIFY(stale.load(&err));
        QVERIFY(ctlOk(home.path(), {QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("beta")}));
        QVERIFY(stale.removeProfile(QStringLiteral("alpha")));
        QVERIFY2(stale.save(&err), qPrintable(err));
        ConfigStore last(path);
        QVERIFY(last.load(&err));
        QVERIFY(last.profiles().isEmpty());
        QVERIFY(last.storage(QStringLiteral("disk")).has_value());

        // A file that is not JSON any more is never overwritten.
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ half-edited");
        f.close();
        stale.setOption(QStringLiteral("pgToolDir"), QStringLiteral("/usr/bin"));
        QVERIFY(!stale.save(&err));
        QVERIFY2(err.contains(QStringLiteral("not valid JSON")), qPrintable(err));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("{ half-edited"));
    }
};

QTEST_MAIN(TestConfigSync)
#include "tst_gui_configsync.moc"
