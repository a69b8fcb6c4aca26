#include "pitr/RecoverySettings.h"

#include <QFile>

namespace lifeboat {

bool RecoverySettings::writeMissingConfig(const QString &dataDir, const std::function<void(const QString &)> &note) {
    const auto writeIfMissing = [&](const QString &name, const QByteArray &text) {
        QFile f(dataDir + QLatin1Char('/') + name);
        if (f.exists())
            return true;
        note(QStringLiteral("the backup has no %1 (the source keeps it outside its data directory): writing a minimal "
                            "one")
                 .arg(name));
        return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
    };
    return writeIfMissing(QStringLiteral("postgresql.conf"), "# written by lifeboatctl recover\n") &&
           writeIfMissing(QStringLiteral("pg_hba.conf"), "local all all peer\nhost all all 127.0.0.1/32 "
                                                         "scram-sha-256\nhost all all ::1/128 scram-sha-256\n") &&
           writeIfMissing(QStringLiteral("pg_ident.conf"), QByteArray());
}

QStringList RecoverySettings::lines(const QString &header, int port, const QString &socketDir,
                                    const QString &restoreCommand, const QStringList &targetSettings) {
    QStringList settings{
        header,
        QStringLiteral("port = %1").arg(port),
        QStringLiteral("listen_addresses = 'localhost'"),
        QStringLiteral("unix_socket_directories = %1").arg(quote(socketDir)),
        // The copy must never archive into the source's archive or stream from the source.
        QStringLiteral("archive_mode = 'off'"),
        QStringLiteral("primary_conninfo = ''"),
        QStringLiteral("primary_slot_name = ''"),
        QStringLiteral("restore_command = %1").arg(quote(restoreCommand)),
        QStringLiteral("recovery_target_action = 'promote'"),
        QStringLiteral("recovery_target_timeline = 'latest'"),
        QStringLiteral("hot_standby = 'on'"),
        // Read by Lifeboat (RecoveryLog); a workstation's settings, whatever the server used.
        QStringLiteral("lc_messages = 'C'"),
        QStringLiteral("logging_collector = 'off'"),
        QStringLiteral("log_destination = 'stderr'"),
        QStringLiteral("shared_buffers = '128MB'"),
        QStringLiteral("ssl = 'off'"),
    };
    settings += targetSettings;
    return settings;
}

Error RecoverySettings::write(const QString &dataDir, const QStringList &lines) {
    QFile autoConf(dataDir + QStringLiteral("/postgresql.auto.conf"));
    if (!autoConf.open(QIODevice::Append | QIODevice::WriteOnly) ||
        autoConf.write(QByteArray("\n") + lines.join(QLatin1Char('\n')).toUtf8() + "\n") < 0)
        return {ExitCode::Usage, QStringLiteral("cannot write %1").arg(autoConf.fileName())};
    autoConf.close();
    QFile signal(dataDir + QStringLiteral("/recovery.signal"));
    QFile::remove(dataDir + QStringLiteral("/standby.signal"));
    if (!signal.open(QIODevice::WriteOnly))
        return {ExitCode::Usage, QStringLiteral("cannot write %1").arg(signal.fileName())};
    signal.close();
    return {};
}

QString RecoverySettings::quote(const QString &value) {
    QString q = value;
    q.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

} // namespace lifeboat
