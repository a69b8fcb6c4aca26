#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QTimeZone>
#include <QWidget>

class QChartView;
class QGridLayout;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace lifeboat {

class AppContext;

// The state of things at a glance: for profiles with continuous WAL capture first the recovery point (age of the
// newest WAL in storage: red beyond twice the default partial-upload interval, or with a gap), then per-profile last
// successful backup (red when older than its schedule allows:
// a fire time passed without a newer backup; 24 h for a profile without a schedule), the next scheduled run, storage
// used, failures in the last 7 days, the last verification (test restore) outcome, and a chart of backup size and
// duration over time. The numbers are gathered from the catalog on the catalog thread; the page reloads when
// AppContext::catalogChanged fires (our jobs, or CatalogWatcher seeing another process write).
class DashboardPage : public QWidget {
    Q_OBJECT
public:
    struct Point {
        QDateTime when;
        qint64 size = 0;
        qint64 durationMs = 0;
    };
    struct Summary {
        struct Last {
            QString profile;
            QDateTime when; // invalid: never
            qint64 size = 0;
        };
        struct Next {
            QString profile;
            QString schedule;
            QString description; // "at 01:00 every day"
            QDateTime when;      // the schedule's next fire time (CronExpression, its time zone)
            QDateTime due;       // the latest fire time before now (minus a grace period): a backup at least
                                 // this recent is expected
            QTimeZone zone;      // the schedule's: its times are shown in it, labelled
        };
        // Continuous protection (WAL capture): the newest WAL in storage, per profile that has any.
        struct RecoveryPoint {
            QString profile;
            QDateTime newestWal;
            int missingSegments = 0; // gaps inside the stored ranges
        };
        QList<RecoveryPoint> recovery;
        QList<Last> last;
        QList<Next> next; // per profile: its soonest enabled schedule
        qint64 storageUsed = 0;
        int completed = 0;
        int failures7d = 0;
        QDateTime verifiedAt;
        QString verifyOutcome;
        qint64 verifiedId = 0;
        QHash<QString, QList<Point>> series; // per profile, ascending
        QString drillReport;                 // the newest drill's HTML report under the home; empty: none
    };

    explicit DashboardPage(AppContext *ctx, QWidget *parent = nullptr);

    bool isLoaded() const { return m_loaded; }
    // For tests: the text of a card's value / its note.
    QString cardText(const QString &name) const;
    QString cardNote(const QString &name) const;
    // Whether a card's value is shown as a problem (red).
    bool cardAlarm(const QString &name) const;
    // The recovery point turns red when the newest stored WAL is older than this: twice `wal receive`'s default
    // --partial-upload of 60 s.
    static constexpr qint64 kRecoveryPointAlarmSecs = 120;
    // The next scheduled run of a profile as last loaded (invalid: no enabled schedule).
    QDateTime nextRun(const QString &profile) const;
    // What is still missing for a setup that survives the loss of this machine (no S3 storage, no schedule), as
    // links; empty when nothing is.
    QLabel *nextStepsLabel() const { return m_nextSteps; }
    // On the verification card: opens the last drill's HTML report (UrlOpener); disabled when there is none.
    QPushButton *drillReportButton() const { return m_drillReport; }

public slots:
    void refresh();

signals:
    void refreshed();
    // The next-steps links: the window opens the storage editor / the Schedules page.
    void addStorageRequested();
    void schedulesRequested();

private:
    void apply(const Summary &s);
    QLabel *addCard(const QString &name, const QString &title, int row, int column);
    void buildChart(const Summary &s);

    AppContext *m_ctx;
    QGridLayout *m_cards;
    QWidget *m_cardBox;
    QLabel *m_nextSteps;
    QPushButton *m_drillReport;
    QString m_drillReportPath;
    QHash<QString, QLabel *> m_values;
    QHash<QString, QLabel *> m_notes;
    QList<QWidget *> m_profileCards;
    QStackedWidget *m_chartStack;
    QChartView *m_chart;
    QLabel *m_noChart;
    QHash<QString, QDateTime> m_next;
    bool m_loaded = false;
    bool m_loading = false;
    bool m_again = false;
};

} // namespace lifeboat
