#include "ui/buckets/BucketMessageBar.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace lifeboat {

BucketMessageBar::BucketMessageBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_detailsButton(new QToolButton(this))
    , m_close(new QToolButton(this))
    , m_details(new QPlainTextEdit(this)) {
    setObjectName(QStringLiteral("bucketMessageBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 6, 8, 6);
    auto *row = new QHBoxLayout;
    row->addWidget(m_icon);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    row->addWidget(m_text, 1);
    m_detailsButton->setText(tr("Details"));
    m_detailsButton->setCheckable(true);
    m_detailsButton->setAccessibleName(tr("Show details"));
    row->addWidget(m_detailsButton);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss message"));
    row->addWidget(m_close);
    outer->addLayout(row);
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setAccessibleName(tr("Message details"));
    m_details->setMaximumHeight(140);
    m_details->hide();
    outer->addWidget(m_details);
    connect(m_detailsButton, &QToolButton::toggled, m_details, &QWidget::setVisible);
    connect(m_close, &QToolButton::clicked, this, &BucketMessageBar::dismiss);
    hide();
}

void BucketMessageBar::showMessage(Kind kind, const QString &text, const QString &details) {
    m_kind = kind;
    m_text->setText(text);
    m_details->setPlainText(details);
    m_detailsButton->setChecked(false);
    m_detailsButton->setVisible(!details.isEmpty());
    m_details->hide();
    const QStyle::StandardPixmap pixmap =
        kind == Kind::Error ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxInformation;
    const int side = fontMetrics().height() + 4;
    m_icon->setPixmap(style()->standardIcon(pixmap).pixmap(side, side));
    setAccessibleName(kind == Kind::Error ? tr("Error") : tr("Information"));
    setAccessibleDescription(text);
    applyPalette();
    show();
}

void BucketMessageBar::applyPalette() {
    // Tinted from the current palette so it reads in both light and dark themes.
    QPalette p = palette();
    const QColor base = p.color(QPalette::Base);
    const QColor tint = m_kind == Kind::Error ? QColor(220, 53, 69) : QColor(13, 110, 253);
    QColor mixed;
    mixed.setRgbF(base.redF() * 0.85 + tint.redF() * 0.15, base.greenF() * 0.85 + tint.greenF() * 0.15,
                  base.blueF() * 0.85 + tint.blueF() * 0.15);
    p.setColor(QPalette::Window, mixed);
    setPalette(p);
}

void BucketMessageBar::dismiss() {
    hide();
    m_text->clear();
    m_details->clear();
}

QString BucketMessageBar::text() const {
    return m_text->text();
}

QString BucketMessageBar::details() const {
    return m_details->toPlainText();
}

bool BucketMessageBar::detailsVisible() const {
    return !m_details->isHidden();
}

} // namespace lifeboat
