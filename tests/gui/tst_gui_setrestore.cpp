// The desktop app's whole-set restore (issue 8 item 4) with real parts: a set of a PostgreSQL database (pg fixture)
// and a bucket mirror on the S3 fixture, captured by `lifeboatctl set backup` into the same home an AppContext then
// opens. SetRestoreDialog lists the capture; a wrong typed name keeps Restore disabled and the existing database
// unchanged; a dry-run Check passes and unlocks Restore for exactly those inputs, which restores into a NEW
// database (psql sees the rows) and the mirror prefix; a member whose check fails refuses the set and nothing is
// touched; a whole application (database, mirror, directory, Redis guidance) and an encrypted set (identity via the
// file dialog seam) restore; an incomplete capture cannot be restored. The screenshot goes to LIFEBOAT_SCREENSHOT_DIR
// when set.
#include "TestEnv.h"

#include "models/JobListModel.h"
#include "pipeline/MemorySink.h"
#include "storage/S3Session.h"
#include "ui/AppContext.h"
#include "ui/restore/RestoreChoosePage.h"
#include "ui/restore/RestoreWizard.h"
#include "ui/restore/SetRestoreDialog.h"
#include "ui/widgets/FileDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <thread>

using namespace lifeboat;

namespace {
// S3Session refuses blocking calls on the GUI thread; the test's own bucket reads and writes run on a thread of
// their own (a QFuture may run its task inline in the waiting thread).
template <typename F> auto offGui(F f) {
    decltype(f()) result{};
    std::thread t([&] { result = f(); });
    t.join();
    return result;
}
} // namespace

class TstGuiSetRestore : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_db;
    QString m_root;
    QString m_shots;
    QString m_setId;
    QString m_conninfo;
    QHash<QString, QString> m_s3;
    std::unique_ptr<S3Session> m_bucket;
    std::unique_ptr<AppContext> m_ctx;
    QStringList m_dropDbs;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), m_s3.value(QStringLiteral("S3_ACCESS_KEY")));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), m_s3.value(QStringLiteral("S3_SECRET_KEY")));
        return e;
    }
    TestEnv::Run ctl(const QStringList &args) { return TestEnv::ctl(m_home, args, {}, env()); }
    QString key(const QString &relative) const { return m_root + relative; }
    QByteArray get(const QString &relative) {
        return offGui([this, k = key(relative)] {
            MemorySink sink;
            return m_bucket->getObject(k, &sink) ? QByteArray("<missing>") : sink.data();
        });
    }
    bool put(const QString &relative, const QByteArray &data) {
        return offGui([this, k = key(relative), data] { return !m_bucket->putObject(k, data); });
    }
    int countBelow(const QString &relative) {
        return offGui([this, k = key(relative)] {
            S3ListResult listing;
            return m_bucket->listAll(k, QString(), &listing) ? -1 : static_cast<int>(listing.objects.size());
        });
    }
    bool dbExists(const QString &db) {
        return TestEnv::psql(QStringLiteral("postgres"),
                             QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(db))
                   .trimmed() == QLatin1String("1");
    }
    QString rows(const QString &db) {
        return TestEnv::psql(db, QStringLiteral("SELECT count(*) FROM orders")).trimmed();
    }
    std::unique_ptr<SetRestoreDialog> openDialog(const QString &setId) {
        auto d = std::make_unique<SetRestoreDialog>(m_ctx.get());
        d->show();
        [&] { QTRY_VERIFY_WITH_TIMEOUT(d->isLoaded(), 20000); }();
        d->selectSet(setId);
        return d;
    }
    // Clicks Check and waits for the dry run's verdict.
    bool check(SetRestoreDialog *d) {
        QSignalSpy done(d, &SetRestoreDialog::checkFinished);
        d->checkButton()->click();
        if (!done.wait(120000))
            return false;
        return done.first().first().toBool();
    }

