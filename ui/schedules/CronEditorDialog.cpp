#include "ui/schedules/CronEditorDialog.h"

#include "schedule/CronExpression.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
struct Preset {
    const char *label;
    const char *cron;
};
// tr() needs literal strings it can see; the labels are translated where they are shown.
const Preset kPresets[] = {
    {QT_TRANSLATE_NOOP("lifeboat::CronEditorDialog", "Every hour"), "0 * * * *"},
    {QT_TRANSLATE_NOOP("lifeboat::CronEditorDialog", "Every day at 01:00"), "0 1 * * *"},
    {QT_TRANSLATE_NOOP("lifeboat::CronEditorDialog", "Every weekday at 22:00"), "0 22 * * 1-5"},
    {QT_TRANSLATE_NOOP("lifeboat::CronEditorDialog", "Every Sunday at 01:00"), "0 1 * * SUN"},
    {QT_TRANSLATE_NOOP("lifeboat::CronEditorDialog", "On the 1st of every month at 01:00"), "0 1 1 * *"},
    {QT_TRANSLATE_NOOP("lifeboat::CronEditorDialog", "Every 15 minutes"), "*/15 * * * *"},
};
} // namespace

CronEditorDialog::CronEditorDialog(const QString &expression, const QString &timeZone, QWidget *parent)
    : QDialog(parent)
    , m_zone(timeZone.isEmpty() ? QTimeZone::systemTimeZone() : QTimeZone(timeZone.toUtf8())) {
    setWindowTitle(tr("Edit schedule time"));
    setObjectName(QStringLiteral("cronEditorDialog"));
    if (!m_zone.isValid())
        m_zone = QTimeZone::systemTimeZone();
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_presets = new QComboBox(this);
    m_presets->setAccessibleName(tr("Preset"));
    m_presets->addItem(tr("Custom"), QString());
    for (const Preset &p : kPresets)
        m_presets->addItem(tr(p.label), QString::fromLatin1(p.cron));
    form->addRow(tr("&Preset:"), m_presets);
    m_expression = new QLineEdit(expression.isEmpty() ? QStringLiteral("0 1 * * *") : expression, this);
    m_expression->setAccessibleName(tr("Cron expression"));
    m_expression->setPlaceholderText(tr("minute hour day-of-month month day-of-week"));
    m_expression->setMinimumWidth(320);
    form->addRow(tr("&Cron:"), m_expression);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("cronError"));
    m_error->setAccessibleName(tr("Cron error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    form->addRow(QString(), m_error);
    m_description = new QLabel(this);
    m_description->setAccessibleName(tr("Cron description"));
    m_description->setWordWrap(true);
    QFont bold = m_description->font();
    bold.setBold(true);
    m_description->setFont(bold);
    form->addRow(tr("Runs:"), m_description);
    layout->addLayout(form);

    auto *previewTitle =
        new QLabel(tr("Next %1 runs (%2):").arg(kPreviewCount).arg(QString::fromUtf8(m_zone.id())), this);
    layout->addWidget(previewTitle);
    m_preview = new QListWidget(this);
    m_preview->setAccessibleName(tr("Next runs"));
    m_preview->setMinimumHeight(170);
    m_preview->setSelectionMode(QAbstractItemView::NoSelection);
    layout->addWidget(m_preview);
    auto *help = new QLabel(
        tr("Five fields: minute, hour, day of month, month, day of week. Ranges (1-5), steps (*/15), lists (1,15) "
           "and names (MON-FRI, JAN) work. When clocks spring forward, a time inside the skipped hour runs once "
           "right after it; when they fall back, a repeated time runs only the first time."),
        this);
    help->setWordWrap(true);
    layout->addWidget(help);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);

    connect(m_presets, &QComboBox::activated, this, [this](int i) {
        const QString cron = m_presets->itemData(i).toString();
        if (!cron.isEmpty())
            m_expression->setText(cron);
    });
    connect(m_expression, &QLineEdit::textChanged, this, &CronEditorDialog::refresh);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!m_valid)
            return;
        emit expressionAccepted(this->expression());
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    refresh();
}

QString CronEditorDialog::expression() const {
    return m_expression->text().simplified();
}

void CronEditorDialog::setPreviewStart(const QDateTime &start) {
    m_start = start;
    refresh();
}

QString CronEditorDialog::formatFire(const QDateTime &t) {
    const QLocale locale;
    return tr("%1, %2 %3")
        .arg(locale.dayName(t.date().dayOfWeek(), QLocale::ShortFormat),
             locale.toString(t, locale.dateTimeFormat(QLocale::ShortFormat)), t.timeZoneAbbreviation());
}

void CronEditorDialog::refresh() {
    const CronExpression cron = CronExpression::parse(expression());
    m_valid = cron.isValid();
    m_preview->clear();
    m_times.clear();
    int preset = 0;
    for (int i = 1; i < m_presets->count(); ++i)
        if (m_presets->itemData(i).toString() == expression())
            preset = i;
    m_presets->setCurrentIndex(preset);
    if (!m_valid) {
        m_error->setText(cron.error());
        m_error->show();
        m_description->setText(QStringLiteral("—"));
        m_expression->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #c62828; }"));
    } else {
        m_error->clear();
        m_error->hide();
        m_expression->setStyleSheet(QString());
        m_description->setText(cron.describe());
        const QDateTime from = m_start.isValid() ? m_start : QDateTime::currentDateTimeUtc();
        m_times = cron.nextFires(from, m_zone, kPreviewCount);
        for (const QDateTime &t : m_times)
            new QListWidgetItem(formatFire(t), m_preview);
    }
    if (QPushButton *ok = m_buttons ? m_buttons->button(QDialogButtonBox::Ok) : nullptr)
        ok->setEnabled(m_valid);
}

} // namespace lifeboat
