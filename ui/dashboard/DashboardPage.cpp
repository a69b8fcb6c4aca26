#include "ui/dashboard/DashboardPage.h"

#include "models/Async.h"
#include "models/Format.h"
#include "schedule/CronExpression.h"
#include "schedule/DueRunner.h"
#include "ui/AppContext.h"
#include "ui/widgets/MessageBox.h"
#include "ui/widgets/UrlOpener.h"
#include "wal/WalWindow.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSet>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QValueAxis>

namespace lifeboat {

namespace {
constexpr qint64 kStaleSecs = 24 * 3600;
constexpr int kChartDays = 90;
// A scheduled backup takes a while: its fire time counts as missed only this long after it passed.
constexpr qint64 kScheduleGraceSecs = 3600;

// The newest drill report (DueRunner::keepReport: drill-SCHEDULE-backupID-TIME.html) in the reports directory.
QString newestDrillReport(const QString &dir) {
    const QFileInfoList reports =
        QDir(dir).entryInfoList({QStringLiteral("drill-*.html")}, QDir::Files | QDir::Readable, QDir::Time);
    return reports.isEmpty() ? QString() : reports.first().absoluteFilePath();
}

DashboardPage::Summary gather(const std::shared_ptr<Catalog> &catalog, const QStringList &profiles,
                              const QString &reportDir) {
    DashboardPage::Summary s;
    s.drillReport = newestDrillReport(reportDir);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    CatalogFilter completed;
    completed.status = BackupRecord::statusCompleted();
    // TODO(catalog): an aggregate query would spare this scan; it runs on a worker, so the GUI stays smooth.
    const QList<BackupRecord> all = catalog->list(completed);
    QSet<QString> seen;
    QStringList order = profiles;
    for (const BackupRecord &r : all) {
        s.storageUsed += r.size;
        ++s.completed;
        if (!seen.contains(r.profile)) {
            seen.insert(r.profile);
            if (!order.contains(r.profile))
                order << r.profile;
        }
        if (r.verifiedAt.isValid() && (!s.verifiedAt.isValid() || r.verifiedAt > s.verifiedAt)) {
            s.verifiedAt = r.verifiedAt;
            s.verifyOutcome = r.verifyOutcome;
            s.verifiedId = r.id;
        }
        if (r.started.isValid() && r.started.daysTo(now) <= kChartDays)
            s.series[r.profile].prepend({r.started, r.size, r.durationMs}); // list is newest first
    }
    for (const QString &p : order) {
        DashboardPage::Summary::Last last;
        last.profile = p;
        for (const BackupRecord &r : all) {
            if (r.profile == p) {
                last.when = r.finished.isValid() ? r.finished : r.started;
                last.size = r.size;
                break;
            }
        }
        s.last << last;
    }
    for (const ScheduleRecord &sc : catalog->schedules()) {
        if (!sc.enabled)
            continue;
        const CronExpression cron = CronExpression::parse(sc.cron);
        const QTimeZone tz = DueRunner::timeZone(sc.timeZone);
        if (!cron.isValid() || !tz.isValid())
            continue;
        DashboardPage::Summary::Next n{sc.profile,
                                       sc.name,
                                       cron.describe(),
                                       cron.nextFire(now, tz),
                                       cron.previousFire(now.addSecs(-kScheduleGraceSecs), tz),
                                       tz};
        auto it = std::find_if(s.next.begin(), s.next.end(), [&](const auto &x) { return x.profile == sc.profile; });
        if (it == s.next.end())
            s.next << n;
        else if (n.when.isValid() && (!it->when.isValid() || n.when < it->when))
            *it = n;
    }
    std::sort(s.next.begin(), s.next.end(), [](const auto &a, const auto &b) { return a.when < b.when; });
    for (const QString &p : order) {
        WalFileFilter wf;
        wf.profile = p;
        const QList<WalFileRecord> rows = catalog->walFiles(wf);
        if (rows.isEmpty())
            continue;
        const WalWindow::Report w = WalWindow::compute(p, rows);
        DashboardPage::Summary::RecoveryPoint rp;
        rp.profile = p;
        rp.newestWal = w.newestStored;
        for (const WalWindow::Timeline &t : w.timelines)
            rp.missingSegments += t.missingCount;
        s.recovery << rp;
    }
    CatalogFilter failed;
    failed.status = BackupRecord::statusFailed();
    failed.since = now.addDays(-7);
    s.failures7d = catalog->count(failed);
    return s;
}

// The cards have a Base background, so their labels draw with the Text role, not WindowText: set both.
void setInk(QPalette &pal, const QColor &c) {
    pal.setColor(QPalette::WindowText, c);
    pal.setColor(QPalette::Text, c);
}

QFrame *card(QWidget *parent) {
    auto *f = new QFrame(parent);
    f->setFrameShape(QFrame::StyledPanel);
    f->setAutoFillBackground(true);
    f->setBackgroundRole(QPalette::Base);
    f->setMinimumWidth(150);
    return f;
}
} // namespace

DashboardPage::DashboardPage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(12);
    m_cardBox = new QWidget(this);
    m_cards = new QGridLayout(m_cardBox);
    m_cards->setContentsMargins(0, 0, 0, 0);
    m_cards->setSpacing(12);
    addCard(QStringLiteral("storage"), tr("Storage used"), 0, 0);
    addCard(QStringLiteral("failures"), tr("Failures, last 7 days"), 0, 1);
    QLabel *verified = addCard(QStringLiteral("verified"), tr("Last verification"), 0, 2);
    // The drill's report says what was checked and what failed: one click from the card that sums it up.
    m_drillReport = new QPushButton(tr("Open the drill report"), verified->parentWidget());
    m_drillReport->setAccessibleName(tr("Open the last drill report"));
    m_drillReport->setEnabled(false);
    m_drillReport->setToolTip(tr("No drill has run yet: add a schedule of kind “verify” on the Schedules page."));
    qobject_cast<QVBoxLayout *>(verified->parentWidget()->layout())->insertWidget(3, m_drillReport);
    connect(m_drillReport, &QPushButton::clicked, this, [this] {
        if (!m_drillReportPath.isEmpty() && !UrlOpener::open(QUrl::fromLocalFile(m_drillReportPath)))
            MessageBox::warning(this, tr("Report not opened"),
                                tr("No application opened %1. Open it in a web browser.").arg(m_drillReportPath));
    });
    addCard(QStringLiteral("next"), tr("Next scheduled run"), 0, 3);
    layout->addWidget(m_cardBox);
    // The welcome page's guidance goes once a server and a storage exist; what a sound setup still lacks is named
    // here, with the way to add it.
    m_nextSteps = new QLabel(this);
    m_nextSteps->setWordWrap(true);
    m_nextSteps->setTextFormat(Qt::RichText);
    m_nextSteps->setAccessibleName(tr("Next steps"));
    m_nextSteps->setVisible(false);
    connect(m_nextSteps, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String("add-storage"))
            emit addStorageRequested();
        else if (link == QLatin1String("schedules"))
            emit schedulesRequested();
    });
    layout->addWidget(m_nextSteps);

    m_chartStack = new QStackedWidget(this);
    auto *chart = new QChart;
    chart->setTitle(tr("Backup size and duration, last %1 days").arg(kChartDays));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart = new QChartView(chart, m_chartStack);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setAccessibleName(tr("Chart of backup size and duration over time"));
    m_chart->setMinimumHeight(260);
    m_noChart = new QLabel(tr("The chart appears after the first completed backup."), m_chartStack);
    m_noChart->setAlignment(Qt::AlignCenter);
    m_chartStack->addWidget(m_chart);
    m_chartStack->addWidget(m_noChart);
    layout->addWidget(m_chartStack, 1);

    connect(m_ctx, &AppContext::catalogChanged, this, &DashboardPage::refresh);
    connect(m_ctx, &AppContext::configChanged, this, &DashboardPage::refresh);
    refresh();
}

