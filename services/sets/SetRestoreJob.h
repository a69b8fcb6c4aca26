#pragma once

#include "core/ExitCode.h"
#include "jobs/Job.h"

#include <functional>
#include <memory>
#include <vector>

namespace lifeboat {

// Restores every member of one application backup set, all or nothing up front: each member's safety check runs
// first (the database restore's full checklist as a dry run, the mirror's conflict check, the directory's
// emptiness), and if any refuses, the set restore refuses as a whole before anything is touched, naming the
// member. Then the members restore in capture order (database first); a member that fails stops the rest and the
// result names it. Members with nothing to restore automatically (Redis) contribute guidance text instead.
// Result details: setId, dryRun, members [{kind, name, recordId, check, status, error, guidance, details}].
class SetRestoreJob : public Job {
    Q_OBJECT
public:
    struct Member {
        QString kind;
        QString name;
        qint64 recordId = 0;
        std::function<Error(QJsonObject *details)> check; // touches nothing
        std::function<std::unique_ptr<Job>()> makeJob;    // null: nothing to run (guidance only)
        QString guidance;
    };
    struct Request {
        QString setId;
        bool dryRun = false;
        std::vector<Member> members;
    };

    explicit SetRestoreJob(Request request, QObject *parent = nullptr);
    ~SetRestoreJob() override;

    QString title() const override;

protected:
    JobResult execute() override;

private:
    Request m_req;
};

} // namespace lifeboat
