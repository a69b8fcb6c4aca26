#pragma once

#include <QHash>
#include <QWizardPage>

#include <atomic>
#include <memory>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeView;
class RestorePlanModel;

namespace lifeboat {

class RestoreWizard;

// Step 2: what is in the backup. Details (profile, database, date, size, format, encryption), the archive's
// pg_dump version against the installed client ("install PostgreSQL N client tools" when it is too new) and the
// table of contents as a checkable tree for a selective restore. Encrypted backups take an age identity file, a
// key kept in the credential store, or a passphrase. Inspection runs on a worker; Back cancels it.
class RestoreInspectPage : public QWizardPage {
    Q_OBJECT
public:
    explicit RestoreInspectPage(RestoreWizard *wizard);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;
    bool validatePage() override;

    void inspect();
    void cancelWork();
    bool isBusy() const { return m_busy; }

    RestorePlanModel *planModel() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *versionLabel() const { return m_version; }
    QLineEdit *identityNameField() const { return m_identityName; }
    QLineEdit *passphraseField() const { return m_passphrase; }
    QPushButton *identityFileButton() const { return m_identityFile; }
    QPushButton *inspectButton() const { return m_again; }
    // The detail shown for a field ("profile", "database", "date", "size", "format", "encrypted", "server",
    // "dump", "client").
    QString detail(const QString &field) const;

signals:
    void inspected(bool ok);

private:
    void setDetail(const QString &field, const QString &text);
    void useIdentities();

    RestoreWizard *m_wizard;
    QLabel *m_status;
    QFormLayout *m_form;
    QHash<QString, QLabel *> m_details;
    QLabel *m_version;
    QPushButton *m_identityFile;
    QLineEdit *m_identityName;
    QLineEdit *m_passphrase;
    QPushButton *m_again;
    QLabel *m_identityNote;
    RestorePlanModel *m_model;
    QTreeView *m_tree;
    QLabel *m_selectionNote;
    std::shared_ptr<std::atomic_bool> m_cancel;
    int m_generation = 0;
    bool m_busy = false;
    bool m_ok = false;
    QString m_inspectedSource;
    QByteArray m_identityFileBytes; // the chosen identity file's contents (parsed with the others)
};

} // namespace lifeboat
