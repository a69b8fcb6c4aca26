#include "secrets/PromptCredentialStore.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <iterator>
#include <termios.h>
#include <unistd.h>

namespace lifeboat {

namespace {

// The terminal state to put back if the user interrupts the prompt (Ctrl-C): without it the shell would be left
// with echo off. Only one prompt runs at a time, so one saved state suffices.
termios g_savedTerminal{};
int g_terminalFd = -1;
const int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void restoreTerminalAndReraise(int sig) {
    if (g_terminalFd >= 0)
        tcsetattr(g_terminalFd, TCSANOW, &g_savedTerminal); // async-signal-safe
    signal(sig, SIG_DFL);
    raise(sig);
}

// Switches terminal echo off for its lifetime (restored on return and on a terminating signal).
class EchoOff {
public:
    explicit EchoOff(int fd)
        : m_fd(fd) {
        if (tcgetattr(fd, &m_saved) != 0)
            return;
        g_savedTerminal = m_saved;
        g_terminalFd = fd;
        struct sigaction sa {};
        sa.sa_handler = restoreTerminalAndReraise;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < std::size(kSignals); ++i)
            sigaction(kSignals[i], &sa, &m_oldActions[i]);
        termios quiet = m_saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= ECHONL; // still move to the next line on Enter
        m_active = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff() {
        if (m_active)
            tcsetattr(m_fd, TCSAFLUSH, &m_saved);
        if (g_terminalFd == m_fd) {
            for (size_t i = 0; i < std::size(kSignals); ++i)
                sigaction(kSignals[i], &m_oldActions[i], nullptr);
            g_terminalFd = -1;
        }
    }
    EchoOff(const EchoOff &) = delete;
    EchoOff &operator=(const EchoOff &) = delete;

private:
    int m_fd;
    termios m_saved{};
    struct sigaction m_oldActions[std::size(kSignals)]{};
    bool m_active = false;
};

void writeAll(int fd, const QByteArray &data) {
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        done += n;
    }
}

QByteArray chomp(QByteArray line) {
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

PromptCredentialStore::PromptCredentialStore(QIODevice *input)
    : m_input(input) {}

QString PromptCredentialStore::promptFor(const QString &key) {
    return QStringLiteral("Lifeboat: secret for %1 (input hidden, not stored): ").arg(key);
}

std::optional<QByteArray> PromptCredentialStore::readLineFromDevice() {
    if (!m_input->isOpen() && !m_input->open(QIODevice::ReadOnly))
        return std::nullopt;
    while (!m_input->canReadLine() && !m_input->atEnd()) {
        if (!m_input->waitForReadyRead(-1))
            break;
    }
    if (m_input->atEnd() && m_input->bytesAvailable() == 0)
        return std::nullopt;
    return m_input->readLine();
}

std::optional<QByteArray> PromptCredentialStore::readLineFromStdin(const QString &prompt) {
    const bool tty = isatty(STDIN_FILENO) == 1;
    std::optional<EchoOff> quiet;
    if (tty) {
        quiet.emplace(STDIN_FILENO);
        const int ttyFd = ::open("/dev/tty", O_WRONLY | O_CLOEXEC);
        writeAll(ttyFd >= 0 ? ttyFd : STDERR_FILENO, prompt.toLocal8Bit());
        if (ttyFd >= 0)
            ::close(ttyFd);
    }
    QByteArray line;
    for (;;) {
        char c = 0;
        const ssize_t n = ::read(STDIN_FILENO, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return line.isEmpty() ? std::nullopt : std::optional<QByteArray>(line);
        line.append(c);
        if (c == '\n')
            return line;
    }
}

std::optional<QString> PromptCredentialStore::read(const QString &key) {
    if (const auto it = m_cache.constFind(key); it != m_cache.constEnd()) {
        clearError();
        return *it;
    }
    const std::optional<QByteArray> raw = m_input ? readLineFromDevice() : readLineFromStdin(promptFor(key));
    if (!raw) {
        setError(ExitCode::Usage,
                 QStringLiteral("no secret given for '%1': input ended before a line was read").arg(key),
                 Failure::Declined);
        return std::nullopt;
    }
    const QString secret = QString::fromUtf8(chomp(*raw));
    if (secret.isEmpty()) {
        setError(ExitCode::Usage, QStringLiteral("no secret given for '%1': the line was empty").arg(key),
                 Failure::Declined);
        return std::nullopt;
    }
    m_cache.insert(key, secret);
    clearError();
    return secret;
}

bool PromptCredentialStore::write(const QString &key, const QString &secret) {
    m_cache.insert(key, secret);
    m_notice = QStringLiteral("no keychain: the secret for '%1' is kept in memory for this run only and was not "
                              "saved; it will be asked for again next time")
                   .arg(key);
    clearError();
    return true;
}

bool PromptCredentialStore::remove(const QString &key) {
    m_cache.remove(key);
    clearError();
    return true;
}

} // namespace lifeboat
