#pragma once

#include <QJsonObject>
#include <QString>

namespace lifeboat {

// One thing worth telling people about: a backup that finished or failed, a stalled job, a test message.
struct Notification {
    QString event; // backup.completed | backup.failed | job.stalled | test
    bool failure = false;
    QString profile;    // the source it concerns (empty: none)
    QString subject;    // one line: e-mail subject, first line of the chat message
    QString text;       // the details, plain text
    QJsonObject fields; // structured extras for webhook consumers (recordId, type, size, error, …)
};

} // namespace lifeboat
