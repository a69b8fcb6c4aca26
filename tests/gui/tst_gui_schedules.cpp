// The Schedules page's retention panel and the Settings editors, on a real home: the retention preview and prune
// over a synthetic catalog with real files, notification channels really sending to a local webhook sink and the
// aiosmtpd SMTP server, age keys generated in the keys editor used for an encrypt/decrypt round trip, and the
// screenshots of both pages. The cron and schedule editors, "Run now" and the catalog location are in
// tst_gui_schedules_run.
#include "GuiTestData.h"
#include "TestEnv.h"

#include "catalog/SqlCatalog.h"
#include "core/Home.h"
#include "crypto/AgeDecryptStage.h"
#include "crypto/AgeEncryptStage.h"
#include "crypto/AgeIdentity.h"
#include "models/JobListModel.h"
#include "models/ScheduleListModel.h"
#include "models/ScheduleRetentionModel.h"
#include "pipeline/MemorySink.h"
#include "ui/AppContext.h"
#include "ui/MainWindow.h"
#include "ui/schedules/CronEditorDialog.h"
#include "ui/schedules/RetentionPanel.h"
#include "ui/schedules/ScheduleDialog.h"
#include "ui/schedules/SchedulesPage.h"
#include "ui/settings/KeysPanel.h"
#include "ui/settings/NotificationDialog.h"
#include "ui/settings/NotificationSettings.h"
#include "ui/settings/SettingsPage.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lifeboat;

namespace {
// A webhook sink: records each POST body and answers 200.
class HttpSink : public QObject {
public:
    QList<QByteArray> bodies;

