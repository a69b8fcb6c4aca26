#include "ui/settings/EditorSave.h"

#include "ui/AppContext.h"
#include "ui/widgets/MessageBox.h"

#include <QLabel>
#include <QPointer>

namespace lifeboat {

bool EditorSave::settings(AppContext *ctx, const std::function<void(ConfigStore &)> &change, QLabel *error) {
    QString reason;
    if (ctx->updateConfig(change, &reason))
        return true;
    error->setText(reason);
    return false;
}

void EditorSave::secret(AppContext *ctx, QWidget *owner, const QString &key, const QString &secret,
                        const QString &failureTitle) {
    if (secret.isEmpty())
        return;
    // The owner may be gone (the window closed) before a slow keychain answers.
    ctx->storeSecret(key, secret, [owner = QPointer<QWidget>(owner), failureTitle](const QString &e) {
        if (!e.isEmpty() && owner)
            MessageBox::warning(owner, failureTitle, e);
    });
}

} // namespace lifeboat
