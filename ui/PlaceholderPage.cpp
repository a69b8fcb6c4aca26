#include "ui/PlaceholderPage.h"

#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

namespace lifeboat {

PlaceholderPage::PlaceholderPage(const QString &icon, const QString &title, const QString &promise, QWidget *parent)
    : QWidget(parent) {
    auto *l = new QVBoxLayout(this);
    l->addStretch(1);
    auto *img = new QLabel(this);
    img->setPixmap(QIcon(icon).pixmap(56, 56));
    img->setAlignment(Qt::AlignCenter);
    l->addWidget(img);
    auto *t = new QLabel(title, this);
    QFont f = t->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    t->setFont(f);
    t->setAlignment(Qt::AlignCenter);
    l->addWidget(t);
    auto *p = new QLabel(promise, this);
    p->setWordWrap(true);
    p->setAlignment(Qt::AlignCenter);
    p->setFixedWidth(600);
    l->addWidget(p, 0, Qt::AlignHCenter);
    auto *later = new QLabel(tr("This page is not available yet; it arrives in a later version of Lifeboat."), this);
    later->setAlignment(Qt::AlignCenter);
    later->setEnabled(false);
    l->addWidget(later);
    l->addStretch(2);
    setAccessibleName(title);
}

} // namespace lifeboat