    bool listen() {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    void onData(QTcpSocket *s) {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        const qsizetype end = buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        qsizetype length = 0;
        for (const QByteArray &l : buf.left(end).split('\n'))
            if (l.trimmed().toLower().startsWith("content-length:"))
                length = l.trimmed().mid(15).trimmed().toLongLong();
        if (buf.size() < end + 4 + length)
            return;
        bodies << buf.mid(end + 4, length);
        m_buffers.remove(s);
        s->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        s->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// A port nothing listens on (bound, then released).
quint16 closedPort() {
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    const quint16 p = s.serverPort();
    s.close();
    return p;
}
} // namespace

class TestSchedules : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QString m_store;
    std::unique_ptr<AppContext> m_ctx;
    HttpSink m_sink;

    std::unique_ptr<SqlCatalog> reopenCatalog() {
        auto c = SqlCatalog::sqlite(Home::catalogPath(m_home));
        QString err;
        if (!c->open(&err))
            qWarning("reopen: %s", qPrintable(err));
        return c;
    }

    QString screenshotDir() {
        const QString env = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR");
        return env.isEmpty() ? m_tmp.filePath(QStringLiteral("shots")) : env;
    }

private slots:
    void initTestCase() {
        QVERIFY2(!TestEnv::fixture(QStringLiteral("pg")).isEmpty(), "the pg fixture is not running");
        QVERIFY(m_sink.listen());
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_store = m_tmp.filePath(QStringLiteral("store"));
        m_ctx = std::make_unique<AppContext>(m_home);
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY2(m_ctx->updateConfig(
                     [this](ConfigStore &c) {
                         StorageConfig s;
                         s.name = QStringLiteral("disk");
                         s.localDir = m_store;
                         c.upsertStorage(s);
                         Profile shop;
                         shop.name = QStringLiteral("shop");
                         shop.conninfo = TestEnv::pgConninfo(QStringLiteral("postgres"));
                         shop.defaultStorages = {QStringLiteral("disk")};
                         c.upsertProfile(shop);
                         c.setOption(QStringLiteral("pgToolDir"),
                                     TestEnv::fixtureValue(QStringLiteral("pg"), QStringLiteral("PG_BIN")));
                     },
                     &err),
                 qPrintable(err));
        QDir().mkpath(screenshotDir());
    }

    void retentionPreviewAndPrune() {
        // A synthetic catalog for profile "lake": ten daily backups with real files, one a Sunday (weekly), a
        // failed run and a manual backup, all older than 24 h.
        QString err;
        QVERIFY(m_ctx->updateConfig(
            [](ConfigStore &c) {
                Profile lake;
                lake.name = QStringLiteral("lake");
                lake.conninfo = QStringLiteral("host=127.0.0.1 dbname=lake");
                lake.defaultStorages = {QStringLiteral("disk")};
                c.upsertProfile(lake);
            },
            &err));
        const QDateTime now(QDate(2026, 6, 20), QTime(12, 0), QTimeZone::utc()); // a Saturday
        auto catalog = m_ctx->catalog();
        QHash<int, qint64> idOfDay; // days ago -> record id
        for (int day = 1; day <= 10; ++day) {
            BackupRecord r = GuiTestData::artifact(*catalog, m_store, QStringLiteral("lake-%1.dump").arg(day),
                                                   QByteArray(100 + day, 'x'), now.addDays(-day));
            r.profile = QStringLiteral("lake");
            r.type = now.addDays(-day).date().dayOfWeek() == Qt::Sunday ? QStringLiteral("DAILY,WEEKLY")
                                                                        : QStringLiteral("DAILY");
            r.label.clear();
            QVERIFY(catalog->update(r, &err));
            idOfDay.insert(day, r.id);
        }
        BackupRecord failed;
        failed.profile = QStringLiteral("lake");
        failed.type = QStringLiteral("DAILY");
        failed.database = QStringLiteral("lake");
        failed.filename = QStringLiteral("lake-failed.dump");
        failed.status = BackupRecord::statusFailed();
        failed.started = now.addDays(-2).addSecs(3600);
        failed.error = QStringLiteral("connection refused");
        QVERIFY2(catalog->insert(failed, &err), qPrintable(err));
        BackupRecord manual = GuiTestData::artifact(*catalog, m_store, QStringLiteral("lake-manual.dump"),
                                                    QByteArray(50, 'm'), now.addDays(-30));
        manual.profile = QStringLiteral("lake");
        manual.type = QStringLiteral("MANUAL");
        manual.label = QStringLiteral("pre-migration");
        QVERIFY(catalog->update(manual, &err));
        // The profile's own counts live on its schedule: keep 3 daily, 2 weekly, no monthly.
        ScheduleRecord s;
        s.name = QStringLiteral("lake-nightly");
        s.profile = QStringLiteral("lake");
        s.cron = QStringLiteral("0 1 * * *");
        QVERIFY(catalog->saveSchedule(s, &err));

        SchedulesPage page(m_ctx.get());
        page.resize(1180, 760);
        page.show();
        RetentionPanel *panel = page.retentionPanel();
        panel->setAsOf(now);
        panel->profileField()->setCurrentIndex(panel->profileField()->findData(QStringLiteral("lake")));
        QTRY_VERIFY(panel->policyLabel()->text().contains(QStringLiteral("7 daily (default)")));
        QVERIFY(panel->applyButton()->isEnabled());
        panel->dailyField()->setValue(3);
        panel->weeklyField()->setValue(2);
        panel->monthlyField()->setValue(0);
        QTest::mouseClick(panel->applyButton(), Qt::LeftButton);
        QTRY_COMPARE(reopenCatalog()->schedule(QStringLiteral("lake-nightly"))->keepDaily, 3);
        QTRY_VERIFY(panel->policyLabel()->text().contains(QStringLiteral("3 daily (this profile)")));

        QAbstractItemModelTester tester(panel->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy ready(panel, &RetentionPanel::previewReady);
        QTest::mouseClick(panel->previewButton(), Qt::LeftButton);
        QTRY_COMPARE(ready.size(), 1);
        ScheduleRetentionModel *m = panel->model();
        QCOMPARE(m->rowCount(), 12);
        auto reasonOf = [m](qint64 id) {
            return m->index(m->rowOf(id), ScheduleRetentionModel::ReasonColumn).data().toString();
        };
        auto keeps = [m](qint64 id) {
            return m->index(m->rowOf(id), 0).data(ScheduleRetentionModel::KeepRole).toBool();
        };
        // The newest of the three most recent days kept with their period; the newest of this ISO week is day 1,
        // of the week before the Sunday (day 6, 14 June).
        QVERIFY(keeps(idOfDay[1]) && reasonOf(idOfDay[1]).contains(QStringLiteral("daily 2026-06-19 (1 of 3)")));
        QVERIFY(reasonOf(idOfDay[1]).contains(QStringLiteral("newest successful backup")));
        QVERIFY(keeps(idOfDay[3]) && reasonOf(idOfDay[3]).contains(QStringLiteral("daily 2026-06-17 (3 of 3)")));
        QCOMPARE(now.addDays(-6).date().dayOfWeek(), int(Qt::Sunday));
        QVERIFY(keeps(idOfDay[6]) && reasonOf(idOfDay[6]).contains(QStringLiteral("weekly 2026-W24 (2 of 2)")));
        QVERIFY(keeps(manual.id) && reasonOf(manual.id).contains(QStringLiteral("pre-migration")));
        QVERIFY(!keeps(failed.id) && reasonOf(failed.id).contains(QStringLiteral("failed backup")));
        QList<qint64> expired;
        for (int day : {4, 5, 7, 8, 9, 10}) {
            QVERIFY2(!keeps(idOfDay[day]), qPrintable(reasonOf(idOfDay[day])));
            QVERIFY(reasonOf(idOfDay[day]).contains(QStringLiteral("beyond the retention rules")));
            QCOMPARE(m->index(m->rowOf(idOfDay[day]), ScheduleRetentionModel::ActionColumn).data().toString(),
                     QStringLiteral("Delete"));
            expired << idOfDay[day];
        }
        QCOMPARE(m->expireCount(), 7);
        QVERIFY(panel->summaryLabel()->text().contains(QStringLiteral("7 would be deleted")));
        QVERIFY(panel->pruneButton()->isEnabled());
        // Prune: "No" changes nothing; "Yes" deletes exactly the previewed ones through BackupDeleter.
        MessageBox::setNextAnswer(QMessageBox::No);
        QTest::mouseClick(panel->pruneButton(), Qt::LeftButton);
        QVERIFY(MessageBox::lastText().contains(QStringLiteral("7 backup")));
        QTest::qWait(200);
        QVERIFY(QFile::exists(m_store + QStringLiteral("/lake-10.dump")));
        QSignalSpy pruned(panel, &RetentionPanel::pruned);
        MessageBox::setNextAnswer(QMessageBox::Yes);
        QTest::mouseClick(panel->pruneButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(pruned.size(), 1, 20000);
        if (pruned.first().at(0).toInt() != 7)
            for (const RetentionPruner::Entry &e : m->entries())
                qWarning() << e.record.id << e.outcome << e.notes << e.touched();
        QCOMPARE(pruned.first().at(0).toInt(), 7);
        QCOMPARE(pruned.first().at(1).toInt(), 0);
        auto fresh = reopenCatalog();
        for (qint64 id : expired) {
            QCOMPARE(fresh->get(id)->status, BackupRecord::statusDeleted());
            QVERIFY(!QFile::exists(fresh->get(id)->locations.value(0).path));
        }
        QCOMPARE(fresh->get(failed.id)->status, BackupRecord::statusDeleted());
        for (int day : {1, 2, 3, 6}) {
            QCOMPARE(fresh->get(idOfDay[day])->status, BackupRecord::statusCompleted());
            QVERIFY(QFile::exists(m_store + QStringLiteral("/lake-%1.dump").arg(day)));
        }
        QCOMPARE(fresh->get(manual.id)->status, BackupRecord::statusCompleted());
    }

    void webhookSendTestShowsTheOutcome() {
        NotificationDialog d(m_ctx.get(), NotifierRecord{});
        d.show();
        d.nameField()->setText(QStringLiteral("ops-hook"));
        d.kindField()->setCurrentIndex(d.kindField()->findData(QStringLiteral("webhook")));
        d.urlField()->setText(QStringLiteral("http://127.0.0.1:%1/services/T0/SECRET").arg(m_sink.port()));
        QSignalSpy done(&d, &NotificationDialog::testFinished);
        m_sink.bodies.clear();
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20000);
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QVERIFY(d.testResult()->text().startsWith(QStringLiteral("✓")));
        QCOMPARE(m_sink.bodies.size(), 1);
        const QJsonObject body = QJsonDocument::fromJson(m_sink.bodies.first()).object();
        QVERIFY(body.value(QStringLiteral("text")).toString().contains(QStringLiteral("Test notification")));
        QCOMPARE(body.value(QStringLiteral("notifier")).toString(), QStringLiteral("ops-hook"));

        // Nothing listens on this port: the error is shown where the test was asked for.
        d.urlField()->setText(QStringLiteral("http://127.0.0.1:%1/hook").arg(closedPort()));
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 2, 30000);
        QVERIFY(!done.at(1).at(0).toBool());
        QVERIFY2(d.testResult()->text().startsWith(QStringLiteral("✗")), qPrintable(d.testResult()->text()));
        QVERIFY(d.testResult()->text().size() > 3);

        // With no keychain here the dialog refuses to save the URL (tst_gui_webhooksecret covers the keychain). A
        // channel kept in the catalog before shows up in Settings' list redacted, and its test works from there.
        QSignalSpy saved(&d, &NotificationDialog::saved);
        if (!(m_ctx->keychainKnown() && m_ctx->keychain().available())) {
            MessageBox::setNextAnswer(QMessageBox::Ok);
            d.accept();
            QCOMPARE(saved.size(), 0);
            QVERIFY(MessageBox::lastText().contains(QStringLiteral("--webhook-stdin")));
        }
        NotifierRecord kept;
        kept.name = QStringLiteral("ops-hook");
        kept.kind = QStringLiteral("webhook");
        kept.url = QStringLiteral("http://127.0.0.1:%1/services/T0/SECRET").arg(m_sink.port());
        kept.on = QStringLiteral("failure");
        QString saveErr;
        QVERIFY2(m_ctx->catalog()->saveNotifier(kept, &saveErr), qPrintable(saveErr));
        NotificationSettings settings(m_ctx.get());
        QTRY_VERIFY(settings.isLoaded());
        QCOMPARE(settings.channelList()->count(), 1);
        QVERIFY(!settings.channelList()->item(0)->text().contains(QStringLiteral("SECRET")));
        settings.channelList()->setCurrentRow(0);
        QSignalSpy listTest(&settings, &NotificationSettings::testFinished);
        QTest::mouseClick(settings.testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(listTest.size(), 1, 20000);
        QVERIFY(listTest.first().at(0).toBool());
        QCOMPARE(m_sink.bodies.size(), 2);

        // Desktop notifications: the setting the tray reads.
        QString err;
        QCOMPARE(settings.desktopField()->currentData().toString(), QStringLiteral("failure"));
        settings.desktopField()->setCurrentIndex(settings.desktopField()->findData(QStringLiteral("always")));
        emit settings.desktopField()->activated(settings.desktopField()->currentIndex());
        QCOMPARE(m_ctx->config().option(QStringLiteral("desktopNotify")), QStringLiteral("always"));
        QVERIFY(
            m_ctx->updateConfig([](ConfigStore &c) { c.setOption(QStringLiteral("desktopNotify"), QString()); }, &err));
    }

    void smtpSendTestAgainstARealServer() {
        const QString cert = m_tmp.filePath(QStringLiteral("smtp-cert.pem"));
        const QString key = m_tmp.filePath(QStringLiteral("smtp-key.pem"));
        const auto gen = TestEnv::run(QStringLiteral("openssl"),
                                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                                       key, QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("1"),
                                       QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                                       QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
        QVERIFY2(gen.exitCode == 0, gen.err.constData());
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        QByteArray out;
        int port = 0;
        for (int attempt = 0; attempt < 5 && port == 0; ++attempt) {
            const int candidate = 20000 + QRandomGenerator::global()->bounded(30000);
            // Debian's python3 (with python3-aiosmtpd), not whatever python3 comes first on PATH.
            server.start(QFile::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                                           : QStringLiteral("python3"),
                         {TestEnv::sourceDir() + QStringLiteral("/tests/support/smtp_server.py"),
                          QString::number(candidate), cert, key, QStringLiteral("relayuser"),
                          QStringLiteral("s3cret pass")});
            QVERIFY(server.waitForStarted());
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 10000 && server.state() == QProcess::Running && !out.contains("READY")) {
                server.waitForReadyRead(100);
                out += server.readAll();
            }
            if (out.contains("READY"))
                port = candidate;
            else
                server.waitForFinished(2000);
        }
        QVERIFY2(port > 0, out.constData());
        // The server's output is read as it comes while the event loop runs (the send happens on a worker).
        connect(&server, &QProcess::readyRead, this, [&] { out += server.readAll(); });

        NotificationDialog d(m_ctx.get(), NotifierRecord{});
        d.show();
        d.nameField()->setText(QStringLiteral("oncall-mail"));
        d.kindField()->setCurrentIndex(d.kindField()->findData(QStringLiteral("smtp")));
        d.hostField()->setText(QStringLiteral("127.0.0.1"));
        d.tlsField()->setCurrentIndex(d.tlsField()->findData(QStringLiteral("starttls")));
        d.portField()->setValue(port);
        d.fromField()->setText(QStringLiteral("lifeboat@example.test"));
        d.toField()->setText(QStringLiteral("ops@example.test"));
        d.userField()->setText(QStringLiteral("relayuser"));
        d.passwordField()->setText(QStringLiteral("s3cret pass"));
        d.caFileField()->setText(cert);
        QSignalSpy done(&d, &NotificationDialog::testFinished);
        out.clear();
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 30000);
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QVERIFY(d.testResult()->text().startsWith(QStringLiteral("✓")));
        QTRY_VERIFY_WITH_TIMEOUT(out.contains("END-OF-MESSAGE"), 10000);
        QVERIFY2(out.contains(" relayuser accepted") && out.contains("AUTHENTICATED True"), out.constData());
        QVERIFY(out.contains("Subject: [Lifeboat] Test notification"));

        // A wrong port: the error is shown inline, nothing reaches the server.
        d.portField()->setValue(closedPort());
        out.clear();
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 2, 40000);
        QVERIFY(!done.at(1).at(0).toBool());
        QVERIFY2(d.testResult()->text().startsWith(QStringLiteral("✗")), qPrintable(d.testResult()->text()));
        QVERIFY(!out.contains("END-OF-MESSAGE"));

        // Saved: the password is never written to the settings or the catalog.
        d.portField()->setValue(port);
        QSignalSpy saved(&d, &NotificationDialog::saved);
        d.accept();
        QTRY_COMPARE(saved.size(), 1);
        for (const QString &f : {QStringLiteral("/catalog.sqlite"), QStringLiteral("/catalog.sqlite-wal"),
                                 QStringLiteral("/config.json")}) {
            QFile file(m_home + f);
            if (file.open(QIODevice::ReadOnly))
                QVERIFY2(!file.readAll().contains("s3cret pass"), qPrintable(f));
        }
        const auto stored = reopenCatalog()->notifiers();
        QVERIFY(std::any_of(stored.cbegin(), stored.cend(), [port](const NotifierRecord &n) {
            return n.name == QLatin1String("oncall-mail") && n.url == QStringLiteral("smtp://127.0.0.1:%1").arg(port) &&
                   n.tls == QLatin1String("starttls") && n.user == QLatin1String("relayuser");
        }));
        server.kill();
        server.waitForFinished();
    }

