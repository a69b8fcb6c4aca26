#pragma once

#include <QWidget>

class QCheckBox;
class QSpinBox;

namespace lifeboat {

class AppContext;

// Settings for what runs while nobody watches: keep running in the tray (schedules keep firing when the window is
// closed) and the stall detector (minutes without progress, and whether a stalled job is cancelled). The tray menu
// and the Jobs page read the same options, so every change applies at once.
class BackgroundSettings : public QWidget {
    Q_OBJECT
public:
    explicit BackgroundSettings(AppContext *ctx, QWidget *parent = nullptr);

    QCheckBox *keepInTray() const { return m_keepInTray; }
    QSpinBox *stallMinutes() const { return m_stallMinutes; }
    QCheckBox *stallCancel() const { return m_stallCancel; }

private:
    void load();
    void save(const QString &option, const QString &value);

    AppContext *m_ctx;
    QCheckBox *m_keepInTray;
    QSpinBox *m_stallMinutes;
    QCheckBox *m_stallCancel;
};

} // namespace lifeboat
