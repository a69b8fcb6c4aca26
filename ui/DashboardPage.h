#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QWidget>

class QChartView;
class QGridLayout;
class QLabel;
class QStackedWidget;

namespace lifeboat {

class AppContext;

// The state of things at a glance: per-profile last successful backup (red when older than 24 h), storage used,
// failures in the last 7 days, the last verification, and a chart of backup size and duration over time. The
// numbers are gathered from the catalog on a worker.
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
        QList<Last> last;
        qint64 storageUsed = 0;
        int completed = 0;
        int failures7d = 0;
        QDateTime verifiedAt;
        QString verifyOutcome;
        qint64 verifiedId = 0;
        QHash<QString, QList<Point>> series; // per profile, ascending
    };

    explicit DashboardPage(AppContext *ctx, QWidget *parent = nullptr);

    bool isLoaded() const { return m_loaded; }
    // For tests: the text of a card's value.
    QString cardText(const QString &name) const;

public slots:
    void refresh();

signals:
    void refreshed();

private:
    void apply(const Summary &s);
    QLabel *addCard(const QString &name, const QString &title, int row, int column);
    void buildChart(const Summary &s);

    AppContext *m_ctx;
    QGridLayout *m_cards;
    QWidget *m_cardBox;
    QHash<QString, QLabel *> m_values;
    QHash<QString, QLabel *> m_notes;
    QList<QWidget *> m_profileCards;
    QStackedWidget *m_chartStack;
    QChartView *m_chart;
    QLabel *m_noChart;
    bool m_loaded = false;
    bool m_loading = false;
    bool m_again = false;
};

} // namespace lifeboat
