#pragma once

#include "core/CredentialStore.h"

#include <QHash>
#include <QProcessEnvironment>

#include <optional>

namespace lifeboat {

// Secrets from environment variables the user names (`--secret-env NAME`, for cron and CI). Read-only: nothing
// is ever written to the environment or to disk. A key is answered by the variable bound to it with bind(), or
// else by the default variable; with neither, the key is NotFound.
class EnvCredentialStore : public CredentialStore {
public:
    explicit EnvCredentialStore(const QString &defaultVariable = {},
                                const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

    // Answers `key` from `variable`.
    void bind(const QString &key, const QString &variable) { m_bindings.insert(key, variable); }

    // A portable environment variable name: letters, digits and '_', not starting with a digit.
    static bool isValidName(const QString &variable);

    QString backendName() const override { return QStringLiteral("environment variable"); }
    bool isPersistent() const override { return false; }
    std::optional<QString> read(const QString &key) override;
    bool write(const QString &key, const QString &secret) override;
    bool remove(const QString &key) override;

private:
    QString m_default;
    QProcessEnvironment m_env;
    QHash<QString, QString> m_bindings;
};

} // namespace lifeboat