QLabel *DashboardPage::addCard(const QString &name, const QString &title, int row, int column) {
    QFrame *f = card(m_cardBox);
    auto *l = new QVBoxLayout(f);
    l->setContentsMargins(14, 10, 14, 10);
    auto *t = new QLabel(title, f);
    t->setForegroundRole(QPalette::PlaceholderText);
    t->setWordWrap(true);
    auto *v = new QLabel(QStringLiteral("…"), f);
    QFont big = v->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    v->setFont(big);
    v->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *n = new QLabel(f);
    n->setWordWrap(true);
    l->addWidget(t);
    l->addWidget(v);
    l->addWidget(n);
    l->addStretch(1);
    f->setAccessibleName(title);
    m_cards->addWidget(f, row, column);
    m_values.insert(name, v);
    m_notes.insert(name, n);
    return v;
}

QString DashboardPage::cardText(const QString &name) const {
    const QLabel *v = m_values.value(name);
    return v ? v->text() : QString();
}

QString DashboardPage::cardNote(const QString &name) const {
    const QLabel *n = m_notes.value(name);
    return n ? n->text() : QString();
}

bool DashboardPage::cardAlarm(const QString &name) const {
    const QLabel *v = m_values.value(name);
    return v && v->property("alarm").toBool();
}

QDateTime DashboardPage::nextRun(const QString &profile) const {
    return m_next.value(profile);
}

