#include "schedule/RunnerUnits.h"

#include <QRegularExpression>

namespace lifeboat {

QString RunnerUnits::xmlEscape(const QString &text) {
    return text.toHtmlEscaped().replace(QLatin1Char('\''), QLatin1String("&apos;"));
}

QString RunnerUnits::windowsQuote(const QString &arg) {
    if (!arg.isEmpty() && !arg.contains(QRegularExpression(QStringLiteral("[\\s\"]"))))
        return arg;
    QString out = QStringLiteral("\"");
    int backslashes = 0;
    for (const QChar c : arg) {
        if (c == QLatin1Char('\\')) {
            ++backslashes;
            continue;
        }
        if (c == QLatin1Char('"')) {
            out += QString(backslashes * 2 + 1, QLatin1Char('\\'));
            out += c;
        } else {
            out += QString(backslashes, QLatin1Char('\\'));
            out += c;
        }
        backslashes = 0;
    }
    out += QString(backslashes * 2, QLatin1Char('\\'));
    out += QLatin1Char('"');
    return out;
}

QString RunnerUnits::launchdPlist(const QStringList &command, const QString &logFile) {
    QString args;
    for (const QString &a : command + QStringList{QStringLiteral("run-due")})
        args += QStringLiteral("        <string>%1</string>\n").arg(xmlEscape(a));
    return QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                          "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                          "<plist version=\"1.0\">\n"
                          "<dict>\n"
                          "    <key>Label</key>\n"
                          "    <string>%1</string>\n"
                          "    <key>ProgramArguments</key>\n"
                          "    <array>\n"
                          "%2"
                          "    </array>\n"
                          "    <key>StartInterval</key>\n"
                          "    <integer>60</integer>\n"
                          "    <key>RunAtLoad</key>\n"
                          "    <true/>\n"
                          "    <key>ProcessType</key>\n"
                          "    <string>Background</string>\n"
                          "    <key>StandardOutPath</key>\n"
                          "    <string>%3</string>\n"
                          "    <key>StandardErrorPath</key>\n"
                          "    <string>%3</string>\n"
                          "</dict>\n"
                          "</plist>\n")
        .arg(QLatin1String(kLaunchdLabel), args, xmlEscape(logFile));
}

QString RunnerUnits::schtasksXml(const QStringList &command, const QString &start) {
    QStringList rest;
    for (const QString &a : command.mid(1) + QStringList{QStringLiteral("run-due")})
        rest << windowsQuote(a);
    return QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
                          "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n"
                          "  <RegistrationInfo>\n"
                          "    <Description>Lifeboat: run due backup schedules every minute</Description>\n"
                          "    <URI>\\%1</URI>\n"
                          "  </RegistrationInfo>\n"
                          "  <Triggers>\n"
                          "    <TimeTrigger>\n"
                          "      <Repetition>\n"
                          "        <Interval>PT1M</Interval>\n"
                          "        <StopAtDurationEnd>false</StopAtDurationEnd>\n"
                          "      </Repetition>\n"
                          "      <StartBoundary>%2</StartBoundary>\n"
                          "      <Enabled>true</Enabled>\n"
                          "    </TimeTrigger>\n"
                          "  </Triggers>\n"
                          "  <Principals>\n"
                          "    <Principal id=\"Author\">\n"
                          "      <LogonType>InteractiveToken</LogonType>\n"
                          "      <RunLevel>LeastPrivilege</RunLevel>\n"
                          "    </Principal>\n"
                          "  </Principals>\n"
                          "  <Settings>\n"
                          "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\n"
                          "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>\n"
                          "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>\n"
                          "    <StartWhenAvailable>true</StartWhenAvailable>\n"
                          "    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>\n"
                          "    <Enabled>true</Enabled>\n"
                          "  </Settings>\n"
                          "  <Actions Context=\"Author\">\n"
                          "    <Exec>\n"
                          "      <Command>%3</Command>\n"
                          "      <Arguments>%4</Arguments>\n"
                          "    </Exec>\n"
                          "  </Actions>\n"
                          "</Task>\n")
        .arg(xmlEscape(QLatin1String(kTaskName)), xmlEscape(start), xmlEscape(command.value(0)),
             xmlEscape(rest.join(QLatin1Char(' '))));
}

QString RunnerUnits::schtasksCreateLine(const QString &xmlFile) {
    // Windows paths cannot hold a double quote, so plain quoting is exact.
    return QStringLiteral("schtasks /Create /TN %1 /XML \"%2\" /F").arg(QLatin1String(kTaskName), xmlFile);
}

QString RunnerUnits::walReceiveUnitName(const QString &profile) {
    // Profile names are letters, digits, '.', '_' and '-' (ConfigStore::isValidName): valid in a unit name as they are.
    return QStringLiteral("lifeboat-wal-receive-%1.service").arg(profile);
}

QString RunnerUnits::walReceiveService(const QStringList &command, const QString &profile) {
    QStringList quoted;
    for (const QString &a : command)
        quoted << (a.contains(QLatin1Char(' ')) ? QLatin1Char('"') + a + QLatin1Char('"') : a);
    // Restart=always: the receiver itself restarts pg_receivewal after network loss; this covers the receiver
    // failing (a storage refusing for minutes) and reboots. TimeoutStopSec leaves room to store the spool on stop.
    return QStringLiteral("[Unit]\nDescription=Lifeboat: continuous WAL capture of profile %2\n"
                          "After=network-online.target\nWants=network-online.target\n\n"
                          "[Service]\nType=simple\nExecStart=%1 wal receive %2\nRestart=always\nRestartSec=10\n"
                          "KillSignal=SIGTERM\nTimeoutStopSec=300\n\n[Install]\nWantedBy=default.target\n")
        .arg(quoted.join(QLatin1Char(' ')), profile);
}

} // namespace lifeboat
