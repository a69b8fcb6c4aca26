#pragma once

#include "restore/VerifyReport.h"

#include <QWizardPage>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace lifeboat {

class RestoreWizard;

// Step 6: the outcome, and a verification of the restored database (RestoredTargetCheck: the restore's own result
// and every restored table's row count against the manifest, read from the target), exportable as JSON or a
// self-contained HTML page into a folder chosen through the FileDialog seam.
class RestoreReportPage : public QWizardPage {
    Q_OBJECT
public:
    explicit RestoreReportPage(RestoreWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;

    bool isReady() const { return m_ready; }
    const VerifyReport &report() const { return m_report; }
    QLabel *outcomeLabel() const { return m_outcome; }
    QTreeWidget *checkList() const { return m_list; }
    QPushButton *exportHtmlButton() const { return m_html; }
    QPushButton *exportJsonButton() const { return m_json; }
    QLabel *exportLabel() const { return m_exported; }

signals:
    void reportReady(bool passed);
    void exported(const QString &path);

private:
    void show();
    void exportAs(bool html);

    RestoreWizard *m_wizard;
    QLabel *m_outcome;
    QTreeWidget *m_list;
    QPushButton *m_html;
    QPushButton *m_json;
    QLabel *m_exported;
    VerifyReport m_report;
    bool m_ready = false;
    int m_generation = 0;
};

} // namespace lifeboat
