#include "ui/buckets/BucketTransferPanel.h"

#include "models/Format.h"
#include "storage/S3Call.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>

namespace lifeboat {

BucketTransferPanel::BucketTransferPanel(QWidget *parent)
    : QWidget(parent)
    , m_downloader(new BucketDownloader(this))
    , m_text(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel"), this)) {
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_text, 1);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->setAccessibleName(tr("Download progress"));
    row->addWidget(m_progress, 1);
    m_cancel->setAccessibleName(tr("Cancel the download"));
    row->addWidget(m_cancel);
    hide();
    connect(m_cancel, &QPushButton::clicked, m_downloader, &BucketDownloader::cancel);
    connect(m_downloader, &BucketDownloader::progress, this,
            [this](qint64 done, qint64 total, int current, int count, const QString &name) {
                m_progress->setValue(total > 0 ? int(done * 1000 / total) : 0);
                m_progress->setFormat(QStringLiteral("%1 / %2").arg(Format::size(done), Format::size(total)));
                if (!name.isEmpty())
                    m_text->setText(tr("Downloading %1 (%2 of %3)…").arg(name).arg(current + 1).arg(count));
            });
    connect(m_downloader, &BucketDownloader::finished, this, [this](const BucketDownloader::Outcome &o) {
        hide();
        emit finished(o);
    });
}

void BucketTransferPanel::start(const S3Config &config, const QList<BucketDownloader::Item> &items, const QString &dir,
                                std::shared_ptr<Catalog> catalog) {
    if (isRunning())
        return;
    m_progress->setValue(0);
    m_text->setText(tr("Starting the download…"));
    show();
    m_downloader->start(config, items, dir, std::move(catalog));
}

QString BucketTransferPanel::describe(const BucketDownloader::Outcome &o, bool *isError) {
    const QString dir = o.files.isEmpty() ? QString() : QFileInfo(o.files.first()).absolutePath();
    QString text = o.cancelled ? tr("Download cancelled; files finished before it stopped: %L1.").arg(o.files.size())
                               : tr("Objects downloaded: %L1").arg(o.files.size()) +
                                     (dir.isEmpty() ? QString() : tr(", to %1").arg(dir)) + QLatin1Char('.');
    if (!o.files.isEmpty())
        text += QLatin1Char(' ') + tr("%1 verified against the SHA-256 in their manifest; the rest (no manifest "
                                      "beside them) checked by size.")
                                       .arg(o.verified.size());
    *isError = !o.problems.isEmpty();
    if (*isError)
        text = tr("Objects that could not be downloaded: %L1.").arg(o.problems.size()) + QLatin1Char(' ') + text;
    // An archived object is no failure of the transfer: say what to do about it first, in words.
    for (const QString &p : o.problems) {
        const QString cls = S3Call::archivedStorageClass(p);
        if (cls.isEmpty())
            continue;
        text = tr("%1 is stored in %2: request a restore first (aws s3api restore-object, or the provider's console), "
                  "wait until it is restored (minutes to 48 hours), then download it again.")
                   .arg(p.section(QStringLiteral(": "), 0, 0), cls) +
               QLatin1Char(' ') + text;
        break;
    }
    return text;
}

} // namespace lifeboat
