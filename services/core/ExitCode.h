#pragma once

#include <QString>

namespace lifeboat {

// Exit codes shared by every lifeboatctl command (ARCHITECTURE.md); services report failures in these terms so
// the CLI and the GUI classify an error the same way.
enum class ExitCode : int {
    Ok = 0,
    PgTool = 1,    // pg_dump/pg_restore/psql or the server failed
    Transfer = 2,  // storage or network failure
    Usage = 3,     // usage or configuration error
    Integrity = 4, // checksum, decryption or verification failure
    Cancelled = 5,
    Refused = 6, // a safety check refused
};

// A failure with the class that decides the exit code and a message written for the operator.
struct Error {
    ExitCode code = ExitCode::Ok;
    QString message;

    bool isError() const { return code != ExitCode::Ok; }
    explicit operator bool() const { return isError(); }
    static Error none() { return {}; }
};

inline int toInt(ExitCode c) {
    return static_cast<int>(c);
}

} // namespace lifeboat
