#pragma once

#include <QString>
#include <QStringList>

namespace lifeboat {

// The OS scheduler entries that call `lifeboatctl run-due` every minute (`schedule install`). `command` is the
// program and its arguments before `run-due` (lifeboatctl's absolute path, --home DIR). Text only: writing and
// registering them is the CLI's job, so the macOS and Windows forms are checked by content on any machine.
class RunnerUnits {
public:
    static constexpr const char *kLaunchdLabel = "org.lifeboat.run-due";
    static constexpr const char *kTaskName = "Lifeboat\\RunDue";

    // A LaunchAgent property list: StartInterval 60, output appended to `logFile`.
    static QString launchdPlist(const QStringList &command, const QString &logFile);
    // A Task Scheduler 1.2 task: every minute from `start` (local time, "2026-01-01T00:00:00"), only while the user
    // is logged on (the user's Credential Manager holds the secrets), a new run skipped while one still runs.
    static QString schtasksXml(const QStringList &command, const QString &start);
    // The line that registers it: schtasks /Create /TN Lifeboat\RunDue /XML "FILE" /F
    static QString schtasksCreateLine(const QString &xmlFile);
    // Windows command-line quoting (CommandLineToArgvW rules): quotes when needed, backslashes before a quote
    // doubled, quotes escaped.
    static QString windowsQuote(const QString &arg);
    static QString xmlEscape(const QString &text);

    // A systemd user service keeping `wal receive PROFILE` running (issue 17): restarted when it ends, stopped with
    // SIGTERM and given time to store what it received. `command` as above; the unit's file name is
    // walReceiveUnitName(profile).
    static QString walReceiveService(const QStringList &command, const QString &profile);
    static QString walReceiveUnitName(const QString &profile);
};

} // namespace lifeboat
