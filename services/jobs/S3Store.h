#pragma once

#include "jobs/BackupStore.h"
#include "storage/S3Session.h"
#include "storage/S3UploadSink.h"

#include <memory>

namespace lifeboat {

// A bucket as a backup destination: the artifact streams up as a multipart upload while pg_dump still runs
// (one pass over the data), the manifest goes beside it. discard() deletes whatever this store created.
class S3Store : public BackupStore {
public:
    S3Store(QString storageName, std::shared_ptr<S3Session> session);
    ~S3Store() override;

    QString storageName() const override { return m_name; }
    bool begin(const QString &artifact, const QString &type, const QDateTime &startedUtc, qint64 sizeHint) override;
    ByteSink *sink() override { return m_sink.get(); }
    bool putManifest(const QByteArray &json) override;
    bool putCompanion(const QString &name, const QByteArray &bytes) override;
    BackupLocation location() const override;
    void discard() override;

    static constexpr qint64 kPartSize = 12 * 1024 * 1024;
    static constexpr qint64 kPartBudget = 60 * 1024 * 1024; // parts in flight + the one being filled

private:
    QString m_name;
    std::shared_ptr<S3Session> m_session;
    QString m_key;
    std::unique_ptr<S3UploadSink> m_sink;
    bool m_manifestWritten = false;
    QStringList m_companions;  // keys written by putCompanion
    bool m_keyWasFree = false; // HEAD answered 404 before the upload began
};

} // namespace lifeboat
