#include "ui/SchedulesPage.h"

#include "ui/PlaceholderPage.h"

#include <QVBoxLayout>

namespace lifeboat {

SchedulesPage::SchedulesPage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(new PlaceholderPage(
        QStringLiteral(":/icons/schedules.svg"), tr("Schedules"),
        tr("Run backups on a cron schedule with a readable preview of the next runs, and keep daily, weekly and "
           "monthly copies with a retention policy that shows what it would delete and why."),
        this));
}

} // namespace lifeboat
