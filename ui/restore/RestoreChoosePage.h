#pragma once

#include <QWizardPage>

class QLineEdit;
class QPushButton;
class QRadioButton;
class QTreeWidget;
class QLabel;

namespace lifeboat {

class RestoreWizard;

// Step 1: which backup. A completed database backup from the catalog (filterable; loaded on the catalog thread),
// a file chosen through the FileDialog seam, or a source preset by openWith() ("42" or a path).
class RestoreChoosePage : public QWizardPage {
    Q_OBJECT
public:
    explicit RestoreChoosePage(RestoreWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    // "42" selects catalog record 42 (loaded if it is not in the list yet); anything else is a file path.
    void preset(const QString &spec);
    QString spec() const;
    bool isLoaded() const { return m_loaded; }

    QTreeWidget *list() const { return m_list; }
    QLineEdit *filterField() const { return m_filter; }
    QLineEdit *fileField() const { return m_file; }
    QRadioButton *fromCatalog() const { return m_fromCatalog; }
    QRadioButton *fromFile() const { return m_fromFile; }
    QPushButton *browseButton() const { return m_browse; }
    QPushButton *setRestoreButton() const { return m_setRestore; } // opens a SetRestoreDialog
    QPushButton *recoverButton() const { return m_recoverPitr; }   // opens a RecoverDialog

protected:
    void showEvent(QShowEvent *event) override;

private:
    void load();
    void applyFilter();
    bool selectId(qint64 id);
    void updateMode();

    RestoreWizard *m_wizard;
    QRadioButton *m_fromCatalog;
    QRadioButton *m_fromFile;
    QLineEdit *m_filter;
    QTreeWidget *m_list;
    QLabel *m_status;
    QLineEdit *m_file;
    QPushButton *m_browse;
    QPushButton *m_setRestore;
    QPushButton *m_recoverPitr;
    bool m_loaded = false;
    bool m_loading = false;
    qint64 m_pendingId = 0;
    bool m_autoAdvance = false; // a preset catalog id moves on once the list has it
};

} // namespace lifeboat
