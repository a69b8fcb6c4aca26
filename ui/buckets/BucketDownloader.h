#pragma once

#include "catalog/Catalog.h"

#include "storage/S3Config.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace lifeboat {

// Downloads several objects of one bucket into a folder on a worker thread, one after the other, each through
// S3Download (NAME.partial, renamed only when complete; checked against the SHA-256 of the manifest beside it when
// there is one). Progress is sampled from the growing partial file on a timer, so the transfer itself needs no
// callbacks into the GUI thread. cancel() stops the transfer in flight and removes its partial file.
class BucketDownloader : public QObject {
    Q_OBJECT
public:
    struct Item {
        QString key;
        qint64 size = 0;
        qint64 recordId = 0; // the catalogued backup this object is a copy of (0: none)
    };
    struct State; // shared with the worker (cancel flag, current item, the session to cancel)
    struct Outcome {
        QStringList files;    // final paths written
        QStringList verified; // the subset checked against a manifest's SHA-256
        QStringList problems; // "name: why"
        bool cancelled = false;
    };

    explicit BucketDownloader(QObject *parent = nullptr);
    ~BucketDownloader() override;

    bool isRunning() const { return m_running; }
    // Existing files are never overwritten (reported as problems). An item of a catalogued backup is copied under
    // a lease on that backup in `catalog` (one usable from a worker thread, e.g. PinnedCatalog), so delete/prune
    // refuse the backup meanwhile; a backup being deleted is not downloaded.
    void start(const S3Config &config, const QList<Item> &items, const QString &dir,
               std::shared_ptr<Catalog> catalog = {});
    void cancel();

signals:
    void progress(qint64 doneBytes, qint64 totalBytes, int current, int count, const QString &name);
    void finished(const lifeboat::BucketDownloader::Outcome &outcome);

private:
    void sample();

    std::shared_ptr<State> m_state;
    QList<Item> m_items;
    QString m_dir;
    QTimer m_timer;
    bool m_running = false;
};

} // namespace lifeboat
