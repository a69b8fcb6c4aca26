#include "ui/history/ActivityPage.h"

#include "catalog/AuditTrail.h"
#include "models/ActivityModel.h"
#include "ui/AppContext.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace lifeboat {

ActivityPage::ActivityPage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    setObjectName(QStringLiteral("activityPage"));
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("<b>Activity</b> — every backup, restore, verification, download, deletion and "
                                "change of settings, by whom and from where"),
                             this);
    title->setWordWrap(true);
    layout->addWidget(title);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("activityFilter"));
    m_filter->setAccessibleName(tr("Filter activity"));
    m_filter->setPlaceholderText(tr("Filter: action, target or detail text; user:NAME for one user"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);
    m_model = new ActivityModel(ctx->catalog(), this);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("activityView"));
    m_view->setAccessibleName(tr("Activity"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    layout->addWidget(m_view, 1);
    m_count = new QLabel(this);
    m_count->setAccessibleName(tr("Number of entries"));
    layout->addWidget(m_count);

    // Typing narrows the list once the typing pauses, not at every key (a query per keystroke).
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_filter, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &ActivityPage::applyFilter);
    connect(m_model, &ActivityModel::loaded, this, &ActivityPage::updateCount);
    // Rows are written in the background (AuditTrail); reload after they had a moment to land.
    auto reloadSoon = [this] {
        if (isVisible())
            QTimer::singleShot(300, m_model, &ActivityModel::reload);
    };
    connect(ctx, &AppContext::catalogChanged, this, reloadSoon);
    connect(ctx, &AppContext::configChanged, this, reloadSoon);
}

void ActivityPage::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    applyFilter();
}

void ActivityPage::applyFilter() {
    AuditFilter f;
    QStringList words;
    for (const QString &w : m_filter->text().split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (w.startsWith(QLatin1String("user:")))
            f.user = w.mid(5);
        else
            words << w;
    }
    f.text = words.join(QLatin1Char(' '));
    m_model->setFilter(f);
}

void ActivityPage::updateCount() {
    m_count->setText(tr("%n entries", nullptr, m_model->totalCount()));
    m_view->resizeColumnsToContents();
}

} // namespace lifeboat
