#pragma once

#include "core/ExitCode.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace lifeboat {

// One pre-restore check as the wizard's checklist and `lifeboatctl restore` show it. Every check runs before
// anything is touched; one Refused check stops the restore (exit 6, or 4 for integrity) with nothing changed.
struct SafetyCheck {
    enum class Outcome { Passed, Warning, Refused, Skipped };

    QString id;    // integrity, archive, target, client, readable, database, connections, confirm, safety-backup
    QString title; // "Artifact integrity"
    Outcome outcome = Outcome::Skipped;
    QString detail;               // what was found, and for a refusal what to do about it
    ExitCode code = ExitCode::Ok; // for a refusal: Refused, or Integrity for a damaged/undecryptable artifact

    bool refused() const { return outcome == Outcome::Refused; }
    static QString outcomeName(Outcome o) {
        switch (o) {
        case Outcome::Passed:
            return QStringLiteral("passed");
        case Outcome::Warning:
            return QStringLiteral("warning");
        case Outcome::Refused:
            return QStringLiteral("refused");
        case Outcome::Skipped:
            break;
        }
        return QStringLiteral("skipped");
    }
    QJsonObject toJson() const {
        return {{QStringLiteral("id"), id},
                {QStringLiteral("title"), title},
                {QStringLiteral("outcome"), outcomeName(outcome)},
                {QStringLiteral("detail"), detail}};
    }
    static QJsonArray toJson(const QList<SafetyCheck> &checks) {
        QJsonArray a;
        for (const SafetyCheck &c : checks)
            a.append(c.toJson());
        return a;
    }
};

} // namespace lifeboat