private slots:
    void initTestCase() {
        const auto pg = TestEnv::fixture(QStringLiteral("pg"));
        m_s3 = TestEnv::fixture(QStringLiteral("s3"));
        QVERIFY2(!pg.isEmpty() && !m_s3.isEmpty(), "the pg and s3 fixtures must be running");
        // The in-process AppContext reaches S3 through the same credential chain as lifeboatctl (no keychain here).
        qputenv("AWS_ACCESS_KEY_ID", m_s3.value(QStringLiteral("S3_ACCESS_KEY")).toUtf8());
        qputenv("AWS_SECRET_ACCESS_KEY", m_s3.value(QStringLiteral("S3_SECRET_KEY")).toUtf8());
        m_shots = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR");
        if (m_shots.isEmpty())
            m_shots = m_tmp.filePath(QStringLiteral("shots"));
        QDir().mkpath(m_shots);
        const int n = QRandomGenerator::global()->bounded(1000000);
        m_db = QStringLiteral("lb_gset_%1").arg(n);
        m_root = QStringLiteral("gui-set-%1/").arg(n);
        m_home = m_tmp.filePath(QStringLiteral("home"));
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(m_db));
        m_dropDbs << m_db;
        TestEnv::psql(m_db, QStringLiteral("CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS note FROM "
                                           "generate_series(1, 3000) g"));

        S3Config c;
        c.endpoint = QUrl(m_s3.value(QStringLiteral("S3_ENDPOINT")));
        c.bucket = m_s3.value(QStringLiteral("S3_BUCKET"));
        c.pathStyle = true;
        c.accessKeyId = m_s3.value(QStringLiteral("S3_ACCESS_KEY"));
        c.secretAccessKey = m_s3.value(QStringLiteral("S3_SECRET_KEY"));
        m_bucket = std::make_unique<S3Session>(c);
        QVERIFY(put(QStringLiteral("app/media/logo.png"), "PNG bytes"));
        QVERIFY(put(QStringLiteral("app/media/u/1.pdf"), "PDF one"));

        m_conninfo = QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
                         .arg(pg.value(QStringLiteral("PG_HOST")), pg.value(QStringLiteral("PG_PORT")), m_db);
        const QList<QStringList> setup{
            {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("uploads"), QStringLiteral("--s3"),
             QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
             m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
             m_root + QStringLiteral("app")},
            {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("backup"), QStringLiteral("--s3"),
             QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")), QStringLiteral("--bucket"),
             m_s3.value(QStringLiteral("S3_BUCKET")), QStringLiteral("--path-style"), QStringLiteral("--prefix"),
             m_root + QStringLiteral("backup")},
            {QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("disk"), QStringLiteral("--local"),
             m_tmp.filePath(QStringLiteral("disk"))},
            {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shopdb"), QStringLiteral("--conninfo"),
             m_conninfo},
            {QStringLiteral("mirror"), QStringLiteral("add"), QStringLiteral("media"), QStringLiteral("--source"),
             QStringLiteral("uploads"), QStringLiteral("--source-prefix"), QStringLiteral("media"),
             QStringLiteral("--storage"), QStringLiteral("backup")},
            {QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--profile"),
             QStringLiteral("shopdb"), QStringLiteral("--mirror"), QStringLiteral("media"), QStringLiteral("--storage"),
             QStringLiteral("disk")},
        };
        for (const QStringList &args : setup) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0,
                     qPrintable(args.join(QLatin1Char(' ')) + QLatin1String(": ") + QString::fromUtf8(r.err)));
        }
        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("shop")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        m_setId = QJsonDocument::fromJson(b.out).object().value(QStringLiteral("setId")).toString();
        QVERIFY(m_setId.startsWith(QStringLiteral("set-shop-")));
        // The source moves on after the capture: the restore must bring back the captured state.
        TestEnv::psql(m_db, QStringLiteral("INSERT INTO orders VALUES (999999, 'after the set')"));

        m_ctx = std::make_unique<AppContext>(m_home);
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
    }

    void cleanupTestCase() {
        m_ctx.reset();
        for (const QString &db : std::as_const(m_dropDbs))
            TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(db));
    }

    void restorePageOpensTheDialog() {
        RestoreWizard wizard(m_ctx.get());
        wizard.show();
        QVERIFY(wizard.choosePage()->setRestoreButton());
        wizard.choosePage()->setRestoreButton()->click();
        SetRestoreDialog *d = nullptr;
        QTRY_VERIFY((d = wizard.findChild<SetRestoreDialog *>()) != nullptr);
        QTRY_VERIFY(d->isVisible());
        d->close();
    }

    void listsTheSetAndItsMembers() {
        auto d = openDialog(m_setId);
        QCOMPARE(d->setCombo()->currentData().toString(), m_setId);
        QVERIFY(d->setCombo()->currentText().contains(QStringLiteral("2 member")));
        QCOMPARE(d->memberList()->topLevelItemCount(), 2);
        QCOMPARE(d->memberList()->topLevelItem(0)->text(1), QStringLiteral("shopdb")); // database first
        QCOMPARE(d->memberList()->topLevelItem(1)->text(1), QStringLiteral("media"));
        QCOMPARE(d->memberList()->topLevelItem(1)->text(3), QStringLiteral("COMPLETED"));
        QCOMPARE(d->profileCombo()->currentData().toString(), QStringLiteral("shopdb"));
        QVERIFY(d->mirrorPrefixField()->isVisible());
        QVERIFY(d->checkButton()->isEnabled());
        QVERIFY(!d->restoreButton()->isEnabled()); // never before a passing check
    }

    void wrongTypedNameKeepsRestoreDisabled() {
        const QString existing = m_db + QStringLiteral("_existing");
        m_dropDbs << existing;
        TestEnv::psql(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(existing));
        TestEnv::psql(existing, QStringLiteral("CREATE TABLE orders AS SELECT 1 AS id"));
        auto d = openDialog(m_setId);
        d->databaseField()->setText(existing);
        d->createBox()->setChecked(false);
        d->cleanBox()->setChecked(true);
        QVERIFY(d->confirmField()->isEnabled());
        d->confirmField()->setText(QStringLiteral("wrong-name"));
        d->mirrorPrefixField()->setText(QStringLiteral("refused1"));
        QVERIFY(!check(d.get()));
        QCOMPARE(d->lastStatus(), QStringLiteral("REFUSED"));
        QVERIFY(!d->restoreButton()->isEnabled());
        QCOMPARE(d->outcomeList()->topLevelItem(0)->text(1), QStringLiteral("refused"));
        QVERIFY2(d->statusLabel()->text().contains(QStringLiteral("nothing was changed")),
                 qPrintable(d->statusLabel()->text()));
        QCOMPARE(rows(existing), QStringLiteral("1"));
        QCOMPARE(countBelow(QStringLiteral("app/refused1/")), 0);
    }

    void checkThenRestoreIntoNewDatabaseAndPrefix() {
        const QString target = m_db + QStringLiteral("_restored");
        m_dropDbs << target;
        auto d = openDialog(m_setId);
        d->databaseField()->setText(target);
        QVERIFY(d->createBox()->isChecked());
        // This set's database backup kept no roles (its profile has no --globals): nothing to create them from.
        QVERIFY(!d->rolesBox()->isEnabled());
        QVERIFY(!d->rolesBox()->isChecked());
        d->mirrorPrefixField()->setText(QStringLiteral("restored"));
        QVERIFY(!d->restoreButton()->isEnabled());
        QVERIFY(check(d.get()));
        QCOMPARE(d->lastStatus(), QStringLiteral("CHECKED"));
        QCOMPARE(d->outcomeList()->topLevelItemCount(), 2);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(d->outcomeList()->topLevelItem(i)->text(1), QStringLiteral("passed"));
        QVERIFY(d->outcomeList()->topLevelItem(1)->text(3).contains(QStringLiteral("2 to write")));
        // The dry run touched nothing.
        QVERIFY(!dbExists(target));
        QCOMPARE(countBelow(QStringLiteral("app/restored/")), 0);
        QVERIFY(d->restoreButton()->isEnabled());
        // Any changed input needs a fresh check; changing it back restores the passed state.
        d->mirrorPrefixField()->setText(QStringLiteral("elsewhere"));
        QVERIFY(!d->restoreButton()->isEnabled());
        d->mirrorPrefixField()->setText(QStringLiteral("restored"));
        QVERIFY(d->restoreButton()->isEnabled());

        const int jobsBefore = m_ctx->jobs()->rowCount();
        QSignalSpy done(d.get(), &SetRestoreDialog::restoreFinished);
        d->restoreButton()->click();
        QVERIFY(!d->restoreButton()->isEnabled()); // no double start
        QVERIFY(done.wait(180000));
        QVERIFY2(done.first().first().toBool(), qPrintable(d->statusLabel()->text()));
        QCOMPARE(d->lastStatus(), QStringLiteral("RESTORED"));
        QCOMPARE(m_ctx->jobs()->rowCount(), jobsBefore + 1); // tracked on the Jobs page
        for (int i = 0; i < 2; ++i)
            QCOMPARE(d->outcomeList()->topLevelItem(i)->text(2), QStringLiteral("RESTORED"));
        QCOMPARE(rows(target), QStringLiteral("3000")); // as captured, without the later row
        QCOMPARE(get(QStringLiteral("app/restored/logo.png")), QByteArray("PNG bytes"));
        QCOMPARE(get(QStringLiteral("app/restored/u/1.pdf")), QByteArray("PDF one"));
        QCOMPARE(countBelow(QStringLiteral("app/restored/")), 2);
        QVERIFY(!d->restoreButton()->isEnabled()); // a further run needs a fresh check
    }

    void failingMemberCheckRefusesAndTouchesNothing() {
        QVERIFY(put(QStringLiteral("app/refused2/logo.png"), "someone else's logo"));
        const QString fresh = m_db + QStringLiteral("_never");
        m_dropDbs << fresh;
        auto d = openDialog(m_setId);
        d->databaseField()->setText(fresh);
        d->mirrorPrefixField()->setText(QStringLiteral("refused2"));
        QVERIFY(!check(d.get()));
        QCOMPARE(d->outcomeList()->topLevelItem(0)->text(1), QStringLiteral("passed"));
        QCOMPARE(d->outcomeList()->topLevelItem(1)->text(1), QStringLiteral("refused"));
        QVERIFY2(d->statusLabel()->text().contains(QStringLiteral("mirror media")),
                 qPrintable(d->statusLabel()->text()));
        QVERIFY(!d->restoreButton()->isEnabled());
        QVERIFY(!dbExists(fresh));
        QCOMPARE(countBelow(QStringLiteral("app/refused2/")), 1);
        QCOMPARE(get(QStringLiteral("app/refused2/logo.png")), QByteArray("someone else's logo"));
    }

    // Another spelling of a production profile's server (localhost for 127.0.0.1) behind a non-production target
    // profile: the dialog's restore gets the production guard, which compares server identities.
    void targetOnAProductionServerGetsTheGuard() {
        const auto pg = TestEnv::fixture(QStringLiteral("pg"));
        const auto r = ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("prodlive"),
                            QStringLiteral("--conninfo"),
                            QStringLiteral("host=localhost port=%1 user=postgres dbname=%2")
                                .arg(pg.value(QStringLiteral("PG_PORT")), m_db),
                            QStringLiteral("--production")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_ctx = std::make_unique<AppContext>(m_home);
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        const QString fresh = m_db + QStringLiteral("_guarded");
        m_dropDbs << fresh;
        auto d = openDialog(m_setId);
        d->profileCombo()->setCurrentIndex(d->profileCombo()->findData(QStringLiteral("shopdb")));
        d->databaseField()->setText(fresh);
        d->mirrorPrefixField()->setText(QStringLiteral("guarded"));
        QVERIFY(check(d.get()));
        // The database row says what the guard found: the target is production profile prodlive's server.
        const QString said = d->outcomeList()->topLevelItem(0)->text(3);
        QVERIFY2(said.contains(QStringLiteral("production profile \"prodlive\"")), qPrintable(said));
        QVERIFY(!dbExists(fresh));
        QVERIFY(ctl({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("prodlive")}).exitCode == 0);
        m_ctx = std::make_unique<AppContext>(m_home);
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
    }

    void wholeApplicationWithFilesAndRedis() {
        QVERIFY2(QFile::exists(QStringLiteral("/usr/bin/redis-server")), "redis-server is not installed");
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const QString redisDir = m_tmp.filePath(QStringLiteral("redis"));
        QDir().mkpath(redisDir);
        QProcess redis;
        redis.start(QStringLiteral("/usr/bin/redis-server"),
                    {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                     QString::number(port), QStringLiteral("--dir"), redisDir, QStringLiteral("--save"), QString(),
                     QStringLiteral("--appendonly"), QStringLiteral("no")});
        QVERIFY(redis.waitForStarted());
        const auto stopRedis = qScopeGuard([&redis] {
            redis.terminate();
            redis.waitForFinished(5000);
        });
        QTest::qWait(300);
        const QString files = m_tmp.filePath(QStringLiteral("app-files"));
        QDir().mkpath(files + QStringLiteral("/avatars"));
        {
            QFile f(files + QStringLiteral("/avatars/ünï.png"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("avatar bytes");
        }
        for (const QStringList &args : QList<QStringList>{
                 {QStringLiteral("files"), QStringLiteral("add"), QStringLiteral("uploads-dir"),
                  QStringLiteral("--path"), files},
                 {QStringLiteral("redis"), QStringLiteral("add"), QStringLiteral("queue"), QStringLiteral("--url"),
                  QStringLiteral("redis://127.0.0.1:%1").arg(port)},
                 {QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("full"), QStringLiteral("--profile"),
                  QStringLiteral("shopdb"), QStringLiteral("--files"), QStringLiteral("uploads-dir"),
                  QStringLiteral("--mirror"), QStringLiteral("media"), QStringLiteral("--redis"),
                  QStringLiteral("queue"), QStringLiteral("--storage"), QStringLiteral("disk")}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("full")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString setId = QJsonDocument::fromJson(b.out).object().value(QStringLiteral("setId")).toString();

        // The app reads config.json when it starts: start it again to see the sources lifeboatctl just added.
        m_ctx = std::make_unique<AppContext>(m_home);
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));

        const QString target = m_db + QStringLiteral("_full");
        m_dropDbs << target;
        auto d = openDialog(setId);
        QCOMPARE(d->memberList()->topLevelItemCount(), 4);
        d->databaseField()->setText(target);
        d->mirrorPrefixField()->setText(QStringLiteral("full-restored"));
        // The default directory is the source's own, which is not empty: the whole set refuses.
        QVERIFY(d->filesField(QStringLiteral("uploads-dir")));
        QCOMPARE(d->filesField(QStringLiteral("uploads-dir"))->text(), files);
        QVERIFY(!check(d.get()));
        QVERIFY2(d->statusLabel()->text().contains(QStringLiteral("files uploads-dir")),
                 qPrintable(d->statusLabel()->text()));
        QVERIFY(!dbExists(target));
        // Another directory, chosen through the file dialog seam.
        const QString restoredFiles = m_tmp.filePath(QStringLiteral("restored-files"));
        FileDialog::setNextFileName(restoredFiles);
        d->filesBrowseButton(QStringLiteral("uploads-dir"))->click();
        QTRY_COMPARE(d->filesField(QStringLiteral("uploads-dir"))->text(), QDir::toNativeSeparators(restoredFiles));
        QVERIFY(check(d.get()));
        // Redis is never restored automatically: its guidance is shown already at the check.
        QVERIFY(d->guidanceLabel()->isVisible());
        QVERIFY2(d->guidanceLabel()->text().contains(QStringLiteral("Redis queue: not restored automatically")),
                 qPrintable(d->guidanceLabel()->text()));
        QVERIFY(d->guidanceLabel()->text().contains(QStringLiteral("runbook")));

        QSignalSpy done(d.get(), &SetRestoreDialog::restoreFinished);
        d->restoreButton()->click();
        QVERIFY(done.wait(180000));
        QVERIFY2(done.first().first().toBool(), qPrintable(d->statusLabel()->text()));
        QCOMPARE(d->outcomeList()->topLevelItem(0)->text(2), QStringLiteral("RESTORED"));
        QCOMPARE(d->outcomeList()->topLevelItem(1)->text(2), QStringLiteral("RESTORED"));
        QCOMPARE(d->outcomeList()->topLevelItem(2)->text(2), QStringLiteral("RESTORED"));
        QCOMPARE(d->outcomeList()->topLevelItem(3)->text(2), QStringLiteral("GUIDANCE"));
        QCOMPARE(get(QStringLiteral("app/full-restored/logo.png")), QByteArray("PNG bytes"));
        QVERIFY(d->guidanceLabel()->isVisible());
        QCOMPARE(rows(target), QStringLiteral("3001")); // this capture came after the extra row
        QFile restored(restoredFiles + QStringLiteral("/avatars/ünï.png"));
        QVERIFY(restored.open(QIODevice::ReadOnly));
        QCOMPARE(restored.readAll(), QByteArray("avatar bytes"));
        QVERIFY(d->grab().save(QDir(m_shots).filePath(QStringLiteral("restore-set.png"))));
    }

    void encryptedSetNeedsItsIdentity() {
        const QString keyFile = m_tmp.filePath(QStringLiteral("set.key"));
        const auto key = ctl({QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--out"), keyFile});
        QVERIFY2(key.exitCode == 0, key.err.constData());
        const QString recipient =
            QJsonDocument::fromJson(key.out).object().value(QStringLiteral("recipient")).toString();
        QVERIFY(recipient.startsWith(QStringLiteral("age1")));
        for (const QStringList &args : QList<QStringList>{
                 {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("encdb"),
                  QStringLiteral("--conninfo"), m_conninfo, QStringLiteral("--recipient"), recipient},
                 {QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("sealed"), QStringLiteral("--profile"),
                  QStringLiteral("encdb"), QStringLiteral("--storage"), QStringLiteral("disk")}}) {
            const auto r = ctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        const auto b =
            ctl({QStringLiteral("--json"), QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("sealed")});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const QString setId = QJsonDocument::fromJson(b.out).object().value(QStringLiteral("setId")).toString();
        m_ctx = std::make_unique<AppContext>(m_home);
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));

        const QString target = m_db + QStringLiteral("_sealed");
        m_dropDbs << target;
        auto d = openDialog(setId);
        QVERIFY(d->keysGroup()->isVisible());
        d->databaseField()->setText(target);
        // Without the identity the check refuses and says what is missing.
        QVERIFY(!check(d.get()));
        QVERIFY2(d->statusLabel()->text().contains(QStringLiteral("identit"), Qt::CaseInsensitive),
                 qPrintable(d->statusLabel()->text()));
        QVERIFY(!dbExists(target));
        FileDialog::setNextFileName(keyFile);
        d->identityFileButton()->click();
        QTRY_COMPARE(d->identityFilePath(), keyFile);
        QVERIFY2(check(d.get()), qPrintable(d->statusLabel()->text()));
        QSignalSpy done(d.get(), &SetRestoreDialog::restoreFinished);
        d->restoreButton()->click();
        QVERIFY(done.wait(180000));
        QVERIFY2(done.first().first().toBool(), qPrintable(d->statusLabel()->text()));
        QCOMPARE(rows(target), QStringLiteral("3001"));
    }

    void incompleteSetCannotBeRestored() {
        QCOMPARE(ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("nowhere"),
                      QStringLiteral("--s3"), QStringLiteral("--endpoint"), m_s3.value(QStringLiteral("S3_ENDPOINT")),
                      QStringLiteral("--bucket"), QStringLiteral("no-such-bucket"), QStringLiteral("--path-style")})
                     .exitCode,
                 0);
        QCOMPARE(
            ctl({QStringLiteral("mirror"), QStringLiteral("add"), QStringLiteral("broken"), QStringLiteral("--source"),
                 QStringLiteral("nowhere"), QStringLiteral("--storage"), QStringLiteral("backup")})
                .exitCode,
            0);
        QCOMPARE(ctl({QStringLiteral("set"), QStringLiteral("add"), QStringLiteral("shaky"),
                      QStringLiteral("--profile"), QStringLiteral("shopdb"), QStringLiteral("--mirror"),
                      QStringLiteral("broken"), QStringLiteral("--storage"), QStringLiteral("disk")})
                     .exitCode,
                 0);
        const auto run =
            ctl({QStringLiteral("--json"), QStringLiteral("set"), QStringLiteral("backup"), QStringLiteral("shaky")});
        QVERIFY(run.exitCode != 0);
        const QString shaky = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("setId")).toString();
        QVERIFY(!shaky.isEmpty());
        auto d = openDialog(shaky);
        QCOMPARE(d->setCombo()->currentData().toString(), shaky);
        QVERIFY(d->setCombo()->currentText().contains(QStringLiteral("incomplete")));
        QVERIFY2(d->setNote()->text().contains(QStringLiteral("cannot be restored")), qPrintable(d->setNote()->text()));
        QVERIFY(!d->checkButton()->isEnabled());
        QVERIFY(!d->restoreButton()->isEnabled());
        // The complete capture next to it still can be.
        d->selectSet(m_setId);
        QVERIFY(d->checkButton()->isEnabled());
    }
};

QTEST_MAIN(TstGuiSetRestore)
#include "tst_gui_setrestore.moc"
