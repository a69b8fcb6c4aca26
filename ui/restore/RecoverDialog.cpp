#include "ui/restore/RecoverDialog.h"

#include "jobs/Job.h"
#include "models/Async.h"
#include "models/Format.h"
#include "models/PinnedCatalog.h"
#include "ops/Recover.h"
#include "secrets/KeychainCredentialStore.h"
#include "secrets/MemoryCredentialStore.h"
#include "ui/AppContext.h"
#include "ui/restore/RecoveryTimeline.h"
#include "ui/tray/CtlLocator.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTimeZone>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
int firstFreePort(int from) {
    for (int p = from; p < from + 100; ++p) {
        if (!RecoverJob::portInUse(p))
            return p;
    }
    return from;
}
} // namespace

RecoverDialog::RecoverDialog(AppContext *ctx, const QString &profile, QWidget *parent)
    : QDialog(parent)
    , m_ctx(ctx) {
    setWindowTitle(tr("Recover to a point in time"));
    auto *v = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Recovers a continuously protected server — a base backup and the archived WAL after "
                                "it — into a new data directory on this machine, up to the moment you choose. The "
                                "server you back up is not touched."),
                             this);
    intro->setWordWrap(true);
    v->addWidget(intro);

    auto *form = new QFormLayout;
    m_profile = new QComboBox(this);
    for (const Profile &p : m_ctx->config().profiles())
        m_profile->addItem(QIcon(QStringLiteral(":/icons/server.svg")), p.name, p.name);
    if (const int i = m_profile->findData(profile); i >= 0)
        m_profile->setCurrentIndex(i);
    form->addRow(tr("&Server:"), m_profile);

    m_timeline = new RecoveryTimeline(this);
    form->addRow(tr("Recoverable:"), m_timeline);

    auto *targetRow = new QHBoxLayout;
    m_latest = new QRadioButton(tr("&Latest"), this);
    m_latest->setToolTip(tr("Everything in the archive, up to the newest WAL stored"));
    m_atTime = new QRadioButton(tr("&At"), this);
    m_time = new QDateTimeEdit(QDateTime::currentDateTime(), this);
    m_time->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_time->setCalendarPopup(true);
    m_time->setAccessibleName(tr("Recovery target time"));
    const QString zone = QString::fromUtf8(QTimeZone::systemTimeZoneId());
    auto *zoneLabel = new QLabel(tr("%1 (this computer's time zone)").arg(zone), this);
    m_latest->setChecked(true);
    targetRow->addWidget(m_latest);
    targetRow->addWidget(m_atTime);
    targetRow->addWidget(m_time, 1);
    targetRow->addWidget(zoneLabel);
    auto *targetLabel = new QLabel(tr("&Target:"), this);
    targetLabel->setBuddy(m_latest);
    form->addRow(targetLabel, targetRow);

    auto *dirRow = new QHBoxLayout;
    m_dataDir = new QLineEdit(this);
    m_dataDir->setPlaceholderText(tr("an absent or empty directory on this machine"));
    m_dataDir->setText(QDir::home().filePath(QStringLiteral("lifeboat-recovered/%1").arg(m_profile->currentText())));
    auto *browse = new QPushButton(tr("&Browse…"), this);
    dirRow->addWidget(m_dataDir, 1);
    dirRow->addWidget(browse);
    // A row whose field is a layout gets no buddy from addRow: the label is made here so Alt+D reaches the field.
    auto *dirLabel = new QLabel(tr("&Data directory:"), this);
    dirLabel->setBuddy(m_dataDir);
    form->addRow(dirLabel, dirRow);
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(firstFreePort(5433));
    form->addRow(tr("&Port:"), m_port);
    m_keepRunning = new QCheckBox(tr("&Keep the recovered server running (to copy data out of it)"), this);
    form->addRow(QString(), m_keepRunning);
    v->addLayout(form);

    m_plan = new QLabel(tr("Check to see the plan: the base backup, the WAL to replay, and any reason not to."), this);
    m_plan->setWordWrap(true);
    m_plan->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_plan);
    auto *progressRow = new QHBoxLayout;
    m_phase = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_progress->hide();
    progressRow->addWidget(m_phase);
    progressRow->addWidget(m_progress, 1);
    v->addLayout(progressRow);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setAccessibleName(tr("Recovery log"));
    m_log->setMaximumBlockCount(5000);
    m_log->hide();
    v->addWidget(m_log, 1);
    m_outcome = new QLabel(this);
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_outcome);

    auto *buttons = new QDialogButtonBox(this);
    m_check = buttons->addButton(tr("C&heck"), QDialogButtonBox::ActionRole);
    m_recover = buttons->addButton(tr("&Recover"), QDialogButtonBox::AcceptRole);
    m_recover->setEnabled(false);
    buttons->addButton(QDialogButtonBox::Close);
    v->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        FileDialog::getExistingDirectory(this, tr("Recover into"), m_dataDir->text(), [this](const QString &d) {
            if (!d.isEmpty())
                m_dataDir->setText(d);
        });
    });
    connect(m_check, &QPushButton::clicked, this, &RecoverDialog::runCheck);
    connect(m_recover, &QPushButton::clicked, this, &RecoverDialog::runRecovery);
    connect(buttons, &QDialogButtonBox::rejected, this, &RecoverDialog::reject);
    connect(m_profile, &QComboBox::currentIndexChanged, this, &RecoverDialog::inputsChanged);
    connect(m_latest, &QRadioButton::toggled, this, &RecoverDialog::inputsChanged);
    connect(m_time, &QDateTimeEdit::dateTimeChanged, this, &RecoverDialog::inputsChanged);
    connect(m_dataDir, &QLineEdit::textChanged, this, &RecoverDialog::inputsChanged);
    connect(m_port, &QSpinBox::valueChanged, this, &RecoverDialog::inputsChanged);
    connect(m_keepRunning, &QCheckBox::toggled, this, &RecoverDialog::inputsChanged);
    resize(760, 560);
    inputsChanged();
}

