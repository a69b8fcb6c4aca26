#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

namespace lifeboat {

// Runs blocking work (a catalog query, a libpq connection, a keychain call, a file copy) on the global thread
// pool and hands the result to `done` on `context`'s thread. The GUI thread never waits: no nested event loop,
// no blocking call. If `context` is destroyed first the result is dropped; `work` must therefore own everything
// it touches (capture shared_ptr / values, never `this`).
template <typename Work, typename Done>
void runAsync(QObject *context, Work work, Done done, QThreadPool *pool = QThreadPool::globalInstance()) {
    using Result = std::invoke_result_t<Work>;
    static_assert(!std::is_void_v<Result>, "return a value (e.g. an Error) so the caller learns the outcome");
    auto *watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)]() mutable {
        done(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(pool, std::move(work)));
}

// Where catalog queries run. SqlCatalog keeps one connection per thread until the catalog closes; pool threads
// retire and new ones come, each opening another. One thread that never retires, started before any job
// (AppContext::open warms it), keeps a single connection for good. Deliberately never deleted: it lives as long as
// the process.
inline QThreadPool *catalogPool() {
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(1);
        p->setExpiryTimeout(-1);
        return p;
    }();
    return pool;
}

} // namespace lifeboat
