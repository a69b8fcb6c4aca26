// Secret changes in the audit trail (issue 18, part 4): each place lifeboatctl sets or removes a secret — a profile
// password, an S3 secret key, an SMTP password, a stored age identity, their removal with the item — writes one
// `secret.set` / `secret.remove` row whose target is the secret's key name. The values appear nowhere in the
// audit_log table (read straight from the SQLite file, not only through `audit`). Uses the encrypted-file secret
// store, so no keychain and no server is needed.
#include "TestEnv.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

class TstSecretAuditCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_home;
    QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();

    TestEnv::Run ctl(const QStringList &args, const QByteArray &in = {}) {
        return TestEnv::ctl(m_home, args, in, m_env);
    }
    QList<QJsonObject> rows(const QString &action) {
        const auto r = ctl({QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("--action"), action});
        if (r.exitCode != 0)
            qWarning("audit: %s", r.err.constData());
        QList<QJsonObject> out;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array())
            out << v.toObject();
        return out;
    }
    static int countFor(const QList<QJsonObject> &rows, const QString &target) {
        int n = 0;
        for (const QJsonObject &o : rows)
            n += o.value(QStringLiteral("target")).toString() == target ? 1 : 0;
        return n;
    }
    // Every column of every audit row, as stored.
    QString rawAuditLog() {
        QString text;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(m_home + QStringLiteral("/catalog.sqlite"));
            if (!db.open())
                return {};
            QSqlQuery q(db);
            q.exec(QStringLiteral("SELECT * FROM audit_log"));
            while (q.next())
                for (int i = 0; i < q.record().count(); ++i)
                    text += q.value(i).toString() + QLatin1Char('|');
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        return text;
    }

private slots:
    void initTestCase() {
        m_home = m_tmp.filePath(QStringLiteral("home"));
        m_env.insert(QStringLiteral("LIFEBOAT_SECRETS_PASSPHRASE"), QStringLiteral("audit-store-passphrase"));
        const auto r = ctl({QStringLiteral("secrets"), QStringLiteral("use"), QStringLiteral("file")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void secretChangesAreRowsWithoutTheirValues() {
        const QString profilePw = QStringLiteral("Pw-profile-7f3a91");
        const QString s3Secret = QStringLiteral("S3secret-c0ffee42d00d");
        const QString smtpPw = QStringLiteral("Smtp-pass-5ee1e5");
        auto r =
            ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=1 dbname=shop"), QStringLiteral("--password-stdin")},
                profilePw.toUtf8() + '\n');
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("storage"), QStringLiteral("add"), QStringLiteral("cold"), QStringLiteral("--s3"),
                 QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--bucket"),
                 QStringLiteral("b"), QStringLiteral("--path-style"), QStringLiteral("--access-key-id"),
                 QStringLiteral("AKIDEXAMPLE"), QStringLiteral("--secret-stdin")},
                s3Secret.toUtf8() + '\n');
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("notify"), QStringLiteral("add"), QStringLiteral("mail"), QStringLiteral("--smtp"),
                 QStringLiteral("smtp://127.0.0.1:1"), QStringLiteral("--from"), QStringLiteral("a@example.org"),
                 QStringLiteral("--to"), QStringLiteral("b@example.org"), QStringLiteral("--tls"),
                 QStringLiteral("none"), QStringLiteral("--user"), QStringLiteral("u"),
                 QStringLiteral("--password-stdin")},
                smtpPw.toUtf8() + '\n');
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ctl({QStringLiteral("--json"), QStringLiteral("keygen"), QStringLiteral("--store"),
                 QStringLiteral("drillkey")});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        QList<QJsonObject> set = rows(QStringLiteral("secret.set"));
        QCOMPARE(countFor(set, QStringLiteral("profile/shop/password")), 1);
        QCOMPARE(countFor(set, QStringLiteral("storage/cold/secret")), 1);
        QCOMPARE(countFor(set, QStringLiteral("smtp/mail")), 1);
        QCOMPARE(countFor(set, QStringLiteral("identity/drillkey")), 1);
        for (const QJsonObject &o : set) {
            QCOMPARE(o.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
            QCOMPARE(o.value(QStringLiteral("program")).toString(), QStringLiteral("cli"));
            QCOMPARE(o.value(QStringLiteral("user")).toString(), QString::fromLocal8Bit(getpwuid(geteuid())->pw_name));
        }
        QVERIFY(rows(QStringLiteral("secret.remove")).isEmpty());

        // Changing a password is a row too.
        r = ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("shop"), QStringLiteral("--conninfo"),
                 QStringLiteral("host=127.0.0.1 port=1 dbname=shop"), QStringLiteral("--password-stdin")},
                QByteArray("Pw-profile-second-91\n"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(countFor(rows(QStringLiteral("secret.set")), QStringLiteral("profile/shop/password")), 2);

        // Removing the items removes their secrets: one row each. A profile without a password removes nothing.
        r = ctl({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("plain"),
                 QStringLiteral("--conninfo"), QStringLiteral("host=127.0.0.1 port=1 dbname=plain")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QStringList &args :
             QList<QStringList>{{QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("shop")},
                                {QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("plain")},
                                {QStringLiteral("storage"), QStringLiteral("remove"), QStringLiteral("cold")},
                                {QStringLiteral("notify"), QStringLiteral("remove"), QStringLiteral("mail")}}) {
            r = ctl(args);
            QVERIFY2(r.exitCode == 0,
                     qPrintable(args.join(QLatin1Char(' ')) + QLatin1String(": ") + QString::fromUtf8(r.err)));
        }
        const QList<QJsonObject> removed = rows(QStringLiteral("secret.remove"));
        QCOMPARE(countFor(removed, QStringLiteral("profile/shop/password")), 1);
        QCOMPARE(countFor(removed, QStringLiteral("storage/cold/secret")), 1);
        QCOMPARE(countFor(removed, QStringLiteral("smtp/mail")), 1);
        QCOMPARE(countFor(removed, QStringLiteral("profile/plain/password")), 0);
        QCOMPARE(removed.size(), 3);

        const QString raw = rawAuditLog();
        QVERIFY(raw.contains(QLatin1String("profile/shop/password")));
        for (const QString &value :
             {profilePw, s3Secret, smtpPw, QStringLiteral("Pw-profile-second-91"), QStringLiteral("AGE-SECRET-KEY")})
            QVERIFY2(!raw.contains(value, Qt::CaseInsensitive), qPrintable(value));
    }
};

QTEST_GUILESS_MAIN(TstSecretAuditCli)
#include "tst_secret_audit_cli.moc"
