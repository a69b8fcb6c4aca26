#pragma once

#include "core/CredentialStore.h"

#include <QHash>
#include <QIODevice>

#include <optional>

namespace lifeboat {

// "Ask every time": the fallback when there is no keychain. A secret is asked for once per process and kept in
// memory only; nothing is ever written anywhere.
//
// Where answers come from:
//   * a QIODevice given to the constructor (one line per secret), or else
//   * standard input: when it is a terminal, the prompt goes to /dev/tty (stderr if that cannot be opened) and the
//     terminal's echo is switched off while the line is typed; when it is a pipe or file (cron, `--secret-stdin`),
//     one line is read per secret without any prompt, byte by byte so nothing after that line is consumed.
// Trailing "\n" / "\r\n" are stripped. An empty line or end of input means "declined" (Failure::Declined).
// write() keeps the secret in memory for this process only and says so in notice(); remove() forgets it.
// Blocking: reads block the calling thread until a line arrives; never use it on the GUI thread.
class PromptCredentialStore : public CredentialStore {
public:
    explicit PromptCredentialStore(QIODevice *input = nullptr);

    QString backendName() const override { return QStringLiteral("ask every time (not stored)"); }
    bool isPersistent() const override { return false; }
    std::optional<QString> read(const QString &key) override;
    bool write(const QString &key, const QString &secret) override;
    bool remove(const QString &key) override;

    // What the last write() did, for the user: secrets given here are not saved.
    QString notice() const { return m_notice; }

    // The prompt shown on a terminal for `key`.
    static QString promptFor(const QString &key);

private:
    std::optional<QByteArray> readLineFromDevice();
    std::optional<QByteArray> readLineFromStdin(const QString &prompt);

    QIODevice *m_input;
    QHash<QString, QString> m_cache;
    QString m_notice;
};

} // namespace lifeboat
