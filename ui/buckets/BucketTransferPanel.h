#pragma once

#include "ui/buckets/BucketDownloader.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace lifeboat {

// The strip under the bucket listing while a download runs: which object, bytes so far of the total, and Cancel.
// Hidden when idle. Owns the BucketDownloader doing the work.
class BucketTransferPanel : public QWidget {
    Q_OBJECT
public:
    explicit BucketTransferPanel(QWidget *parent = nullptr);

    bool isRunning() const { return m_downloader->isRunning(); }
    void start(const S3Config &config, const QList<BucketDownloader::Item> &items, const QString &dir,
               std::shared_ptr<Catalog> catalog = {});

    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *cancelButton() const { return m_cancel; }

    // The outcome in a sentence for the message bar; *isError when some object failed.
    static QString describe(const BucketDownloader::Outcome &outcome, bool *isError);

signals:
    void finished(const lifeboat::BucketDownloader::Outcome &outcome);

private:
    BucketDownloader *m_downloader;
    QLabel *m_text;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
};

} // namespace lifeboat
