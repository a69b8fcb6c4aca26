#include "ui/settings/BackgroundSettings.h"

#include "schedule/DueRunner.h"
#include "ui/AppContext.h"
#include "ui/widgets/MessageBox.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSystemTrayIcon>

namespace lifeboat {

BackgroundSettings::BackgroundSettings(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    m_keepInTray =
        new QCheckBox(tr("Keep running in the tray when the window is closed, so schedules still run"), this);
    m_keepInTray->setAccessibleName(tr("Keep running in the tray"));
    form->addRow(m_keepInTray);
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        auto *note = new QLabel(tr("This desktop has no system tray: closing the window quits Lifeboat. Use "
                                   "lifeboatctl schedule install for schedules that run without the app."),
                                this);
        note->setWordWrap(true);
        form->addRow(note);
    }
    m_stallMinutes = new QSpinBox(this);
    m_stallMinutes->setRange(1, 24 * 60);
    m_stallMinutes->setSuffix(tr(" min"));
    m_stallMinutes->setAccessibleName(tr("Minutes without progress before a job counts as stalled"));
    form->addRow(tr("A job without progress for"), m_stallMinutes);
    m_stallCancel = new QCheckBox(tr("is reported as stalled and cancelled (otherwise only reported)"), this);
    m_stallCancel->setAccessibleName(tr("Cancel stalled jobs"));
    form->addRow(QString(), m_stallCancel);
    load();

    connect(m_keepInTray, &QCheckBox::toggled, this, [this](bool on) {
        save(QStringLiteral("keepInTray"), on ? QStringLiteral("true") : QStringLiteral("false"));
    });
    connect(m_stallMinutes, &QSpinBox::editingFinished, this,
            [this] { save(QStringLiteral("stallMinutes"), QString::number(m_stallMinutes->value())); });
    connect(m_stallCancel, &QCheckBox::toggled, this, [this](bool on) {
        save(QStringLiteral("stallCancel"), on ? QStringLiteral("true") : QStringLiteral("false"));
    });
    connect(m_ctx, &AppContext::configChanged, this, &BackgroundSettings::load);
}

void BackgroundSettings::load() {
    const ConfigStore &c = m_ctx->config();
    const QSignalBlocker b1(m_keepInTray), b2(m_stallMinutes), b3(m_stallCancel);
    const QString keep = c.option(QStringLiteral("keepInTray"));
    // Unset means the default: on wherever a tray exists (the tray controller applies the same rule).
    m_keepInTray->setChecked(keep.isEmpty() ? QSystemTrayIcon::isSystemTrayAvailable() : keep == QLatin1String("true"));
    m_keepInTray->setEnabled(QSystemTrayIcon::isSystemTrayAvailable());
    m_stallMinutes->setValue(int(DueRunner::stallLimitMs(c) / 60000));
    m_stallCancel->setChecked(DueRunner::stallCancel(c));
}

void BackgroundSettings::save(const QString &option, const QString &value) {
    if (m_ctx->config().option(option) == value)
        return;
    QString error;
    if (!m_ctx->updateConfig([&](ConfigStore &c) { c.setOption(option, value); }, &error))
        MessageBox::critical(this, tr("Settings not saved"), error);
}

} // namespace lifeboat
