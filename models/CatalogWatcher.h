#pragma once

#include "catalog/Catalog.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace lifeboat {

// Notices when another process changed the catalog — `lifeboatctl run-due` from cron, a second workstation on a
// shared catalog, `lifeboatctl verify` — so the dashboard and history do not go stale while the app sits in the
// tray. Every `interval` a cheap fingerprint (record count; the newest record's id, status, finish and
// verification; the schedules' last check and run; the SQLite file's and its WAL's size and modification time) is
// taken on the catalog thread, never the GUI thread, and changed() fires when it differs from the last one.
class CatalogWatcher : public QObject {
    Q_OBJECT
public:
    // `sqlitePath`: the catalog file when it is a local SQLite database (empty: not watched on disk).
    CatalogWatcher(std::shared_ptr<Catalog> catalog, QString sqlitePath, QObject *parent = nullptr);

    void setInterval(int ms) { m_timer.setInterval(ms); }
    int interval() const { return m_timer.interval(); }
    void start();
    void stop() { m_timer.stop(); }
    int polls() const { return m_polls; }

    static constexpr int kDefaultIntervalMs = 15000;

public slots:
    void poll();

signals:
    void changed();

private:
    std::shared_ptr<Catalog> m_catalog;
    QString m_path;
    QTimer m_timer;
    QString m_last;
    bool m_busy = false;
    int m_polls = 0;
};

} // namespace lifeboat
