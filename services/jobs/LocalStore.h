#pragma once

#include "jobs/BackupStore.h"
#include "pipeline/AtomicFileSink.h"

#include <memory>

namespace lifeboat {

// A directory on local disk (or a mounted share). Layout mirrors the S3 key layout so a catalog rebuild reads
// both the same way: DIR/{type}/{YYYY-MM-DD}/{artifact} and {artifact}.manifest.json beside it.
class LocalStore : public BackupStore {
public:
    LocalStore(QString storageName, QString rootDir);

    QString storageName() const override { return m_name; }
    bool begin(const QString &artifact, const QString &type, const QDateTime &startedUtc, qint64 sizeHint) override;
    ByteSink *sink() override { return m_sink.get(); }
    bool putManifest(const QByteArray &json) override;
    bool putCompanion(const QString &name, const QByteArray &bytes) override;
    BackupLocation location() const override;
    void discard() override;
    qint64 freeBytes() const override;

    QString rootDir() const { return m_root; }

private:
    QString m_name;
    QString m_root;
    QString m_path;
    std::unique_ptr<AtomicFileSink> m_sink;
    bool m_manifestWritten = false;
    QStringList m_companions; // paths written by putCompanion
};

} // namespace lifeboat
