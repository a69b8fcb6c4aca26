#include "ui/jobs/JobsPage.h"

#include "models/JobListModel.h"
#include "ui/AppContext.h"
#include "ui/jobs/ProgressDelegate.h"
#include "ui/widgets/BadgeDelegate.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace lifeboat {

JobsPage::JobsPage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    JobListModel *model = ctx->jobs();
    auto *layout = new QVBoxLayout(this);

    auto *top = new QHBoxLayout;
    auto *title = new QLabel(tr("Jobs of this session"), this);
    QFont f = title->font();
    f.setBold(true);
    title->setFont(f);
    top->addWidget(title);
    top->addStretch(1);
    m_cancel = new QPushButton(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("&Cancel job"), this);
    m_cancel->setAccessibleName(tr("Cancel the selected job"));
    top->addWidget(m_cancel);
    layout->addLayout(top);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_view = new QTableView(split);
    m_view->setModel(model);
    m_view->setAccessibleName(tr("Jobs"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 12);
    m_view->setItemDelegateForColumn(JobListModel::ProgressColumn, new ProgressDelegate(m_view));
    m_view->setItemDelegateForColumn(JobListModel::StatusColumn, new BadgeDelegate(m_view));
    // The phase text takes what is left, so the status (the column that matters most) stays on screen in a small
    // window (at 1024×700 it was pushed past the right edge); the numbers take what they need.
    QHeaderView *h = m_view->horizontalHeader();
    h->setStretchLastSection(false);
    h->setMinimumSectionSize(60);
    h->resizeSection(JobListModel::TitleColumn, 200);
    h->setSectionResizeMode(JobListModel::PhaseColumn, QHeaderView::Stretch);
    h->resizeSection(JobListModel::ProgressColumn, 150);
    for (const int c :
         {JobListModel::BytesColumn, JobListModel::RateColumn, JobListModel::EtaColumn, JobListModel::StatusColumn})
        h->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    split->addWidget(m_view);

    auto *bottom = new QWidget(split);
    auto *bl = new QVBoxLayout(bottom);
    bl->setContentsMargins(0, 0, 0, 0);
    m_outcome = new QLabel(bottom);
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bl->addWidget(m_outcome);
    m_log = new QPlainTextEdit(bottom);
    m_log->setReadOnly(true);
    m_log->setAccessibleName(tr("Job log"));
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("Select a job to see its log."));
    bl->addWidget(m_log);
    split->addWidget(bottom);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);

    m_empty = new QLabel(tr("No jobs yet in this session. Backups you start appear here with their progress."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_empty);

    connect(m_cancel, &QPushButton::clicked, this, [this] { m_ctx->jobs()->cancel(currentRow()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showLog();
        updateButtons();
    });
    connect(model, &JobListModel::jobLogged, this, [this](int row, const QString &line) {
        if (row != currentRow())
            return;
        const bool atEnd = m_log->verticalScrollBar()->value() == m_log->verticalScrollBar()->maximum();
        m_log->appendPlainText(line);
        if (atEnd)
            m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
    });
    connect(model, &JobListModel::dataChanged, this, &JobsPage::updateButtons);
    connect(model, &JobListModel::jobEnded, this, [this](int row) {
        if (row == currentRow())
            showLog();
    });
    connect(model, &JobListModel::rowsInserted, this, [this](const QModelIndex &, int first) {
        m_empty->hide();
        if (currentRow() < 0 || m_ctx->jobs()->state(currentRow()) > JobListModel::State::Running)
            selectRow(first);
    });
    m_empty->setVisible(model->rowCount() == 0);
    updateButtons();
}

void JobsPage::selectRow(int row) {
    m_view->selectRow(row);
    m_view->setCurrentIndex(m_ctx->jobs()->index(row, 0));
}

int JobsPage::currentRow() const {
    const QModelIndex i = m_view->currentIndex();
    return i.isValid() ? i.row() : -1;
}

void JobsPage::showLog() {
    const int row = currentRow();
    JobListModel *model = m_ctx->jobs();
    m_log->setPlainText(row >= 0 ? model->log(row) : QString());
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
    updateOutcome();
}

void JobsPage::updateOutcome() {
    const int row = currentRow();
    JobListModel *model = m_ctx->jobs();
    if (row < 0) {
        m_outcome->clear();
        return;
    }
    const QModelIndex idx = model->index(row, JobListModel::StatusColumn);
    const QString error = idx.data(JobListModel::ErrorRole).toString();
    const qint64 record = idx.data(JobListModel::RecordIdRole).toLongLong();
    QString text = tr("%1 — %2").arg(model->index(row, 0).data().toString(), idx.data().toString());
    if (record > 0)
        text += tr(" · catalog record #%1").arg(record);
    if (!error.isEmpty())
        text += QStringLiteral("\n") + error;
    m_outcome->setText(text);
}

void JobsPage::updateButtons() {
    const int row = currentRow();
    m_cancel->setEnabled(row >= 0 && m_ctx->jobs()->state(row) <= JobListModel::State::Running);
    updateOutcome();
}

} // namespace lifeboat
