#pragma once

#include <QJsonArray>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace lifeboat {

class AppContext;

// Encryption keys (age X25519): generate a key pair into the keychain (identity/NAME, as `lifeboatctl keygen
// --store NAME`) or into a new 0600 file (as `keygen --out FILE`), import an identity file, copy or export the
// public key, and see which recipients each profile encrypts to. Only public keys and where each identity lives
// are kept in the settings (option "ageKeys"); the secret half never is.
class KeysPanel : public QWidget {
    Q_OBJECT
public:
    explicit KeysPanel(AppContext *ctx, QWidget *parent = nullptr);

    QListWidget *keyList() const { return m_keys; }
    QLineEdit *nameField() const { return m_name; }
    QPushButton *generateToKeychainButton() const { return m_genStore; }
    QPushButton *generateToFileButton() const { return m_genFile; }
    QPushButton *importButton() const { return m_import; }
    QPushButton *copyButton() const { return m_copy; }
    QPushButton *exportButton() const { return m_export; }
    QLabel *resultLabel() const { return m_result; }
    QLabel *recipientsLabel() const { return m_recipients; }

    // The public key of the selected (or only) key; empty when none.
    QString selectedRecipient() const;

public slots:
    void generateToKeychain();
    void generateToFile();
    void importIdentity();
    void copyPublicKey();
    void exportPublicKey();

signals:
    // A key was generated, imported or exported (ok), or that failed (message says why).
    void finished(bool ok, const QString &message);

private:
    void reload();
    void remember(const QString &name, const QString &recipient, const QString &where, const QString &file);
    void report(bool ok, const QString &message);

    AppContext *m_ctx;
    QListWidget *m_keys;
    QLineEdit *m_name;
    QPushButton *m_genStore;
    QPushButton *m_genFile;
    QPushButton *m_import;
    QPushButton *m_copy;
    QPushButton *m_export;
    QLabel *m_result;
    QLabel *m_recipients;
};

} // namespace lifeboat
