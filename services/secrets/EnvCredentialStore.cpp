#include "secrets/EnvCredentialStore.h"

namespace lifeboat {

EnvCredentialStore::EnvCredentialStore(const QString &defaultVariable, const QProcessEnvironment &env)
    : m_default(defaultVariable)
    , m_env(env) {}

bool EnvCredentialStore::isValidName(const QString &variable) {
    if (variable.isEmpty() || variable.front().isDigit())
        return false;
    for (const QChar c : variable) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('_'))
            return false;
    }
    return true;
}

std::optional<QString> EnvCredentialStore::read(const QString &key) {
    const QString variable = m_bindings.value(key, m_default);
    if (variable.isEmpty()) {
        setError(ExitCode::Usage,
                 QStringLiteral("no environment variable is named for '%1' (use --secret-env NAME)").arg(key),
                 Failure::NotFound);
        return std::nullopt;
    }
    if (!isValidName(variable)) {
        setError(ExitCode::Usage,
                 QStringLiteral("'%1' is not a valid environment variable name (letters, digits and _)").arg(variable),
                 Failure::Failed);
        return std::nullopt;
    }
    if (!m_env.contains(variable)) {
        setError(ExitCode::Usage,
                 QStringLiteral("environment variable %1 (named by --secret-env) is not set").arg(variable),
                 Failure::NotFound);
        return std::nullopt;
    }
    const QString value = m_env.value(variable);
    if (value.isEmpty()) {
        setError(ExitCode::Usage,
                 QStringLiteral("environment variable %1 (named by --secret-env) is empty").arg(variable),
                 Failure::NotFound);
        return std::nullopt;
    }
    clearError();
    return value;
}

bool EnvCredentialStore::write(const QString &key, const QString &) {
    setError(ExitCode::Usage,
             QStringLiteral("cannot store the secret for '%1': environment variables are read-only; use the "
                            "keychain")
                 .arg(key),
             Failure::ReadOnly);
    return false;
}

bool EnvCredentialStore::remove(const QString &key) {
    setError(ExitCode::Usage,
             QStringLiteral("cannot remove the secret for '%1': it comes from an environment variable").arg(key),
             Failure::ReadOnly);
    return false;
}

} // namespace lifeboat
