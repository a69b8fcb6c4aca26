#include "ui/restore/RestorePage.h"

#include "ui/restore/RestoreRunPage.h"
#include "ui/restore/RestoreWizard.h"
#include "ui/widgets/MessageBox.h"

#include <QVBoxLayout>

namespace lifeboat {

RestorePage::RestorePage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    newWizard();
}

void RestorePage::newWizard() {
    if (m_wizard) {
        m_wizard->hide();
        m_wizard->deleteLater();
    }
    m_wizard = new RestoreWizard(m_ctx, this);
    // Embedded in the page rather than a window of its own.
    m_wizard->setWindowFlags(Qt::Widget);
    layout()->addWidget(m_wizard);
    m_wizard->show();
    // Finish or Cancel: start over with an empty wizard.
    connect(
        m_wizard, &QDialog::finished, this, [this] { newWizard(); }, Qt::QueuedConnection);
    emit wizardReplaced(m_wizard);
}

void RestorePage::openWith(const QString &spec) {
    if (m_wizard->currentId() == RestoreWizard::RunId && m_wizard->runPage()->isRunning()) {
        MessageBox::information(this, tr("A restore is running"),
                                tr("Wait for the running restore to finish (or cancel it) before starting another "
                                   "one from %1.")
                                    .arg(spec));
        return;
    }
    if (m_wizard->currentId() != RestoreWizard::ChooseId)
        newWizard();
    m_wizard->openWith(spec);
}

} // namespace lifeboat
