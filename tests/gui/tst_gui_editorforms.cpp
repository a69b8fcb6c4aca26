// Issue 19: the profile, storage and notification editors build their forms with one FormBuilder. Moving them onto
// it must change nothing an operator meets: the same fields in the same tab order, each row's label naming its
// field as buddy with the same mnemonic, the same accessible names, and the same size. The expected lists below
// were read from the editors as they were before the builder (commit 026b658); LIFEBOAT_SCREENSHOT_DIR also saves
// a picture of each editor to compare by eye.
#include "catalog/Profile.h"
#include "catalog/ScheduleRecord.h"
#include "catalog/StorageConfig.h"
#include "ui/AppContext.h"
#include "ui/settings/NotificationDialog.h"
#include "ui/settings/ProfileDialog.h"
#include "ui/settings/StorageDialog.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace lifeboat;

class TestGuiEditorForms : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<AppContext> m_ctx;

    static QString describe(const QWidget *w) {
        QString text;
        if (const auto *b = qobject_cast<const QAbstractButton *>(w))
            text = b->text();
        else if (const auto *g = qobject_cast<const QGroupBox *>(w))
            text = g->title();
        QString d = QString::fromLatin1(w->metaObject()->className());
        if (!w->accessibleName().isEmpty())
            d += QStringLiteral(" '%1'").arg(w->accessibleName());
        if (!text.isEmpty())
            d += QStringLiteral(" \"%1\"").arg(text);
        if (const auto *e = qobject_cast<const QLineEdit *>(w); e && e->echoMode() != QLineEdit::Normal)
            d += QStringLiteral(" (secret)");
        return d;
    }

    // Every widget Tab can reach, in the order Tab reaches it (hidden stack pages included: they come back when
    // the kind changes).
    static QStringList tabOrder(QWidget *dialog) {
        QStringList order;
        for (QWidget *w = dialog->nextInFocusChain(); w && w != dialog; w = w->nextInFocusChain())
            if ((w->focusPolicy() & Qt::TabFocus) && w->isEnabledTo(dialog) && !w->focusProxy())
                order << describe(w);
        return order;
    }

    // Each label with a buddy: its text (the & marks the mnemonic) and the field it gives the focus to.
    static QStringList buddies(QWidget *dialog) {
        QStringList rows;
        const QList<QLabel *> labels = dialog->findChildren<QLabel *>();
        for (QWidget *w = dialog->nextInFocusChain(); w && w != dialog; w = w->nextInFocusChain())
            for (QLabel *l : labels)
                if (l->buddy() == w)
                    rows << QStringLiteral("%1 -> %2").arg(l->text(), describe(w));
        return rows;
    }

    static void dump(const char *what, const QStringList &lines) {
        if (qEnvironmentVariableIsSet("LIFEBOAT_FORM_DUMP"))
            for (const QString &l : lines)
                qInfo().noquote() << what << l;
    }

    static void shoot(QWidget *d, const QString &name) {
        const QString shots = qEnvironmentVariable("LIFEBOAT_SCREENSHOT_DIR");
        if (shots.isEmpty())
            return;
        QDir().mkpath(shots);
        QVERIFY(d->grab().save(shots + QLatin1Char('/') + name));
    }

    static void check(QWidget *d, const QString &name, const QStringList &order, const QStringList &rows,
                      const QSize &size) {
        d->show();
        QVERIFY(QTest::qWaitForWindowExposed(d));
        dump("tab order", tabOrder(d));
        dump("buddies", buddies(d));
        if (qEnvironmentVariableIsSet("LIFEBOAT_FORM_DUMP"))
            qInfo() << "size" << d->sizeHint();
        QCOMPARE(tabOrder(d), order);
        QCOMPARE(buddies(d), rows);
        QCOMPARE(d->sizeHint(), size);
        shoot(d, name);
    }

