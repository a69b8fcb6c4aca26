#pragma once

#include <QWidget>

namespace lifeboat {

class AppContext;
class RestoreWizard;

// The Restore page hosts the restore wizard. A finished or cancelled wizard is replaced by a fresh one; a
// request to restore something else while a restore runs leaves the running one alone and says so.
class RestorePage : public QWidget {
    Q_OBJECT
public:
    explicit RestorePage(AppContext *ctx, QWidget *parent = nullptr);

    // Starts the wizard on a restore source: a catalog id ("42") or a file path, as RestoreSource::open takes.
    void openWith(const QString &spec);

    RestoreWizard *wizard() const { return m_wizard; }

signals:
    void wizardReplaced(lifeboat::RestoreWizard *wizard);

private:
    void newWizard();

    AppContext *m_ctx;
    RestoreWizard *m_wizard = nullptr;
};

} // namespace lifeboat
