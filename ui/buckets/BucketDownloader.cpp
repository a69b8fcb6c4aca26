#include "ui/buckets/BucketDownloader.h"

#include "catalog/AuditTrail.h"
#include "catalog/LeaseGuard.h"
#include "catalog/Manifest.h"
#include "jobs/BucketArtifacts.h"
#include "models/Async.h"
#include "storage/S3Download.h"
#include "storage/S3Session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <atomic>
#include <mutex>

namespace lifeboat {

struct BucketDownloader::State {
    std::atomic<bool> cancelled{false};
    std::atomic<int> current{-1};
    std::mutex mutex;
    std::shared_ptr<S3Session> session; // while the worker runs; guarded by mutex
};

namespace {
QString fileNameOf(const QString &key) {
    return key.section(QLatin1Char('/'), -1);
}

// One audit row per object asked for: the bucket and key, where it went or why not, and the backup it is a copy of.
void audit(const S3Config &config, const BucketDownloader::Item &item, const QString &outcome, const QString &detail) {
    AuditTrail::record(QStringLiteral("download"), QStringLiteral("%1/%2").arg(config.bucket, item.key), outcome,
                       item.recordId, detail);
}

BucketDownloader::Outcome runDownloads(const std::shared_ptr<BucketDownloader::State> &state, const S3Config &config,
                                       const QList<BucketDownloader::Item> &items, const QString &dir,
                                       const std::shared_ptr<Catalog> &catalog) {
    BucketDownloader::Outcome out;
    auto session = std::make_shared<S3Session>(config);
    {
        std::lock_guard lock(state->mutex);
        state->session = session;
    }
    for (int i = 0; i < items.size() && !state->cancelled; ++i) {
        state->current = i;
        const QString key = items[i].key;
        const QString name = fileNameOf(key);
        const QString target = QDir(dir).filePath(name);
        if (QFileInfo::exists(target)) {
            out.problems << BucketDownloader::tr("%1: %2 already exists; it was not overwritten").arg(name, target);
            audit(config, items[i], QStringLiteral("refused"), QStringLiteral("%1 already exists").arg(target));
            continue;
        }
        LeaseGuard lease; // a catalogued backup is not deleted (delete, prune) while it is downloaded
        if (items[i].recordId > 0 && catalog) {
            if (const Error e =
                    LeaseGuard::acquire(catalog.get(), items[i].recordId, QStringLiteral("download"), &lease)) {
                out.problems << QStringLiteral("%1: %2").arg(name, e.message);
                audit(config, items[i], QStringLiteral("refused"), e.message);
                continue;
            }
        }
        QByteArray expected;
        if (!BucketArtifacts::isManifestKey(key)) {
            Manifest m;
            bool found = false;
            if (Error e = BucketArtifacts::readManifest(*session, key, &m, &found)) {
                out.problems << BucketDownloader::tr("%1: cannot read its manifest: %2").arg(name, e.message);
                audit(config, items[i], QStringLiteral("failed"), e.message);
                continue;
            }
            if (found)
                expected = m.sha256.toLatin1();
        }
        const Error e = S3Download::toFile(*session, key, target, expected);
        lease.renewIfDue();
        if (e && state->cancelled) {
            // A cancelled transfer is not resumed from here: leave nothing behind.
            QFile::remove(target + QStringLiteral(".partial"));
            audit(config, items[i], QStringLiteral("cancelled"), target);
            break;
        }
        if (e) {
            out.problems << QStringLiteral("%1: %2").arg(name, e.message);
            audit(config, items[i], QStringLiteral("failed"), e.message);
            continue;
        }
        audit(config, items[i], QStringLiteral("completed"), target);
        out.files << target;
        if (!expected.isEmpty())
            out.verified << target;
    }
    out.cancelled = state->cancelled;
    std::lock_guard lock(state->mutex);
    state->session.reset();
    return out;
}
} // namespace

BucketDownloader::BucketDownloader(QObject *parent)
    : QObject(parent) {
    qRegisterMetaType<BucketDownloader::Outcome>();
    m_timer.setInterval(150);
    connect(&m_timer, &QTimer::timeout, this, &BucketDownloader::sample);
}

BucketDownloader::~BucketDownloader() {
    if (m_running)
        cancel();
}

void BucketDownloader::start(const S3Config &config, const QList<Item> &items, const QString &dir,
                             std::shared_ptr<Catalog> catalog) {
    if (m_running || items.isEmpty())
        return;
    m_running = true;
    m_items = items;
    m_dir = dir;
    m_state = std::make_shared<State>();
    m_timer.start();
    sample();
    runAsync(
        this,
        [state = m_state, config, items, dir, catalog = std::move(catalog)] {
            return runDownloads(state, config, items, dir, catalog);
        },
        [this](const Outcome &outcome) {
            m_running = false;
            m_timer.stop();
            qint64 total = 0;
            for (const Item &it : std::as_const(m_items))
                total += it.size;
            emit progress(outcome.cancelled ? 0 : total, total, int(m_items.size()), int(m_items.size()), {});
            emit finished(outcome);
        });
}

void BucketDownloader::cancel() {
    if (!m_state)
        return;
    m_state->cancelled = true;
    std::lock_guard lock(m_state->mutex);
    if (m_state->session)
        m_state->session->cancelAll();
}

void BucketDownloader::sample() {
    if (!m_state)
        return;
    if (m_state->cancelled) {
        cancel(); // a call started just after the first cancel() is stopped too
        return;
    }
    const int current = std::max(0, m_state->current.load());
    qint64 done = 0, total = 0;
    for (int i = 0; i < m_items.size(); ++i) {
        total += m_items[i].size;
        if (i < current)
            done += m_items[i].size;
    }
    QString name;
    if (current < m_items.size()) {
        name = fileNameOf(m_items[current].key);
        // A stat of the growing partial file: cheap, and it needs nothing from the worker.
        const QFileInfo partial(QDir(m_dir).filePath(name) + QStringLiteral(".partial"));
        if (partial.exists())
            done += std::min(partial.size(), m_items[current].size);
    }
    emit progress(done, total, current, int(m_items.size()), name);
}

} // namespace lifeboat
