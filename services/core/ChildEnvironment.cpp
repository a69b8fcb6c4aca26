#include "core/ChildEnvironment.h"

#include <QMutex>
#include <QMutexLocker>

namespace lifeboat {

namespace {
QMutex g_mutex;
QStringList &knownSecrets() {
    static QStringList secrets;
    return secrets;
}
} // namespace

void ChildEnvironment::registerSecret(const QString &secret) {
    if (secret.size() < 4) // too short to search for without removing half the environment
        return;
    QMutexLocker lock(&g_mutex);
    if (!knownSecrets().contains(secret))
        knownSecrets() << secret;
}

QProcessEnvironment ChildEnvironment::minimal() {
    const QProcessEnvironment all = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    for (const QString &var : all.keys()) {
        static const QStringList keep{QStringLiteral("PATH"),    QStringLiteral("HOME"),       QStringLiteral("USER"),
                                      QStringLiteral("LOGNAME"), QStringLiteral("LANG"),       QStringLiteral("TZ"),
                                      QStringLiteral("TMPDIR"),  QStringLiteral("SYSTEMROOT"), QStringLiteral("TEMP"),
                                      QStringLiteral("TMP")};
        if (keep.contains(var) || var.startsWith(QLatin1String("LC_")))
            env.insert(var, all.value(var));
    }
    return env;
}

QProcessEnvironment ChildEnvironment::forPgTool(const QStringList &secrets, const QString &pgPassFile) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"PGPASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                             "LIFEBOAT_SECRETS_PASSPHRASE"})
        env.remove(QLatin1String(name));
    QStringList all = secrets;
    {
        QMutexLocker lock(&g_mutex);
        all += knownSecrets();
    }
    for (const QString &var : env.keys()) {
        const QString value = env.value(var);
        for (const QString &secret : std::as_const(all)) {
            if (secret.size() >= 4 && value.contains(secret)) {
                env.remove(var);
                break;
            }
        }
    }
    if (!pgPassFile.isEmpty())
        env.insert(QStringLiteral("PGPASSFILE"), pgPassFile);
    return env;
}

} // namespace lifeboat
