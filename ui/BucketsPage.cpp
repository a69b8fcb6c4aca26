#include "ui/BucketsPage.h"

#include "ui/PlaceholderPage.h"

#include <QVBoxLayout>

namespace lifeboat {

BucketsPage::BucketsPage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(new PlaceholderPage(
        QStringLiteral(":/icons/buckets.svg"), tr("Buckets"),
        tr("Browse what is stored in each storage — folders, sizes and dates — download several artifacts at once, "
           "copy presigned links, delete with confirmation, restore a recognized artifact and import artifacts the "
           "catalog does not know yet."),
        this));
}

} // namespace lifeboat