RecoverDialog::~RecoverDialog() = default;

QDateTime RecoverDialog::targetTime() const {
    if (m_latest->isChecked())
        return {};
    // To the second, as the field shows it (a time set with milliseconds keeps them underneath).
    QDateTime t = m_time->dateTime();
    const QTime shown = t.time();
    t.setTime(QTime(shown.hour(), shown.minute(), shown.second()));
    return t.toUTC();
}

QString RecoverDialog::inputsKey() const {
    return QStringList{m_profile->currentData().toString(), targetTime().toString(Qt::ISODate),
                       m_dataDir->text().trimmed(), QString::number(m_port->value()),
                       m_keepRunning->isChecked() ? QStringLiteral("1") : QStringLiteral("0")}
        .join(QLatin1Char('\n'));
}

void RecoverDialog::inputsChanged() {
    m_time->setEnabled(m_atTime->isChecked());
    m_timeline->setTarget(targetTime());
    // A check holds for the inputs it ran with: any change asks for a new one.
    m_recover->setEnabled(!isRunning() && !m_checking && checkPassed());
    m_check->setEnabled(!isRunning() && !m_checking && m_profile->count() > 0);
}

Recover::Request RecoverDialog::request(const QString &profile) const {
    Recover::Request req;
    req.profile = profile;
    req.target.kind = m_latest->isChecked() ? RecoverTarget::Kind::Latest : RecoverTarget::Kind::Time;
    req.target.time = targetTime();
    req.dataDir = m_dataDir->text().trimmed();
    req.port = m_port->value();
    req.ctlPath = CtlLocator::path();
    req.home = m_ctx->home();
    return req;
}

UseCaseContext RecoverDialog::useCaseContext(CredentialStore *secrets) const {
    UseCaseContext uc;
    // The job's catalog calls run on the long-lived catalog thread (see PinnedCatalog).
    uc.catalog = std::make_shared<PinnedCatalog>(m_ctx->catalog());
    uc.config = m_ctx->config();
    uc.secrets = secrets;
    return uc;
}

void RecoverDialog::runCheck() {
    const auto profile = m_ctx->config().profile(m_profile->currentData().toString());
    if (!profile || isRunning())
        return;
    const int gen = ++m_generation;
    m_checking = true;
    m_checkOk = false;
    m_checkedInputs = inputsKey();
    m_plan->setText(tr("Checking…"));
    inputsChanged();
    Recover::Request req = request(profile->name);
    req.dryRun = true;
    struct Checked {
        JobResult result;
        QList<QDateTime> bases;
    };
    runAsync(
        this,
        // On the global pool, not the catalog thread: the job's PinnedCatalog sends its calls there and waits. The
        // job is made here too, so it lives on the thread that runs it; the check reads no copy and needs no secret.
        [req, uc = useCaseContext(nullptr), catalog = std::make_shared<PinnedCatalog>(m_ctx->catalog())]() mutable {
            Checked c;
            const QString name = req.profile;
            PreparedJob prepared = Recover::prepare(std::move(req), uc);
            c.result = prepared ? prepared.job->run() : JobResult{prepared.error, 0, {}};
            // Every base backup of the profile, for the timeline's marks.
            CatalogFilter f;
            f.profile = name;
            f.kind = QStringLiteral("base");
            f.status = BackupRecord::statusCompleted();
            for (const BackupRecord &r : catalog->list(f)) {
                if (const auto info = catalog->baseBackup(r.id))
                    c.bases << info->stopTime;
            }
            return c;
        },
        [this, gen](const Checked &c) {
            if (gen != m_generation)
                return;
            m_checking = false;
            showCheck(c.result, c.bases);
        });
}

