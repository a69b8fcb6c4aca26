#include "ui/restore/RestoreRunPage.h"

#include "jobs/JobRunner.h"
#include "models/Format.h"
#include "models/JobListModel.h"
#include "restore/RestoreJob.h"
#include "ui/AppContext.h"
#include "ui/restore/RestoreWizard.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace lifeboat {

RestoreRunPage::RestoreRunPage(RestoreWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard) {
    setTitle(tr("Restoring"));
    setSubTitle(tr("The checks run once more, then the restore. It is also listed on the Jobs page."));
    // There is no going back past a started restore.
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Report"));
    auto *v = new QVBoxLayout(this);
    m_phase = new QLabel(this);
    m_phase->setAccessibleName(tr("Restore phase"));
    v->addWidget(m_phase);
    auto *row = new QHBoxLayout;
    m_bar = new QProgressBar(this);
    m_bar->setAccessibleName(tr("Restore progress"));
    m_bar->setFormat(tr("%v of %m items"));
    row->addWidget(m_bar, 1);
    m_cancel = new QPushButton(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("&Cancel restore"), this);
    m_cancel->setAccessibleName(tr("Cancel the restore"));
    row->addWidget(m_cancel);
    v->addLayout(row);
    m_bytes = new QLabel(this);
    v->addWidget(m_bytes);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setAccessibleName(tr("Restore log"));
    v->addWidget(m_log, 1);
    m_state = new QLabel(this);
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_state->setAccessibleName(tr("State of the target"));
    v->addWidget(m_state);
    connect(m_cancel, &QPushButton::clicked, this, &RestoreRunPage::cancelRestore);
}

void RestoreRunPage::initializePage() {
    m_log->clear();
    m_state->clear();
    m_bar->setRange(0, 0); // busy until the item count is known
    m_bytes->clear();
    m_finished = false;
    m_cancelRequested = false;
    m_created = false;
    m_cancel->setEnabled(true);
    start();
}

void RestoreRunPage::start() {
    const RestoreOptions o = m_wizard->options();
    m_running = true;
    m_wizard->setRunStarted(QDateTime::currentDateTimeUtc());
    m_phase->setText(tr("Preparing the restore into “%1”…").arg(o.targetDb));
    emit completeChanged();
    m_wizard->withSecrets([this, o](const RestoreWizard::Secrets &secrets) {
        if (m_cancelRequested) {
            onFinished({{ExitCode::Cancelled, QStringLiteral("cancelled")}, 0, {}});
            return;
        }
        AppContext *ctx = m_wizard->context();
        Error error;
        std::unique_ptr<RestoreJob> restore = m_wizard->makeJob(o, secrets, &error);
        if (!restore) {
            onFinished({error, 0, {}});
            return;
        }
        Job *job = ctx->runner()->submit(std::move(restore));
        ctx->jobs()->track(job, o.targetProfile);
        m_job = job;
        connect(job, &Job::progress, this, &RestoreRunPage::onProgress);
        connect(job, &Job::logLine, this, [this](const QString &line) {
            if (line.startsWith(QLatin1String("created database")))
                m_created = true;
            m_log->appendPlainText(line);
        });
        connect(job, &Job::finished, this, &RestoreRunPage::onFinished);
    });
}

void RestoreRunPage::cancelRestore() {
    if (!m_running)
        return;
    m_cancelRequested = true;
    m_cancel->setEnabled(false);
    m_phase->setText(tr("Cancelling…"));
    if (m_job)
        m_job->cancel();
}

void RestoreRunPage::onProgress(const JobProgress &p) {
    m_phase->setText(p.currentItem.isEmpty() ? p.phase : tr("%1: %2").arg(p.phase, p.currentItem));
    if (p.bytesTotal > 0 && p.bytes > 0) {
        // Bytes of the backup read: one big table moves the bar while it loads (items alone read "0 of 1").
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(qMin(p.bytes, p.bytesTotal) * 1000 / p.bytesTotal));
        m_bar->setFormat(p.itemsTotal > 0 ? tr("%p% · %1 of %2 items").arg(p.itemsDone).arg(p.itemsTotal)
                                          : QStringLiteral("%p%"));
    } else if (p.itemsTotal > 0) {
        m_bar->setFormat(tr("%v of %m items"));
        m_bar->setRange(0, p.itemsTotal);
        m_bar->setValue(p.itemsDone);
    }
    if (p.bytes > 0)
        m_bytes->setText(p.bytesPerSecond > 0
                             ? tr("%1 read · %2").arg(Format::size(p.bytes), Format::rate(p.bytesPerSecond))
                             : tr("%1 read").arg(Format::size(p.bytes)));
}

void RestoreRunPage::onFinished(const JobResult &r) {
    m_running = false;
    m_finished = true;
    m_cancel->setEnabled(false);
    const RestoreOptions o = m_wizard->options();
    const QJsonObject restore = r.details.value(QStringLiteral("restore")).toObject();
    if (restore.contains(QStringLiteral("itemsTotal")) && restore.value(QStringLiteral("itemsTotal")).toInt() > 0) {
        m_bar->setFormat(tr("%v of %m items"));
        m_bar->setRange(0, restore.value(QStringLiteral("itemsTotal")).toInt());
        m_bar->setValue(restore.value(QStringLiteral("itemsDone")).toInt());
    } else if (m_bar->maximum() == 0) {
        m_bar->setRange(0, 1);
        m_bar->setValue(r.ok() ? 1 : 0);
    }
    const bool touched = m_created || r.details.contains(QStringLiteral("restore")) ||
                         r.details.contains(QStringLiteral("safetyBackupId"));
    const QString safety = r.details.contains(QStringLiteral("safetyBackupId"))
                               ? tr(" The safety backup taken first is #%1.")
                                     .arg(r.details.value(QStringLiteral("safetyBackupId")).toInteger())
                               : QString();
    QString state;
    if (r.ok()) {
        m_phase->setText(tr("Done"));
        state = tr("The restore into “%1” completed.").arg(o.targetDb) + safety;
    } else {
        m_phase->setText(r.error.code == ExitCode::Cancelled ? tr("Cancelled") : tr("Failed"));
        const QString what = r.error.code == ExitCode::Cancelled ? tr("The restore was cancelled.")
                                                                 : tr("The restore failed: %1").arg(r.error.message);
        if (!touched)
            state = what + QLatin1Char(' ') + tr("Nothing was changed: it stopped before touching the target.");
        else if (m_created && r.details.value(QStringLiteral("droppedCreatedDatabase")).toBool())
            state = what + QLatin1Char(' ') +
                    tr("The database “%1” that this run created was dropped again; the server is as before.")
                        .arg(o.targetDb);
        else if (m_created || o.create)
            state = what + QLatin1Char(' ') +
                    tr("The database “%1” was created and is only partly restored — drop it before using the name "
                       "again.")
                        .arg(o.targetDb);
        else
            state = what + QLatin1Char(' ') +
                    tr("The existing database “%1” may be partly restored: restore again with “clean”, or from a "
                       "backup.")
                        .arg(o.targetDb) +
                    safety;
    }
    m_state->setText(state);
    m_state->setStyleSheet(r.ok() ? QString() : QStringLiteral("color: #b3261e;"));
    m_wizard->setRunOutcome(r.ok(), r.ok() ? QString() : r.error.message + QLatin1Char('\n') + state, r.details);
    emit completeChanged();
    emit restoreFinished(r.ok());
}

bool RestoreRunPage::isComplete() const {
    return m_finished;
}

} // namespace lifeboat