private slots:
    void initTestCase() {
        m_ctx = std::make_unique<AppContext>(m_home.path());
        QString err;
        QVERIFY2(m_ctx->open(&err), qPrintable(err));
        QVERIFY2(m_ctx->updateConfig(
                     [](ConfigStore &c) {
                         StorageConfig nas;
                         nas.name = QStringLiteral("nas");
                         nas.kind = QStringLiteral("local");
                         nas.localDir = QStringLiteral("/srv/backups");
                         c.upsertStorage(nas);
                         StorageConfig offsite;
                         offsite.name = QStringLiteral("offsite");
                         offsite.kind = QStringLiteral("s3");
                         offsite.bucket = QStringLiteral("bk");
                         c.upsertStorage(offsite);
                     },
                     &err),
                 qPrintable(err));
    }

    void profileEditor() {
        Profile p;
        p.name = QStringLiteral("shop");
        p.conninfo = QStringLiteral("host=db port=5432 dbname=shop");
        p.defaultStorages = {QStringLiteral("nas")};
        ProfileDialog d(m_ctx.get(), p);
        check(
            &d, QStringLiteral("editor-profile.png"),
            QStringList{
                QStringLiteral("QLineEdit 'Profile name'"),
                QStringLiteral("QLineEdit 'Connection'"),
                QStringLiteral("QLineEdit 'Password' (secret)"),
                QStringLiteral("QCheckBox \"This is a production server (restores into it need extra confirmation)\""),
                QStringLiteral(
                    "QCheckBox \"Keep the server's &roles with every backup (for a restore onto a fresh server)\""),
                QStringLiteral("QListWidget 'Default storages'"),
                QStringLiteral("QLineEdit 'Always excluded tables'"),
                QStringLiteral("QCheckBox \"&Continuous protection: capture this server's WAL while Lifeboat runs (a "
                               "recovery point of about a minute; needs base backups too)\""),
                QStringLiteral("QPushButton \"Check replication &access\""),
                QStringLiteral("QPushButton \"&Test connection\""),
                QStringLiteral("QPushButton \"Save\""),
                QStringLiteral("QPushButton \"Cancel\""),
            },
            QStringList{
                QStringLiteral("&Name: -> QLineEdit 'Profile name'"),
                QStringLiteral("&Connection: -> QLineEdit 'Connection'"),
                QStringLiteral("&Password: -> QLineEdit 'Password' (secret)"),
                QStringLiteral("Default &storages: -> QListWidget 'Default storages'"),
                QStringLiteral("&Exclude tables: -> QLineEdit 'Always excluded tables'"),
                QStringLiteral(
                    "&Upload the segment being filled every -> QSpinBox 'Upload the WAL segment being filled every'"),
            },
            QSize(858, 496));
    }

    void storageEditor_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("local") << QStringLiteral("local");
        QTest::newRow("s3") << QStringLiteral("s3");
    }
    void storageEditor() {
        QFETCH(QString, kind);
        StorageConfig s;
        s.name = QStringLiteral("new");
        s.kind = kind;
        s.localDir = QStringLiteral("/srv/new");
        StorageDialog d(m_ctx.get(), s);
        check(&d, QStringLiteral("editor-storage-%1.png").arg(kind),
              QStringList{
                  QStringLiteral("QLineEdit 'Storage name'"),
                  QStringLiteral("QComboBox 'Storage kind'"),
                  QStringLiteral("QLineEdit 'Folder'"),
                  QStringLiteral("QPushButton \"&Browse…\""),
                  QStringLiteral("QLineEdit 'Endpoint'"),
                  QStringLiteral("QLineEdit 'Bucket'"),
                  QStringLiteral("QLineEdit 'Region'"),
                  QStringLiteral("QLineEdit 'Prefix'"),
                  QStringLiteral("QCheckBox \"Path-style addressing (MinIO, most self-hosted servers)\""),
                  QStringLiteral("QLineEdit 'Access key ID'"),
                  QStringLiteral("QLineEdit 'Secret key' (secret)"),
                  QStringLiteral("QLineEdit 'AWS profile'"),
                  QStringLiteral("QComboBox 'Storage class'"),
                  QStringLiteral("QGroupBox \"Keep this storage's copies by its own &rules\""),
                  QStringLiteral("QSpinBox 'Keep last'"),
                  QStringLiteral("QSpinBox 'Hourly'"),
                  QStringLiteral("QSpinBox 'Daily'"),
                  QStringLiteral("QSpinBox 'Weekly'"),
                  QStringLiteral("QSpinBox 'Monthly'"),
                  QStringLiteral("QSpinBox 'Yearly'"),
                  QStringLiteral("QLineEdit 'Keep all within'"),
                  QStringLiteral("QComboBox 'Archive to'"),
                  QStringLiteral("QPushButton \"Save\""),
                  QStringLiteral("QPushButton \"&Test\""),
                  QStringLiteral("QPushButton \"Cancel\""),
              },
              QStringList{
                  QStringLiteral("&Name: -> QLineEdit 'Storage name'"),
                  QStringLiteral("&Kind: -> QComboBox 'Storage kind'"),
                  QStringLiteral("&Folder: -> QLineEdit 'Folder'"),
                  QStringLiteral("&Endpoint: -> QLineEdit 'Endpoint'"),
                  QStringLiteral("&Bucket: -> QLineEdit 'Bucket'"),
                  QStringLiteral("&Region: -> QLineEdit 'Region'"),
                  QStringLiteral("&Prefix: -> QLineEdit 'Prefix'"),
                  QStringLiteral("&Access key ID: -> QLineEdit 'Access key ID'"),
                  QStringLiteral("&Secret key: -> QLineEdit 'Secret key' (secret)"),
                  QStringLiteral("AWS &profile: -> QLineEdit 'AWS profile'"),
                  QStringLiteral("Storage &class: -> QComboBox 'Storage class'"),
                  QStringLiteral("Keep &last: -> QSpinBox 'Keep last'"),
                  QStringLiteral("&Hourly: -> QSpinBox 'Hourly'"),
                  QStringLiteral("&Daily: -> QSpinBox 'Daily'"),
                  QStringLiteral("&Weekly: -> QSpinBox 'Weekly'"),
                  QStringLiteral("&Monthly: -> QSpinBox 'Monthly'"),
                  QStringLiteral("&Yearly: -> QSpinBox 'Yearly'"),
                  QStringLiteral("Keep all &within: -> QLineEdit 'Keep all within'"),
                  QStringLiteral("&Archive to: -> QComboBox 'Archive to'"),
              },
              kind == QLatin1String("s3") ? QSize(515, 661) : QSize(515, 661));
    }

    void notificationEditor() {
        NotifierRecord n;
        n.name = QStringLiteral("ops");
        n.kind = QStringLiteral("smtp");
        n.url = QStringLiteral("smtp://mail.example.com:587");
        NotificationDialog d(m_ctx.get(), n);
        check(&d, QStringLiteral("editor-notification.png"),
              QStringList{
                  QStringLiteral("QLineEdit 'Channel name'"),
                  QStringLiteral("QComboBox 'Channel kind'"),
                  QStringLiteral("QLineEdit 'Webhook URL'"),
                  QStringLiteral("QLineEdit 'SMTP host'"),
                  QStringLiteral("QSpinBox 'SMTP port'"),
                  QStringLiteral("QComboBox 'TLS mode'"),
                  QStringLiteral("QLineEdit 'Sender address'"),
                  QStringLiteral("QLineEdit 'Recipient addresses'"),
                  QStringLiteral("QLineEdit 'SMTP user'"),
                  QStringLiteral("QLineEdit 'SMTP password' (secret)"),
                  QStringLiteral("QLineEdit 'CA certificate file'"),
                  QStringLiteral("QPushButton \"Browse…\""),
                  QStringLiteral("QComboBox 'When to notify'"),
                  QStringLiteral("QListWidget 'Sources to notify about'"),
                  QStringLiteral("QPushButton 'Send a test notification' \"&Send test\""),
                  QStringLiteral("QPushButton \"Save\""),
                  QStringLiteral("QPushButton \"Cancel\""),
              },
              QStringList{
                  QStringLiteral("&Name: -> QLineEdit 'Channel name'"),
                  QStringLiteral("&Kind: -> QComboBox 'Channel kind'"),
                  QStringLiteral("&URL: -> QLineEdit 'Webhook URL'"),
                  QStringLiteral("&Host: -> QLineEdit 'SMTP host'"),
                  QStringLiteral("&TLS: -> QComboBox 'TLS mode'"),
                  QStringLiteral("&From: -> QLineEdit 'Sender address'"),
                  QStringLiteral("T&o: -> QLineEdit 'Recipient addresses'"),
                  QStringLiteral("&User: -> QLineEdit 'SMTP user'"),
                  QStringLiteral("&Password: -> QLineEdit 'SMTP password' (secret)"),
                  QStringLiteral("&CA file: -> QLineEdit 'CA certificate file'"),
                  QStringLiteral("&When: -> QComboBox 'When to notify'"),
                  QStringLiteral("&About: -> QListWidget 'Sources to notify about'"),
              },
              QSize(436, 469));
    }
};

QTEST_MAIN(TestGuiEditorForms)
#include "tst_gui_editorforms.moc"