    void keygenYieldsAUsableIdentity() {
        KeysPanel panel(m_ctx.get());
        panel.show();
        const QString path = m_tmp.filePath(QStringLiteral("keys/backup-key.txt"));
        QDir().mkpath(QFileInfo(path).absolutePath());
        panel.nameField()->setText(QStringLiteral("backup-key"));
        QSignalSpy finished(&panel, &KeysPanel::finished);
        FileDialog::setNextFileName(path);
        QTest::mouseClick(panel.generateToFileButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup |
                                             QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QString why;
        const auto ids = AgeIdentity::parseIdentityFile(f.readAll(), &why);
        QVERIFY2(ids && ids->size() == 1, qPrintable(why));
        const QString recipient = panel.selectedRecipient();
        QCOMPARE(recipient, ids->front().recipient()->toString());
        QVERIFY(m_ctx->config().option(QStringLiteral("ageKeys")).contains(recipient));
        QVERIFY(!m_ctx->config().option(QStringLiteral("ageKeys")).contains(QStringLiteral("AGE-SECRET-KEY")));

        // Encrypt to the public key the editor shows, decrypt with the identity it wrote.
        const QByteArray plain = QByteArrayLiteral("lifeboat keys editor round trip\n").repeated(1000);
        MemorySink cipher;
        {
            std::vector<AgeRecipient> to{*AgeRecipient::parse(recipient)};
            AgeEncryptStage enc(std::move(to), &cipher);
            QVERIFY(enc.write(plain));
            QVERIFY(enc.finish());
        }
        MemorySink back;
        AgeDecryptStage dec(*ids, &back);
        QVERIFY(dec.write(cipher.data()));
        QVERIFY2(dec.finish(), qPrintable(dec.error().message));
        QCOMPARE(back.data(), plain);

        // Never over an existing file.
        FileDialog::setNextFileName(path);
        QTest::mouseClick(panel.generateToFileButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
        QVERIFY(!finished.at(1).at(0).toBool());
        QVERIFY(finished.at(1).at(1).toString().contains(QStringLiteral("exists")));

        // Importing the file registers its public key (no keychain here: the identity stays in the file).
        panel.nameField()->setText(QStringLiteral("imported"));
        FileDialog::setNextFileName(path);
        QTest::mouseClick(panel.importButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 10000);
        QVERIFY2(finished.at(2).at(0).toBool(), qPrintable(finished.at(2).at(1).toString()));
        QVERIFY(finished.at(2).at(1).toString().contains(recipient));
        QCOMPARE(panel.keyList()->count(), 2);
    }

    void screenshots() {
        Profile shop = *m_ctx->config().profile(QStringLiteral("shop"));
        MainWindow w(m_ctx.get());
        w.resize(1180, 760);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // Something in the table: the lake schedule from the retention test and a weekly one for shop.
        ScheduleRecord weekly;
        weekly.name = QStringLiteral("shop-weekly");
        weekly.profile = shop.name;
        weekly.cron = QStringLiteral("30 2 * * SUN");
        weekly.storages = {QStringLiteral("disk")};
        QString err;
        QVERIFY(m_ctx->catalog()->saveSchedule(weekly, &err));
        // Older lake backups, so the preview has something to delete.
        const QDateTime june(QDate(2026, 6, 20), QTime(12, 0), QTimeZone::utc());
        for (int day = 20; day <= 22; ++day) {
            BackupRecord r = GuiTestData::artifact(*m_ctx->catalog(), m_store, QStringLiteral("lake-%1.dump").arg(day),
                                                   QByteArray(300, 'o'), june.addDays(-day));
            r.profile = QStringLiteral("lake");
            r.type = QStringLiteral("DAILY");
            QVERIFY(m_ctx->catalog()->update(r, &err));
        }
        m_ctx->probeKeychain(); // the status line and the keys editor show the real answer
        QTRY_VERIFY_WITH_TIMEOUT(m_ctx->keychainKnown(), 10000);
        w.showPage(MainWindow::Schedules);
        auto *page = qobject_cast<SchedulesPage *>(w.pageWidget(MainWindow::Schedules));
        QVERIFY(page);
        page->reload();
        QTRY_COMPARE(page->model()->rowCount(), 2);
        QCOMPARE(page->model()
                     ->index(page->model()->rowOf(QStringLiteral("lake-nightly")), ScheduleListModel::StoragesColumn)
                     .data()
                     .toString(),
                 QStringLiteral("disk (profile default)"));
        page->selectSchedule(QStringLiteral("lake-nightly"));
        RetentionPanel *panel = page->retentionPanel();
        QTRY_COMPARE(panel->profileField()->currentData().toString(), QStringLiteral("lake"));
        QSignalSpy ready(panel, &RetentionPanel::previewReady);
        QTest::mouseClick(panel->previewButton(), Qt::LeftButton);
        QTRY_COMPARE(ready.size(), 1);
        QCOMPARE(panel->model()->expireCount(), 3);
        QTest::qWait(300);
        const QString dir = screenshotDir();
        QVERIFY(w.grab().save(dir + QStringLiteral("/schedules.png")));

        // The profile encrypts to the generated key, so the keys editor lists its recipients.
        const QString recipient = QJsonDocument::fromJson(m_ctx->config().option(QStringLiteral("ageKeys")).toUtf8())
                                      .array()
                                      .first()
                                      .toObject()
                                      .value(QStringLiteral("recipient"))
                                      .toString();
        QVERIFY(recipient.startsWith(QStringLiteral("age1")));
        QVERIFY(m_ctx->updateConfig(
            [&](ConfigStore &c) {
                shop.recipients = {recipient};
                c.upsertProfile(shop);
            },
            &err));
        w.showPage(MainWindow::Settings);
        SettingsPage *settings = w.settingsPage();
        QTRY_VERIFY(settings->notifications()->isLoaded());
        QTRY_COMPARE(settings->notifications()->channelList()->count(), 2);
        QCOMPARE(settings->keys()->keyList()->count(), 2);
        // Scroll to the new sections.
        QVERIFY(settings->keys()->recipientsLabel()->text().contains(recipient));
        if (auto *scroll = settings->findChild<QScrollArea *>()) {
            QWidget *box = settings->notifications()->parentWidget();
            scroll->verticalScrollBar()->setValue(box->mapTo(scroll->widget(), QPoint(0, 0)).y() - 30);
        }
        QTest::qWait(300);
        QVERIFY(w.grab().save(dir + QStringLiteral("/settings.png")));
        qInfo("screenshots in %s", qPrintable(dir));
        // The editors too, for review (not part of the documented set).
        const QString dialogs = qEnvironmentVariable("LIFEBOAT_DIALOG_SHOTS");
        if (!dialogs.isEmpty()) {
            CronEditorDialog cron(QStringLiteral("30 2 * * SUN"), QStringLiteral("Europe/Berlin"), &w);
            cron.setPreviewStart(QDateTime(QDate(2026, 3, 21), QTime(12, 0), QTimeZone::utc()));
            cron.show();
            QTest::qWait(100);
            QVERIFY(cron.grab().save(dialogs + QStringLiteral("/cron-editor.png")));
            cron.expressionField()->setText(QStringLiteral("0 25 * * *"));
            QVERIFY(cron.grab().save(dialogs + QStringLiteral("/cron-editor-error.png")));
            ScheduleDialog sd(m_ctx.get(), *reopenCatalog()->schedule(QStringLiteral("shop-weekly")), {}, &w);
            sd.show();
            QTest::qWait(100);
            QVERIFY(sd.grab().save(dialogs + QStringLiteral("/schedule-dialog.png")));
            NotificationDialog nd(m_ctx.get(), reopenCatalog()->notifiers().first(), &w);
            nd.show();
            QTest::qWait(100);
            QVERIFY(nd.grab().save(dialogs + QStringLiteral("/notification-dialog.png")));
        }
    }

    void cleanupTestCase() { m_ctx.reset(); }
};

QTEST_MAIN(TestSchedules)
#include "tst_gui_schedules.moc"
