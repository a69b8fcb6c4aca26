#pragma once

#include "catalog/Catalog.h"
#include "jobs/Job.h"

#include <QDateTime>

#include <functional>
#include <memory>
#include <vector>

namespace lifeboat {

// Captures an application backup set: runs the member jobs (database first, then bucket mirrors, directories and
// Redis, as SetPlanner orders them) one after the other on this worker thread, each already carrying the set id
// in its options so every record it writes belongs to the set. The first member that fails stops the set: the
// members after it do not run, the members before it keep their (complete) artifacts but their records are
// annotated "set incomplete: …", and a failure that left no record gets a FAILED placeholder record, so the
// catalog always says the set failed and which member broke it. Result details: setId, status, failedMember,
// members [{kind, name, recordId, status, error}].
class SetBackupJob : public Job {
    Q_OBJECT
public:
    struct Member {
        QString kind; // database | files | mirror | redis
        QString name; // profile, file source, mirror or Redis source name
        std::function<std::unique_ptr<Job>()> makeJob;
    };
    struct Request {
        QString setName;
        QString setId;
        QString type = QStringLiteral("MANUAL");
        std::vector<Member> members;
        std::shared_ptr<Catalog> catalog;
    };

    explicit SetBackupJob(Request request, QObject *parent = nullptr);
    ~SetBackupJob() override;

    QString title() const override;

    // "set-<name>-<yyyyMMddTHHmmssZ>" (UTC). Sorts by time within a set; the name is recoverable.
    static QString makeSetId(const QString &setName, const QDateTime &startedUtc);
    // The capture time encoded in a set id; invalid for another shape.
    static QDateTime timeOf(const QString &setId);
    // The prefix every id of a set starts with ("set-shop-").
    static QString idPrefix(const QString &setName);
    // The marker in the error of a member record whose set did not complete.
    static QString incompleteMarker() { return QStringLiteral("set incomplete: "); }

protected:
    JobResult execute() override;

private:
    void annotate(const QList<qint64> &recordIds, const QString &why);
    qint64 placeholder(const Member &member, const Error &e, const QDateTime &started);

    Request m_req;
};

} // namespace lifeboat