void DashboardPage::refresh() {
    if (m_loading) {
        m_again = true; // one more pass when this one lands
        return;
    }
    m_loading = true;
    QStringList profiles;
    for (const Profile &p : m_ctx->config().profiles())
        profiles << p.name;
    runAsync(
        this,
        [catalog = m_ctx->catalog(), profiles, reports = DueRunner::reportDirectory(m_ctx->config())] {
            return gather(catalog, profiles, reports);
        },
        [this](const Summary &s) {
            m_loading = false;
            apply(s);
            if (m_again) {
                m_again = false;
                refresh();
            }
        },
        catalogPool());
}

void DashboardPage::apply(const Summary &s) {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList steps;
    bool offsite = false;
    for (const StorageConfig &st : m_ctx->config().storages())
        offsite = offsite || st.isS3();
    if (!offsite)
        steps << tr("Every copy is on this machine's disks: <a href=\"add-storage\">add an S3 storage</a> so a "
                    "backup survives the loss of this machine.");
    if (s.next.isEmpty())
        steps << tr("Nothing runs on its own yet: <a href=\"schedules\">schedule backups</a>.");
    m_nextSteps->setText(steps.isEmpty() ? QString()
                                         : tr("<b>Next steps</b> · %1").arg(steps.join(QStringLiteral(" · "))));
    m_nextSteps->setVisible(!steps.isEmpty());
    // Profile cards: rebuilt each time, three to a row under the summary row.
    for (QWidget *w : std::as_const(m_profileCards)) {
        for (auto it = m_values.begin(); it != m_values.end();) {
            if (it.value()->parent() == w) {
                m_notes.remove(it.key());
                it = m_values.erase(it);
            } else {
                ++it;
            }
        }
        w->deleteLater();
    }
    m_profileCards.clear();
    int i = 0;
    for (const Summary::RecoveryPoint &rp : s.recovery) {
        const QString name = QStringLiteral("recovery:") + rp.profile;
        QLabel *v = addCard(name, tr("Recovery point · %1").arg(rp.profile), 1 + i / 4, i % 4);
        m_profileCards << v->parentWidget();
        const qint64 age = rp.newestWal.isValid() ? rp.newestWal.secsTo(now) : -1;
        const bool alarm = age < 0 || age > kRecoveryPointAlarmSecs || rp.missingSegments > 0;
        v->setText(rp.newestWal.isValid() ? Format::age(rp.newestWal, now) : tr("none"));
        v->setProperty("alarm", alarm);
        QPalette pal = v->palette();
        setInk(pal, alarm ? QColor(0xc6, 0x28, 0x28) : QColor(0x2e, 0x8b, 0x57));
        v->setPalette(pal);
        QString note = rp.newestWal.isValid() ? tr("newest WAL in storage: %1").arg(Format::dateTime(rp.newestWal))
                                              : tr("no WAL in storage");
        if (rp.missingSegments > 0)
            note += QLatin1Char('\n') +
                    tr("%n segment(s) missing: `lifeboatctl wal status %1` names them", nullptr, rp.missingSegments)
                        .arg(rp.profile);
        else if (alarm)
            note +=
                QLatin1Char('\n') + tr("capture is behind: is `lifeboatctl wal receive %1` running?").arg(rp.profile);
        m_notes.value(name)->setText(note);
        ++i;
    }
    for (const Summary::Last &last : s.last) {
        const QString name = QStringLiteral("last:") + last.profile;
        QLabel *v = addCard(name, tr("Last successful backup · %1").arg(last.profile), 1 + i / 4, i % 4);
        m_profileCards << v->parentWidget();
        // Red when older than the schedule allows (a fire time passed with no newer backup), else after 24 h.
        const auto sched = std::find_if(s.next.cbegin(), s.next.cend(),
                                        [&](const Summary::Next &n) { return n.profile == last.profile; });
        const bool scheduled = sched != s.next.cend() && sched->due.isValid();
        const bool stale =
            !last.when.isValid() || (scheduled ? last.when < sched->due : last.when.secsTo(now) > kStaleSecs);
        v->setText(Format::age(last.when, now));
        QPalette pal = v->palette();
        if (stale)
            setInk(pal, QColor(0xc6, 0x28, 0x28));
        v->setPalette(pal);
        v->setProperty("alarm", stale);
        m_notes.value(name)->setText(
            last.when.isValid() ? tr("%1 · %2%3")
                                      .arg(Format::dateTime(last.when), Format::size(last.size),
                                           !stale      ? QString()
                                           : scheduled ? tr(" · missed the run of %1").arg(Format::dateTime(sched->due))
                                                       : tr(" · older than 24 h"))
                                : tr("No successful backup yet."));
        ++i;
    }
    m_next.clear();
    QStringList nextLines;
    for (const Summary::Next &n : s.next) {
        m_next.insert(n.profile, n.when);
        nextLines << tr("%1: %2 (%3, %4)")
                         .arg(n.profile, n.when.isValid() ? Format::dateTimeIn(n.when, n.zone) : tr("never"),
                              n.schedule, n.description);
    }
    const Summary::Next *soonest = s.next.isEmpty() ? nullptr : &s.next.first();
    m_values.value(QStringLiteral("next"))
        ->setText(soonest && soonest->when.isValid() ? Format::dateTimeIn(soonest->when, soonest->zone) : tr("None"));
    m_notes.value(QStringLiteral("next"))
        ->setText(nextLines.isEmpty() ? tr("No enabled schedule. Add one on the Schedules page.")
                                      : nextLines.join(QLatin1Char('\n')));
    m_values.value(QStringLiteral("storage"))->setText(Format::size(s.storageUsed));
    m_notes.value(QStringLiteral("storage"))->setText(tr("%n completed backup(s)", nullptr, s.completed));
    QLabel *failures = m_values.value(QStringLiteral("failures"));
    failures->setText(QString::number(s.failures7d));
    QPalette fp = failures->palette();
    setInk(fp, s.failures7d > 0 ? QColor(0xc6, 0x28, 0x28) : palette().color(QPalette::Text));
    failures->setPalette(fp);
    m_notes.value(QStringLiteral("failures"))
        ->setText(s.failures7d ? tr("See History, filtered by Failed.") : tr("No failed backups."));
    QLabel *verified = m_values.value(QStringLiteral("verified"));
    QPalette vp = verified->palette();
    setInk(vp, palette().color(QPalette::Text));
    if (s.verifiedAt.isValid()) {
        const bool passed = s.verifyOutcome.compare(QLatin1String("PASSED"), Qt::CaseInsensitive) == 0;
        verified->setText(passed ? tr("Passed") : s.verifyOutcome.isEmpty() ? tr("Unknown") : tr("Failed"));
        setInk(vp, passed ? QColor(0x2e, 0x8b, 0x57) : QColor(0xc6, 0x28, 0x28));
        m_notes.value(QStringLiteral("verified"))
            ->setText(tr("Backup #%1, verified %2").arg(s.verifiedId).arg(Format::age(s.verifiedAt, now)));
    } else {
        verified->setText(tr("None yet"));
        m_notes.value(QStringLiteral("verified"))
            ->setText(tr("Verify a backup from History (Verify) or with lifeboatctl verify: it is restored into a "
                         "scratch server and checked."));
    }
    verified->setPalette(vp);
    m_drillReportPath = s.drillReport;
    m_drillReport->setEnabled(!s.drillReport.isEmpty());
    m_drillReport->setToolTip(s.drillReport.isEmpty()
                                  ? tr("No drill has run yet: add a schedule of kind “verify” on the Schedules page.")
                                  : QDir::toNativeSeparators(s.drillReport));
    buildChart(s);
    m_loaded = true;
    emit refreshed();
}

