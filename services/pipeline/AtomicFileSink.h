#pragma once

#include "pipeline/ByteSink.h"

#include <QFile>
#include <QString>

#include <optional>

namespace lifeboat {

// Writes to "<final>.partial", fsyncs, then renames onto the final name, so a final name only ever holds a
// complete artifact. abort() (and destruction before finish) removes the partial file.
class AtomicFileSink : public ByteSink {
public:
    enum class Mode { Truncate, Append }; // Append resumes an existing partial (ranged downloads)

    explicit AtomicFileSink(QString finalPath, Mode mode = Mode::Truncate);
    ~AtomicFileSink() override;

    // Truncate: the partial must not exist yet (never shared with another writer). Append: resumes it.
    bool open();
    bool write(QByteArrayView data) override;
    bool finish() override;
    void abort() override;
    // Ends without finishing but leaves the partial for a later resume (an interrupted download).
    void keepPartial();
    // A scratch copy (a restore's private download, deleted when the restore ends) need not survive a power cut:
    // without durability finish() skips the fsync of the file and its directory — seconds for a GB-sized archive.
    void setDurable(bool durable) { m_durable = durable; }
    // The partial file is created (O_CREAT|O_EXCL) with these permissions rather than the umask's, so a secret
    // such as an identity file is never readable by others, not even between its creation and a chmod.
    void setCreatePermissions(QFileDevice::Permissions permissions) { m_permissions = permissions; }

    QString finalPath() const { return m_finalPath; }
    QString partialPath() const { return m_finalPath + QStringLiteral(".partial"); }
    qint64 existingBytes() const { return m_existing; } // bytes already in the partial when opened with Append
    bool committed() const { return m_committed; }      // the final name now holds this sink's file

    // fsyncs a directory, so an entry just created or renamed in it survives a power cut. False (with the reason
    // in *why) when the directory can't be opened or the fsync fails: the entry's durability is then unknown.
    static bool syncDirectory(const QString &dirPath, QString *why = nullptr);
    // mkpath that makes every directory it creates durable: each new directory is fsynced into its parent (a
    // file fsynced inside a directory whose own entry was lost is lost with it). False with the reason in *why.
    static bool makeDirectories(const QString &dirPath, QString *why);

private:
    QString m_finalPath;
    Mode m_mode;
    QFile m_file;
    qint64 m_existing = 0;
    bool m_done = false;
    bool m_committed = false;
    bool m_owned = false; // open() succeeded: the partial is this sink's to delete
    bool m_durable = true;
    std::optional<QFileDevice::Permissions> m_permissions;
};

} // namespace lifeboat
