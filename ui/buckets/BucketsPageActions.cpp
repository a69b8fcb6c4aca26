// BucketsPage: what the page does to the objects selected — download, presigned link, delete, import into the
// catalog, restore — apart from the browsing (BucketsPage.cpp). Each runs its network and catalog work off the GUI
// thread and reports in the message bar.
#include "ui/buckets/BucketsPage.h"

#include "catalog/AuditTrail.h"
#include "jobs/BucketArtifacts.h"
#include "models/Async.h"
#include "models/BucketModel.h"
#include "models/BucketOperations.h"
#include "models/PinnedCatalog.h"
#include "storage/S3Client.h"
#include "ui/AppContext.h"
#include "ui/buckets/BucketMessageBar.h"
#include "ui/buckets/BucketTransferPanel.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QApplication>
#include <QClipboard>
#include <QLocale>
#include <QStandardPaths>

namespace lifeboat {

namespace {
QString fileNameOf(const QString &key) {
    return key.section(QLatin1Char('/'), -1);
}
} // namespace

void BucketsPage::downloadSelected() {
    if (m_transfer->isRunning())
        return;
    QList<BucketDownloader::Item> items;
    for (const QModelIndex &i : selectedSource())
        if (!m_model->isFolder(i))
            items.append({m_model->key(i), m_model->size(i), m_model->recordId(i)});
    if (items.isEmpty())
        return;
    const QString start = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    FileDialog::getExistingDirectory(
        this, tr("Download the selected objects to"), start, [this, items](const QString &dir) {
            if (dir.isEmpty() || m_transfer->isRunning())
                return;
            m_bar->dismiss();
            m_transfer->start(m_config, items, dir, std::make_shared<PinnedCatalog>(m_ctx->catalog()));
            updateActions();
        });
}

void BucketsPage::copyLink() {
    const QModelIndexList rows = selectedSource();
    if (rows.size() != 1 || m_model->isFolder(rows.first()) || !m_client)
        return;
    const QString key = m_model->key(rows.first());
    Error e;
    const auto url = m_client->presignGet(key, m_linkExpiry, &e);
    if (!url) {
        m_bar->showError(tr("No link could be made for %1.").arg(fileNameOf(key)), e.message);
        return;
    }
    // Who shared which object for how long, as `lifeboatctl s3 presign` records it — never the URL (the credential).
    AuditTrail::record(QStringLiteral("presign"), m_storageName, QStringLiteral("ok"), m_model->recordId(rows.first()),
                       QStringLiteral("%1, expires in %2 s").arg(key).arg(m_linkExpiry));
    QApplication::clipboard()->setText(url->toString(QUrl::FullyEncoded));
    const QDateTime until = QDateTime::currentDateTime().addSecs(m_linkExpiry);
    m_bar->showInformation(tr("Link to %1 copied. Anyone with it can download the object until %2.")
                               .arg(fileNameOf(key), QLocale().toString(until, QLocale::ShortFormat)));
}

void BucketsPage::deleteSelected() {
    QStringList plain, lines;
    QList<qint64> ids;
    for (const QModelIndex &i : selectedSource()) {
        if (m_model->isFolder(i))
            continue;
        const QString name = fileNameOf(m_model->key(i));
        if (const qint64 id = m_model->recordId(i)) {
            if (!ids.contains(id))
                ids << id;
            lines << tr("• %1 — backup #%2: every copy of this backup and its manifest is removed and the record "
                        "is marked DELETED")
                         .arg(name)
                         .arg(id);
        } else {
            plain << m_model->key(i);
            lines << (BucketArtifacts::isManifestKey(name) ? tr("• %1").arg(name)
                                                           : tr("• %1 and its manifest, if any").arg(name));
        }
    }
    const int count = int(plain.size() + ids.size());
    if (count == 0)
        return;
    constexpr int kShown = 8;
    QString list = lines.mid(0, kShown).join(QLatin1Char('\n'));
    if (lines.size() > kShown)
        list += QLatin1Char('\n') + tr("…and %L1 more").arg(lines.size() - kShown);
    const QString text = tr("Delete from bucket %1? Objects selected: %L2.").arg(m_config.bucket).arg(count) +
                         QStringLiteral("\n\n") + list + QStringLiteral("\n\n") + tr("This cannot be undone.");
    MessageBox::ask(this, QMessageBox::Warning, tr("Delete from bucket"), text, QMessageBox::Yes | QMessageBox::No,
                    QMessageBox::No, [this, plain, ids](MessageBox::Button b) {
                        if (b == QMessageBox::Yes)
                            removeObjects(plain, ids);
                        else
                            emit actionFinished(QStringLiteral("delete"), false);
                    });
}

void BucketsPage::removeObjects(const QStringList &plainKeys, const QList<qint64> &recordIds) {
    ++m_busy;
    updateActions();
    const quint64 generation = m_generation;
    runAsync(
        this,
        [config = m_config, storage = m_storageName, storages = m_ctx->config().storages(), plainKeys, recordIds,
         catalog = std::make_shared<PinnedCatalog>(m_ctx->catalog()),
         keychain = m_ctx->keychainKnown() && m_ctx->keychain().available()] {
            return BucketOperations::remove(config, storage, storages, plainKeys, recordIds, catalog, keychain);
        },
        [this, generation](const BucketOperations::Removed &r) {
            --m_busy;
            if (generation == m_generation && m_model)
                m_model->removeKeys(r.keys);
            if (!r.problems.isEmpty())
                m_bar->showError(tr("Some objects could not be deleted; the rest are gone."),
                                 r.problems.join(QLatin1Char('\n')));
            else
                m_bar->showInformation(
                    tr("Objects deleted: %L1.").arg(r.keys.size()),
                    (r.keys + (r.missing.isEmpty() ? QStringList() : QStringList{tr("Already gone:")} + r.missing))
                        .join(QLatin1Char('\n')));
            if (r.catalogChanged)
                emit m_ctx->catalogChanged();
            updateActions();
            emit actionFinished(QStringLiteral("delete"), r.problems.isEmpty());
        });
}

void BucketsPage::importKeys(const QStringList &keys, std::function<void(const QList<qint64> &)> then) {
    ++m_busy;
    updateActions();
    runAsync(
        this,
        [config = m_config, storage = m_storageName, keys,
         catalog = std::make_shared<PinnedCatalog>(m_ctx->catalog())] {
            return BucketOperations::import(config, storage, keys, catalog);
        },
        [this, then](const BucketOperations::Imported &r) {
            --m_busy;
            updateActions();
            if (!r.ids.isEmpty()) {
                emit m_ctx->catalogChanged();
                then(r.ids);
            }
            if (!r.problems.isEmpty())
                m_bar->showError(tr("Artifacts that could not be imported: %L1.").arg(r.problems.size()),
                                 r.problems.join(QLatin1Char('\n')));
        });
}

void BucketsPage::importSelected() {
    QStringList keys;
    for (const QModelIndex &i : selectedSource())
        if (!m_model->isFolder(i) && m_model->hasManifest(i) && m_model->recordId(i) == 0)
            keys << m_model->key(i);
    if (keys.isEmpty())
        return;
    importKeys(keys, [this](const QList<qint64> &ids) {
        QStringList refs;
        for (qint64 id : ids)
            refs << QStringLiteral("#%1").arg(id);
        m_bar->showInformation(
            tr("Imported into the catalog as completed backups: %1.").arg(refs.join(QStringLiteral(", "))));
        emit actionFinished(QStringLiteral("import"), true);
    });
}

void BucketsPage::restoreSelected() {
    const QModelIndexList rows = selectedSource();
    if (rows.size() != 1 || m_model->isFolder(rows.first()))
        return;
    const QModelIndex i = rows.first();
    if (const qint64 id = m_model->recordId(i)) {
        m_ctx->requestRestore(QString::number(id));
        emit actionFinished(QStringLiteral("restore"), true);
        return;
    }
    if (!m_model->hasManifest(i))
        return;
    const QString name = fileNameOf(m_model->key(i));
    importKeys({m_model->key(i)}, [this, name](const QList<qint64> &ids) {
        m_bar->showInformation(tr("%1 was imported into the catalog as backup #%2; the restore wizard opens on it.")
                                   .arg(name)
                                   .arg(ids.first()));
        m_ctx->requestRestore(QString::number(ids.first()));
        emit actionFinished(QStringLiteral("restore"), true);
    });
}

} // namespace lifeboat