void RecoverDialog::showCheck(const JobResult &r, const QList<QDateTime> &bases) {
    m_checkOk = r.ok();
    const QJsonObject plan = r.details.value(QStringLiteral("plan")).toObject();
    const QDateTime start =
        QDateTime::fromString(plan.value(QStringLiteral("windowStart")).toString(), Qt::ISODateWithMs);
    const QDateTime end = QDateTime::fromString(plan.value(QStringLiteral("windowEnd")).toString(), Qt::ISODateWithMs);
    if (start.isValid() && end.isValid())
        m_timeline->setWindow(start, end, bases, !plan.value(QStringLiteral("missing")).toString().isEmpty());
    else
        m_timeline->clear();
    m_timeline->setTarget(targetTime());
    if (!r.ok()) {
        m_plan->setText(QStringLiteral("<span style='color:#b3261e'><b>%1</b></span> %2")
                            .arg(tr("Not possible:"), r.error.message.toHtmlEscaped()));
    } else {
        const int segments = int(plan.value(QStringLiteral("segments")).toArray().size());
        m_plan->setText(
            tr("<b>Ready.</b> Base backup #%1 (%2, consistent at %3), then %n archived WAL segment(s) replayed up to "
               "%4. The server binaries of %5 start on port %6.",
               nullptr, segments)
                .arg(plan.value(QStringLiteral("baseBackupId")).toInteger())
                .arg(plan.value(QStringLiteral("baseBackup")).toString().toHtmlEscaped(),
                     Format::dateTime(QDateTime::fromString(plan.value(QStringLiteral("baseBackupStopTime")).toString(),
                                                            Qt::ISODateWithMs)),
                     m_latest->isChecked() ? tr("the newest WAL stored") : Format::dateTime(targetTime()),
                     r.details.value(QStringLiteral("serverBinaries")).toString().toHtmlEscaped())
                .arg(m_port->value()));
    }
    inputsChanged();
    emit checked(m_checkOk);
}

void RecoverDialog::runRecovery() {
    const auto profile = m_ctx->config().profile(m_profile->currentData().toString());
    if (!profile || !checkPassed() || isRunning())
        return;
    Recover::Request req = request(profile->name);
    req.start = m_keepRunning->isChecked();
    m_log->clear();
    m_log->show();
    m_outcome->clear();
    m_progress->show();
    m_phase->setText(tr("Recovering…"));
    m_preparing = true;
    inputsChanged();
    // The base backup's copy may be in S3: its secret is read from the keychain on a worker first.
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    runAsync(
        this,
        [keychain, keys = Recover::secretKeys(m_ctx->config())] {
            if (!keychain)
                return std::make_shared<MemoryCredentialStore>();
            KeychainCredentialStore store;
            return std::make_shared<MemoryCredentialStore>(MemoryCredentialStore::readFrom(&store, keys));
        },
        [this, req, name = profile->name](const std::shared_ptr<MemoryCredentialStore> &secrets) mutable {
            m_preparing = false;
            PreparedJob prepared = Recover::prepare(std::move(req), useCaseContext(secrets.get()));
            if (!prepared)
                return onFinished({prepared.error, 0, {}});
            m_running = m_ctx->submitJob(std::move(prepared.job), name);
            watchRun();
        });
}

void RecoverDialog::watchRun() {
    connect(m_running, &Job::logLine, this, [this](const QString &line) { m_log->appendPlainText(line); });
    connect(m_running, &Job::progress, this, [this](const JobProgress &p) {
        if (!p.phase.isEmpty())
            m_phase->setText(p.phase);
    });
    connect(m_running, &Job::finished, this, &RecoverDialog::onFinished);
    inputsChanged();
}

void RecoverDialog::onFinished(const JobResult &r) {
    m_running = nullptr;
    m_result = r;
    m_progress->hide();
    m_phase->setText(r.ok() ? tr("Recovered") : tr("Failed"));
    const QString verdict = r.details.value(QStringLiteral("verdict")).toString();
    const bool running = r.details.value(QStringLiteral("running")).toBool();
    m_outcome->setText(r.ok() ? QStringLiteral("<span style='color:#1b7f3b'><b>%1</b></span> %2 %3")
                                    .arg(tr("Recovered into %1.").arg(m_dataDir->text().toHtmlEscaped()),
                                         verdict.toHtmlEscaped(),
                                         running ? tr("The server keeps running on port %1.").arg(m_port->value())
                                                 : tr("The server was stopped cleanly."))
                              : QStringLiteral("<span style='color:#b3261e'><b>%1</b></span> %2")
                                    .arg(tr("Recovery failed:"), r.error.message.toHtmlEscaped()));
    m_checkOk = false; // the directory is no longer empty: another run needs a new check
    inputsChanged();
    emit recoveryFinished(r);
}

void RecoverDialog::reject() {
    if (m_running) {
        MessageBox::question(this, tr("Recovery running"), tr("A recovery is running. Cancel it?"), [this](bool yes) {
            if (yes && m_running)
                m_running->cancel();
        });
        return;
    }
    QDialog::reject();
}

} // namespace lifeboat
