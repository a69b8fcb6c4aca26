#include "ui/history/WalRangesPanel.h"

#include "catalog/Catalog.h"
#include "models/Async.h"
#include "models/Format.h"
#include "ui/AppContext.h"
#include "wal/WalWindow.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSet>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
struct Range {
    QString profile;
    WalWindow::Timeline timeline;
    qint64 storedBytes = 0; // every stored copy of the timeline's segments, all storages
};
} // namespace

WalRangesPanel::WalRangesPanel(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(tr("<b>Archived WAL</b> (point-in-time recovery: base backups above, WAL ranges here)"), this);
    m_tree = new QTreeWidget(this);
    m_tree->setAccessibleName(tr("Archived WAL ranges"));
    m_tree->setRootIsDecorated(false);
    m_tree->setAlternatingRowColors(true);
    m_tree->setHeaderLabels(
        {tr("Profile"), tr("Timeline"), tr("Range"), tr("Segments"), tr("Missing"), tr("Newest stored")});
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->resizeSection(ProfileColumn, 100);
    m_tree->header()->resizeSection(TimelineColumn, 70);
    m_tree->header()->resizeSection(RangeColumn, 330);
    m_tree->header()->resizeSection(SegmentsColumn, 130);
    m_tree->header()->resizeSection(MissingColumn, 110);
    m_tree->setMaximumHeight(m_tree->fontMetrics().height() * 7);
    layout->addWidget(m_title);
    layout->addWidget(m_tree);
    setVisible(false);
}

void WalRangesPanel::setProfileFilter(const QString &profile) {
    if (profile == m_filter)
        return;
    m_filter = profile;
    reload();
}

void WalRangesPanel::reload() {
    QStringList profiles;
    for (const Profile &p : m_ctx->config().profiles())
        if (m_filter.isEmpty() || p.name == m_filter)
            profiles << p.name;
    runAsync(
        this,
        [catalog = m_ctx->catalog(), profiles] {
            QList<Range> out;
            for (const QString &p : profiles) {
                WalFileFilter f;
                f.profile = p;
                const QList<WalFileRecord> rows = catalog->walFiles(f);
                if (rows.isEmpty())
                    continue;
                const WalWindow::Report w = WalWindow::compute(p, rows);
                for (const WalWindow::Timeline &t : w.timelines) {
                    Range r{p, t, 0};
                    for (const WalFileRecord &row : rows)
                        if (row.timeline == t.timeline && row.kind == QLatin1String("segment"))
                            r.storedBytes += row.size;
                    out << r;
                }
            }
            return out;
        },
        [this](const QList<Range> &ranges) {
            m_tree->clear();
            const QLocale locale;
            for (const Range &r : ranges) {
                const WalWindow::Timeline &t = r.timeline;
                auto *item = new QTreeWidgetItem(m_tree);
                item->setText(ProfileColumn, r.profile);
                item->setText(TimelineColumn, QString::number(t.timeline));
                QString range = t.first.isEmpty()   ? tr("(no finished segment yet)")
                                : t.first == t.last ? t.first
                                                    : tr("%1 … %2").arg(t.first, t.last);
                if (!t.partial.isEmpty())
                    range += tr(" + partial %1").arg(t.partial.right(8));
                item->setText(RangeColumn, range);
                item->setToolTip(RangeColumn, tr("Stored WAL ends at %1").arg(t.endLsn));
                item->setText(SegmentsColumn, tr("%1 (%2)").arg(t.segments).arg(Format::size(r.storedBytes)));
                item->setText(MissingColumn,
                              t.missingCount == 0 ? tr("none") : tr("%n missing", nullptr, t.missingCount));
                if (t.missingCount > 0) {
                    item->setForeground(MissingColumn, QColor(0xc6, 0x28, 0x28));
                    item->setToolTip(MissingColumn, tr("Recovery cannot replay past the gap; missing: %1")
                                                        .arg(t.missing.join(QStringLiteral(", "))));
                }
                item->setText(NewestColumn, locale.toString(t.newestStored.toLocalTime(), QLocale::ShortFormat));
            }
            setVisible(!ranges.isEmpty());
            emit reloaded();
        },
        catalogPool());
}

} // namespace lifeboat