void DashboardPage::buildChart(const Summary &s) {
    QChart *chart = m_chart->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *a : chart->axes())
        chart->removeAxis(a);
    bool any = false;
    for (const auto &pts : s.series)
        any = any || !pts.isEmpty();
    m_chartStack->setCurrentWidget(any ? static_cast<QWidget *>(m_chart) : m_noChart);
    if (!any)
        return;

    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette().brush(QPalette::Base));
    chart->setTitleBrush(palette().brush(QPalette::Text));
    chart->legend()->setLabelColor(palette().color(QPalette::Text));

    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("dd MMM"));
    x->setTitleText(tr("Date"));
    // Units that suit the data, so small sandbox backups don't read "0.0, 0.1, 0.1".
    qint64 biggest = 0, longest = 0;
    for (const auto &pts : s.series) {
        for (const Point &p : pts) {
            biggest = qMax(biggest, p.size);
            longest = qMax(longest, p.durationMs);
        }
    }
    const double sizeUnit = biggest >= 2'000'000'000 ? 1e9 : biggest >= 2'000'000 ? 1e6 : 1e3;
    const QString sizeName = sizeUnit == 1e9 ? tr("GB") : sizeUnit == 1e6 ? tr("MB") : tr("kB");
    const bool minutes = longest >= 180'000;
    const double timeUnit = minutes ? 60000.0 : 1000.0;
    auto *ySize = new QValueAxis;
    ySize->setTitleText(tr("Size (%1)").arg(sizeName));
    // Plain numbers: a kB axis reaches 2000 before it switches to MB, and "%.3g" printed that as "2e+03".
    ySize->setLabelFormat(QStringLiteral("%.4g"));
    auto *yTime = new QValueAxis;
    yTime->setTitleText(minutes ? tr("Duration (min)") : tr("Duration (s)"));
    yTime->setLabelFormat(QStringLiteral("%.4g"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(ySize, Qt::AlignLeft);
    chart->addAxis(yTime, Qt::AlignRight);

    QDateTime first, last;
    double maxSize = 0, maxTime = 0;
    QStringList names = s.series.keys();
    names.sort();
    for (const QString &profile : std::as_const(names)) {
        const QList<Point> &pts = s.series.value(profile);
        auto *size = new QLineSeries;
        size->setName(tr("%1 size").arg(profile));
        auto *time = new QLineSeries;
        time->setName(tr("%1 duration").arg(profile));
        for (const Point &p : pts) {
            const double t = double(p.when.toMSecsSinceEpoch());
            size->append(t, double(p.size) / sizeUnit);
            time->append(t, double(p.durationMs) / timeUnit);
            maxSize = qMax(maxSize, double(p.size) / sizeUnit);
            maxTime = qMax(maxTime, double(p.durationMs) / timeUnit);
            if (!first.isValid() || p.when < first)
                first = p.when;
            if (!last.isValid() || p.when > last)
                last = p.when;
        }
        size->setPointsVisible(true);
        time->setPointsVisible(true);
        chart->addSeries(size);
        chart->addSeries(time);
        // Same family of colour per profile, the duration a dashed, shifted hue so the legend tells them apart.
        const QColor c = size->color();
        QPen pen = time->pen();
        pen.setStyle(Qt::DashLine);
        pen.setColor(QColor::fromHsv((qMax(0, c.hue()) + 150) % 360, c.saturation(), c.value()));
        time->setPen(pen);
        size->attachAxis(x);
        size->attachAxis(ySize);
        time->attachAxis(x);
        time->attachAxis(yTime);
    }
    // Pad the span so the first and last points are not on the frame, and a single backup still has one.
    const qint64 span = first.secsTo(last);
    const qint64 pad = qMax<qint64>(span / 10, span == 0 ? 3600 : 30);
    x->setRange(first.addSecs(-pad).toLocalTime(), last.addSecs(pad).toLocalTime());
    x->setFormat(span + 2 * pad < 2 * 3600    ? QStringLiteral("HH:mm:ss")
                 : span + 2 * pad < 2 * 86400 ? QStringLiteral("dd MMM HH:mm")
                                              : QStringLiteral("dd MMM"));
    ySize->setRange(0, qMax(1.0, maxSize * 1.15));
    yTime->setRange(0, qMax(1.0, maxTime * 1.15));
    ySize->applyNiceNumbers();
    yTime->applyNiceNumbers();
    for (QAbstractAxis *a :
         {static_cast<QAbstractAxis *>(x), static_cast<QAbstractAxis *>(ySize), static_cast<QAbstractAxis *>(yTime)}) {
        a->setLabelsColor(palette().color(QPalette::Text));
        a->setTitleBrush(palette().brush(QPalette::Text));
    }
}

} // namespace lifeboat
