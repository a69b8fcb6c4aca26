#include "ui/buckets/BucketBreadcrumb.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace lifeboat {

BucketBreadcrumb::BucketBreadcrumb(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QHBoxLayout(this)) {
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    m_layout->addStretch(1);
    setAccessibleName(tr("Location in the bucket"));
}

void BucketBreadcrumb::setPath(const QString &rootLabel, const QString &root, const QString &prefix) {
    qDeleteAll(m_buttons);
    qDeleteAll(m_separators);
    m_buttons.clear();
    m_separators.clear();
    m_prefixes.clear();

    QStringList labels{rootLabel};
    m_prefixes << root;
    const QString rest = prefix.startsWith(root) ? prefix.mid(root.size()) : QString();
    QString acc = root;
    for (const QString &part : rest.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        acc += part + QLatin1Char('/');
        labels << part;
        m_prefixes << acc;
    }
    for (int i = 0; i < labels.size(); ++i) {
        if (i > 0) {
            auto *sep = new QLabel(QStringLiteral("›"), this);
            sep->setAccessibleName(QString());
            m_layout->insertWidget(m_layout->count() - 1, sep);
            m_separators << sep;
        }
        auto *b = new QToolButton(this);
        b->setText(labels[i]);
        b->setAutoRaise(true);
        b->setFocusPolicy(Qt::TabFocus);
        const bool current = i == labels.size() - 1;
        b->setAccessibleName(current ? tr("Current folder %1").arg(labels[i]) : tr("Open folder %1").arg(labels[i]));
        b->setToolTip(m_prefixes[i].isEmpty() ? tr("The whole bucket") : m_prefixes[i]);
        if (current) {
            QFont f = b->font();
            f.setBold(true);
            b->setFont(f);
        }
        const QString target = m_prefixes[i];
        connect(b, &QToolButton::clicked, this, [this, target] { emit prefixActivated(target); });
        m_layout->insertWidget(m_layout->count() - 1, b);
        m_buttons << b;
    }
}

} // namespace lifeboat
