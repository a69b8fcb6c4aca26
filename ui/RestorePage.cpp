#include "ui/RestorePage.h"

#include "ui/PlaceholderPage.h"

#include <QVBoxLayout>

namespace lifeboat {

RestorePage::RestorePage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(new PlaceholderPage(
        QStringLiteral(":/icons/restore.svg"), tr("Restore"),
        tr("A step-by-step restore: choose a backup, inspect its contents, pick the target server and database, pass "
           "the safety checks (active connections, production warning, type the database name, safety backup), "
           "watch it run and get a verification report."),
        this));
}

void RestorePage::openWith(const QString &) {}

} // namespace lifeboat
