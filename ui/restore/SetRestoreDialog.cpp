#include "ui/restore/SetRestoreDialog.h"

#include "jobs/JobRunner.h"
#include "models/Async.h"
#include "models/Format.h"
#include "ops/SetRestore.h"
#include "restore/SafetyBackup.h"
#include "secrets/KeychainCredentialStore.h"
#include "secrets/MemoryCredentialStore.h"
#include "sets/SetBackupJob.h"
#include "sets/SetPlanner.h"
#include "sets/SetRestoreJob.h"
#include "ui/AppContext.h"
#include "ui/widgets/FileDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
constexpr int kCaptureLimit = 200; // newest first; the CLI reaches older ones

QString kindLabel(const QString &kind) {
    if (kind == QLatin1String("database"))
        return SetRestoreDialog::tr("Database");
    if (kind == QLatin1String("mirror"))
        return SetRestoreDialog::tr("Bucket mirror");
    if (kind == QLatin1String("files"))
        return SetRestoreDialog::tr("Directory");
    if (kind == QLatin1String("redis"))
        return SetRestoreDialog::tr("Redis");
    return kind;
}
} // namespace

SetRestoreDialog::SetRestoreDialog(AppContext *ctx, QWidget *parent)
    : QDialog(parent)
    , m_ctx(ctx) {
    setWindowTitle(tr("Restore a backup set"));
    setAccessibleName(tr("Restore a backup set"));
    auto *v = new QVBoxLayout(this);

    auto *pick = new QFormLayout;
    m_sets = new QComboBox(this);
    m_sets->setAccessibleName(tr("Set capture"));
    m_sets->setMinimumContentsLength(40);
    pick->addRow(tr("&Set capture:"), m_sets);
    v->addLayout(pick);
    m_members = new QTreeWidget(this);
    m_members->setAccessibleName(tr("Members of the set"));
    m_members->setRootIsDecorated(false);
    m_members->setHeaderLabels({tr("Kind"), tr("Name"), tr("Record"), tr("Status"), tr("Size")});
    m_members->header()->resizeSection(0, 110);
    m_members->header()->resizeSection(1, 140);
    m_members->header()->resizeSection(2, 70);
    m_members->setMaximumHeight(130);
    v->addWidget(m_members);
    m_setNote = new QLabel(tr("Loading the backup sets…"), this);
    m_setNote->setWordWrap(true);
    v->addWidget(m_setNote);

    m_dbGroup = new QGroupBox(tr("Database target"), this);
    auto *dbForm = new QFormLayout(m_dbGroup);
    m_profile = new QComboBox(m_dbGroup);
    m_profile->setAccessibleName(tr("Target server profile"));
    for (const Profile &p : m_ctx->config().profiles())
        m_profile->addItem(p.production ? tr("%1 (production)").arg(p.name) : p.name, p.name);
    dbForm->addRow(tr("Target &server:"), m_profile);
    m_db = new QLineEdit(m_dbGroup);
    m_db->setAccessibleName(tr("Target database name"));
    dbForm->addRow(tr("&Database:"), m_db);
    m_create = new QCheckBox(tr("C&reate it (it must not exist yet)"), m_dbGroup);
    m_create->setChecked(true);
    m_clean = new QCheckBox(tr("C&lean: drop the backup's objects before recreating them"), m_dbGroup);
    m_roles = new MissingRolesBox(m_dbGroup);
    dbForm->addRow(QString(), m_create);
    dbForm->addRow(QString(), m_clean);
    dbForm->addRow(QString(), m_roles);
    m_confirm = new QLineEdit(m_dbGroup);
    m_confirm->setAccessibleName(tr("Type the target database name to confirm"));
    dbForm->addRow(tr("&Confirm:"), m_confirm);
    v->addWidget(m_dbGroup);

    m_filesGroup = new QGroupBox(tr("Directory targets"), this);
    m_filesForm = new QFormLayout(m_filesGroup);
    v->addWidget(m_filesGroup);

    m_mirrorGroup = new QGroupBox(tr("Bucket mirror target"), this);
    auto *mirrorForm = new QFormLayout(m_mirrorGroup);
    m_mirrorStorage = new QComboBox(m_mirrorGroup);
    m_mirrorStorage->setAccessibleName(tr("Storage the mirrors restore into"));
    m_mirrorStorage->addItem(tr("Each mirror's source storage"), QString());
    for (const StorageConfig &s : m_ctx->config().storages()) {
        if (s.isS3())
            m_mirrorStorage->addItem(s.name, s.name);
    }
    mirrorForm->addRow(tr("S&torage:"), m_mirrorStorage);
    m_mirrorPrefix = new QLineEdit(m_mirrorGroup);
    m_mirrorPrefix->setAccessibleName(tr("Folder the mirrored objects restore into"));
    m_mirrorPrefix->setPlaceholderText(tr("Empty: where the objects came from (several mirrors: PREFIX/<mirror>)"));
    mirrorForm->addRow(tr("&Prefix:"), m_mirrorPrefix);
    v->addWidget(m_mirrorGroup);
    m_overwrite = new QCheckBox(tr("&Overwrite different existing objects and files instead of refusing"), this);
    m_overwrite->setAccessibleName(tr("Overwrite existing objects and files"));
    v->addWidget(m_overwrite);

    m_keysGroup = new QGroupBox(tr("Decryption (encrypted members)"), this);
    auto *keys = new QHBoxLayout(m_keysGroup);
    m_identityFile = new QPushButton(tr("Identity &file…"), m_keysGroup);
    m_identityFile->setAccessibleName(tr("Choose an age identity file"));
    keys->addWidget(m_identityFile);
    m_identityName = new QLineEdit(m_keysGroup);
    m_identityName->setPlaceholderText(tr("or an identity name in the credential store"));
    m_identityName->setAccessibleName(tr("Identity name in the credential store"));
    keys->addWidget(m_identityName, 1);
    v->addWidget(m_keysGroup);
    connect(m_identityFile, &QPushButton::clicked, this, [this] {
        FileDialog::getOpenFileName(
            this, tr("Choose an age identity file"), m_identityPath.isEmpty() ? QDir::homePath() : m_identityPath,
            tr("age identities (*.txt *.key *.age);;All files (*)"),
            [self = QPointer<SetRestoreDialog>(this)](const QString &path) {
                if (!self || path.isEmpty())
                    return;
                self->m_identityPath = path;
                self->m_identityFile->setText(tr("Identity: %1").arg(QFileInfo(path).fileName()));
                self->inputsChanged();
            });
    });
    connect(m_identityName, &QLineEdit::textChanged, this, [this] { inputsChanged(); });

    m_outcome = new QTreeWidget(this);
    m_outcome->setAccessibleName(tr("Outcome of each member"));
    m_outcome->setRootIsDecorated(false);
    m_outcome->setHeaderLabels({tr("Member"), tr("Check"), tr("Result"), tr("Details")});
    m_outcome->header()->resizeSection(0, 180);
    m_outcome->header()->resizeSection(1, 70);
    m_outcome->header()->resizeSection(2, 80);
    m_outcome->setMaximumHeight(120);
    v->addWidget(m_outcome);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_status);
    m_guidance = new QLabel(this);
    m_guidance->setWordWrap(true);
    m_guidance->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_guidance->setAccessibleName(tr("Restore guidance"));
    m_guidance->hide();
    v->addWidget(m_guidance);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setAccessibleName(tr("Set restore log"));
    m_log->setMaximumHeight(90);
    m_log->hide();
    v->addWidget(m_log);

    auto *buttons = new QDialogButtonBox(this);
    m_check = buttons->addButton(tr("C&heck"), QDialogButtonBox::ActionRole);
    m_check->setAccessibleName(tr("Check the set restore (dry run)"));
    m_restore = buttons->addButton(tr("Restore"), QDialogButtonBox::AcceptRole);
    m_restore->setAccessibleName(tr("Restore the set"));
    m_restore->setAutoDefault(false);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    close->setAutoDefault(false);
    v->addWidget(buttons);
    connect(m_check, &QPushButton::clicked, this, [this] { start(true); });
    connect(m_restore, &QPushButton::clicked, this, [this] { start(false); });
    connect(close, &QPushButton::clicked, this, &QDialog::reject);

    connect(m_sets, &QComboBox::currentIndexChanged, this, [this] { showCapture(); });
    for (QComboBox *c : {m_profile, m_mirrorStorage})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { inputsChanged(); });
    for (QLineEdit *e : {m_db, m_confirm, m_mirrorPrefix})
        connect(e, &QLineEdit::textChanged, this, [this] { inputsChanged(); });
    for (QCheckBox *b : std::initializer_list<QCheckBox *>{m_create, m_clean, m_roles, m_overwrite})
        connect(b, &QCheckBox::toggled, this, [this] { inputsChanged(); });
    resize(760, 820);
    updateButtons();
    load();
}

SetRestoreDialog::~SetRestoreDialog() = default;

void SetRestoreDialog::load() {
    runAsync(
        this,
        [catalog = m_ctx->catalog()] {
            QList<Capture> out;
            const QStringList ids = catalog->setIds();
            for (const QString &id : ids.mid(0, kCaptureLimit)) {
                Capture c;
                c.setId = id;
                c.members = catalog->listBySet(id);
                for (const BackupRecord &r : std::as_const(c.members)) {
                    // The same rule SetPlanner::restore applies: every member completed, none marked incomplete.
                    if (r.status != BackupRecord::statusCompleted())
                        c.problem = tr("%1 %2 is %3").arg(r.kind, r.profile, r.status);
                    else if (r.error.startsWith(SetBackupJob::incompleteMarker()))
                        c.problem = r.error;
                    if (!c.problem.isEmpty())
                        break;
                }
                out << c;
            }
            return out;
        },
        [this](const QList<Capture> &captures) {
            const QString keep = m_sets->currentData().toString();
            m_captures = captures;
            m_loaded = true;
            const QSignalBlocker block(m_sets);
            m_sets->clear();
            for (const Capture &c : std::as_const(m_captures))
                m_sets->addItem(c.problem.isEmpty() ? tr("%1 — %n member(s)", nullptr, c.members.size()).arg(c.setId)
                                                    : tr("%1 — incomplete").arg(c.setId),
                                c.setId);
            const int i = m_sets->findData(keep);
            m_sets->setCurrentIndex(i >= 0 ? i : 0);
            showCapture();
            emit loaded();
        },
        catalogPool());
}

void SetRestoreDialog::selectSet(const QString &setId) {
    const int i = m_sets->findData(setId);
    if (i >= 0)
        m_sets->setCurrentIndex(i);
}

const SetRestoreDialog::Capture *SetRestoreDialog::current() const {
    const QString id = m_sets->currentData().toString();
    for (const Capture &c : m_captures) {
        if (c.setId == id)
            return &c;
    }
    return nullptr;
}

QLineEdit *SetRestoreDialog::filesField(const QString &source) const {
    for (const auto &[name, edit] : m_filesTo) {
        if (name == source)
            return edit;
    }
    return nullptr;
}

QPushButton *SetRestoreDialog::filesBrowseButton(const QString &source) const {
    QLineEdit *edit = filesField(source);
    return edit ? edit->parentWidget()->findChild<QPushButton *>(QStringLiteral("browse:") + source) : nullptr;
}

void SetRestoreDialog::showCapture() {
    m_members->clear();
    while (m_filesForm->rowCount() > 0)
        m_filesForm->removeRow(0);
    m_filesTo.clear();
    const Capture *c = current();
    bool hasDb = false, dbRoles = false, hasFiles = false, hasMirror = false, encrypted = false;
    if (!c) {
        m_setNote->setText(m_loaded ? tr("No backup set has been captured yet. Define one under Settings or with "
                                         "`lifeboatctl set add`, then back it up.")
                                    : tr("Loading the backup sets…"));
    } else {
        for (const BackupRecord &r : c->members) {
            auto *it = new QTreeWidgetItem(m_members);
            it->setText(0, kindLabel(r.kind));
            it->setText(1, r.profile);
            it->setText(2, QStringLiteral("#%1").arg(r.id));
            it->setText(3, r.error.startsWith(SetBackupJob::incompleteMarker()) ? tr("INCOMPLETE") : r.status);
            it->setText(4, Format::size(r.size));
            encrypted = encrypted || r.encrypted;
            if (r.kind == QLatin1String("database")) {
                hasDb = true;
                dbRoles = r.globals.present();
                if (const int i = m_profile->findData(r.profile); i >= 0)
                    m_profile->setCurrentIndex(i);
                if (m_db->text().isEmpty())
                    m_db->setText(r.database + QStringLiteral("_restored"));
            } else if (r.kind == QLatin1String("mirror")) {
                hasMirror = true;
            } else if (r.kind == QLatin1String("files")) {
                hasFiles = true;
                const auto src = m_ctx->config().fileSource(r.profile);
                auto *row = new QWidget(m_filesGroup);
                auto *h = new QHBoxLayout(row);
                h->setContentsMargins(0, 0, 0, 0);
                auto *edit = new QLineEdit(src ? src->path : QString(), row);
                edit->setAccessibleName(tr("Directory to restore %1 into").arg(r.profile));
                auto *browse = new QPushButton(tr("Browse…"), row);
                browse->setObjectName(QStringLiteral("browse:") + r.profile);
                browse->setAccessibleName(tr("Choose the directory for %1").arg(r.profile));
                h->addWidget(edit, 1);
                h->addWidget(browse);
                connect(edit, &QLineEdit::textChanged, this, [this] { inputsChanged(); });
                connect(browse, &QPushButton::clicked, this, [this, edit] {
                    FileDialog::getExistingDirectory(this, tr("Restore the directory into"), edit->text(),
                                                     [edit = QPointer<QLineEdit>(edit)](const QString &dir) {
                                                         if (edit && !dir.isEmpty())
                                                             edit->setText(QDir::toNativeSeparators(dir));
                                                     });
                });
                m_filesForm->addRow(r.profile + QLatin1Char(':'), row);
                m_filesTo << qMakePair(r.profile, edit);
            }
        }
        m_setNote->setText(c->problem.isEmpty()
                               ? tr("Captured together; restored together. Every member's safety check runs before "
                                    "anything is changed.")
                               : tr("This set is incomplete (%1) and cannot be restored as a whole; restore its "
                                    "members one by one from History if you must.")
                                     .arg(c->problem));
    }
    m_dbGroup->setVisible(hasDb);
    m_roles->setAvailable(dbRoles, tr("This set's database backup"));
    m_filesGroup->setVisible(hasFiles);
    m_mirrorGroup->setVisible(hasMirror);
    m_overwrite->setVisible(hasFiles || hasMirror);
    m_keysGroup->setVisible(encrypted);
    m_outcome->clear();
    m_guidance->hide();
    m_status->clear();
    inputsChanged();
}

QString SetRestoreDialog::fingerprint() const {
    QStringList parts{m_sets->currentData().toString(),
                      m_profile->currentData().toString(),
                      m_db->text().trimmed(),
                      m_create->isChecked() ? QStringLiteral("create") : QString(),
                      m_clean->isChecked() ? QStringLiteral("clean") : QString(),
                      m_roles->isChecked() ? QStringLiteral("roles") : QString(),
                      m_confirm->text(),
                      m_mirrorStorage->currentData().toString(),
                      m_mirrorPrefix->text().trimmed(),
                      m_overwrite->isChecked() ? QStringLiteral("overwrite") : QString(),
                      m_identityPath,
                      m_identityName->text().trimmed()};
    for (const auto &[name, edit] : m_filesTo)
        parts << name + QLatin1Char('=') + edit->text().trimmed();
    return parts.join(QChar(0x1f));
}

void SetRestoreDialog::inputsChanged() {
    // Creating a database needs no typed confirmation; an existing one does.
    m_confirm->setEnabled(!m_create->isChecked());
    m_confirm->setPlaceholderText(m_create->isChecked()
                                      ? tr("Not needed: a new database is created")
                                      : tr("Type “%1” to restore into this existing database").arg(m_db->text()));
    if (!m_passedFingerprint.isEmpty() && m_passedFingerprint != fingerprint() && !isBusy())
        m_status->setText(tr("The targets changed since the last check: run Check again."));
    updateButtons();
}

void SetRestoreDialog::updateButtons() {
    const Capture *c = current();
    const bool restorable = c && c->problem.isEmpty();
    const bool dbReady = !m_dbGroup->isVisibleTo(this) || (m_profile->count() > 0 && !m_db->text().trimmed().isEmpty());
    const bool confirmed =
        m_create->isChecked() || !m_dbGroup->isVisibleTo(this) || m_confirm->text() == m_db->text().trimmed();
    m_check->setEnabled(restorable && dbReady && !isBusy());
    m_restore->setEnabled(restorable && dbReady && confirmed && !isBusy() && !m_passedFingerprint.isEmpty() &&
                          m_passedFingerprint == fingerprint());
    m_sets->setEnabled(!isBusy());
}

void SetRestoreDialog::start(bool dryRun) {
    const Capture *c = current();
    if (!c || isBusy())
        return;
    const QString print = fingerprint();
    if (!dryRun && print != m_passedFingerprint)
        return;
    m_running = dryRun ? QStringLiteral("check") : QStringLiteral("restore");
    if (dryRun)
        m_passedFingerprint.clear();
    m_lastStatus.clear();
    m_outcome->clear();
    m_guidance->hide();
    m_log->clear();
    m_status->setText(dryRun ? tr("Checking every member…") : tr("Restoring the set…"));
    updateButtons();

    SetRestore::Request request;
    request.setId = c->setId;
    if (const auto profile = m_ctx->config().profile(m_profile->currentData().toString()))
        request.target = profile->name;
    SetPlanner::RestoreTargets &t = request.targets;
    RestoreOptions &o = t.database;
    o.targetDb = m_db->text().trimmed();
    o.create = m_create->isChecked();
    o.clean = m_clean->isChecked();
    o.createMissingRoles = m_roles->wanted();
    o.confirm = m_create->isChecked() ? QString() : m_confirm->text();
    o.dryRun = dryRun;
    t.mirrorStorage = m_mirrorStorage->currentData().toString();
    if (!m_mirrorPrefix->text().trimmed().isEmpty())
        t.mirrorPrefix = m_mirrorPrefix->text().trimmed();
    t.overwrite = m_overwrite->isChecked();
    for (const auto &[name, edit] : std::as_const(m_filesTo)) {
        if (!edit->text().trimmed().isEmpty())
            t.filesTo.insert(name, QDir::cleanPath(QDir::fromNativeSeparators(edit->text().trimmed())));
    }
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    const ConfigStore config = m_ctx->config();
    const QString setId = c->setId;
    const QStringList keys = SetRestore::secretKeys(config, request) + SetRestore::storedSecretKeys(config, request);
    std::shared_ptr<Catalog> catalog = m_ctx->jobCatalog();
    const QString identityPath = m_keysGroup->isVisibleTo(this) ? m_identityPath : QString();
    const QString identityName = m_keysGroup->isVisibleTo(this) ? m_identityName->text().trimmed() : QString();
    // Keychain reads block and SetPlanner reads the catalog: both on a worker.
    runAsync(
        this,
        [request, keychain, config, keys, catalog, identityPath, identityName]() mutable {
            SetRestore::Plan p;
            SetPlanner::RestoreTargets &t = request.targets;
            if (!identityPath.isEmpty()) {
                QFile f(identityPath);
                QString why;
                const auto ids =
                    f.open(QIODevice::ReadOnly) ? AgeIdentity::parseIdentityFile(f.read(1 << 20), &why) : std::nullopt;
                if (!ids) {
                    p.error = {ExitCode::Usage, tr("%1 is not a readable age identity file: %2")
                                                    .arg(identityPath, why.isEmpty() ? f.errorString() : why)};
                    return p;
                }
                for (const AgeIdentity &id : *ids)
                    t.identities.push_back(id);
            }
            if (!identityName.isEmpty()) {
                QString key;
                if (keychain)
                    key =
                        KeychainCredentialStore().read(CredentialStore::identityKey(identityName)).value_or(QString());
                QString why;
                const auto id = key.isEmpty() ? std::nullopt : AgeIdentity::parse(key, &why);
                if (!id) {
                    p.error = {ExitCode::Usage, tr("No usable identity “%1” in the credential store — store one with "
                                                   "`lifeboatctl keygen --store %1`.")
                                                    .arg(identityName)};
                    return p;
                }
                t.identities.push_back(*id);
            }
            // Every secret the use case reads, from the keychain here (reads block), then the plan (it reads the
            // catalog) - both on this worker; the job is made on the GUI thread.
            MemoryCredentialStore secrets;
            if (keychain) {
                KeychainCredentialStore store;
                secrets = MemoryCredentialStore::readFrom(&store, keys);
            }
            UseCaseContext uc;
            uc.catalog = catalog;
            uc.config = config;
            uc.secrets = &secrets;
            return SetRestore::plan(std::move(request), uc);
        },
        [this, dryRun, print, setId](SetRestore::Plan p) {
            PreparedJob prepared = SetRestore::job(std::move(p));
            if (!prepared) {
                onFinished(dryRun, print, {prepared.error, 0, {}});
                return;
            }
            std::unique_ptr<Job> job = std::move(prepared.job);
            // The check is a preview: it runs on the JobRunner but stays off the Jobs page; the restore is tracked.
            Job *j = dryRun ? m_ctx->runner()->submit(std::move(job)) : m_ctx->submitJob(std::move(job), setId);
            m_job = j;
            m_log->show();
            connect(j, &Job::logLine, this, [this](const QString &line) { m_log->appendPlainText(line); });
            connect(j, &Job::progress, this, [this, dryRun](const JobProgress &pr) {
                if (!dryRun && !pr.currentItem.isEmpty())
                    m_status->setText(tr("Restoring the set: %1 (%2 of %3 done)…")
                                          .arg(pr.currentItem)
                                          .arg(pr.itemsDone)
                                          .arg(pr.itemsTotal));
            });
            connect(j, &Job::finished, this,
                    [this, dryRun, print](const JobResult &r) { onFinished(dryRun, print, r); });
        });
}

void SetRestoreDialog::showOutcome(const QJsonObject &details) {
    m_outcome->clear();
    QStringList guidance;
    for (const QJsonValue &v : details.value(QStringLiteral("members")).toArray()) {
        const QJsonObject m = v.toObject();
        auto *it = new QTreeWidgetItem(m_outcome);
        it->setText(0, tr("%1 %2").arg(kindLabel(m.value(QStringLiteral("kind")).toString()),
                                       m.value(QStringLiteral("name")).toString()));
        it->setText(1, m.value(QStringLiteral("check")).toString());
        it->setText(2, m.value(QStringLiteral("status")).toString());
        QString info = m.value(QStringLiteral("error")).toString();
        const QJsonObject check = m.value(QStringLiteral("checkDetails")).toObject();
        if (info.isEmpty() && check.contains(QStringLiteral("prefix")))
            info = tr("into %1: %2 to write, %3 identical")
                       .arg(check.value(QStringLiteral("prefix")).toString())
                       .arg(check.value(QStringLiteral("toWrite")).toInt())
                       .arg(check.value(QStringLiteral("identical")).toInt());
        else if (info.isEmpty() && m.value(QStringLiteral("kind")).toString() == QLatin1String("database")) {
            info = tr("into database “%1”").arg(m_db->text().trimmed());
            // The production guard's finding (the target reaches a production profile's server) is what the operator
            // must see before restoring: the job will ask for that profile's confirmation and safety backup.
            for (const QJsonValue &c : check.value(QStringLiteral("checks")).toArray()) {
                const QJsonObject o = c.toObject();
                if (o.value(QStringLiteral("id")).toString() == QLatin1String("production") &&
                    o.value(QStringLiteral("outcome")).toString() == QLatin1String("warning"))
                    info += tr(" — production: %1").arg(o.value(QStringLiteral("detail")).toString());
            }
        } else if (info.isEmpty() && m.contains(QStringLiteral("guidance")))
            info = tr("restore by hand — see the guidance below");
        else if (info.isEmpty() && check.contains(QStringLiteral("directory")))
            info = tr("into %1").arg(check.value(QStringLiteral("directory")).toString());
        it->setText(3, info);
        it->setToolTip(3, info);
        if (m.contains(QStringLiteral("guidance")))
            guidance << m.value(QStringLiteral("guidance")).toString();
    }
    m_guidance->setText(guidance.join(QStringLiteral("\n\n")));
    m_guidance->setVisible(!guidance.isEmpty());
}

void SetRestoreDialog::onFinished(bool dryRun, const QString &print, const JobResult &r) {
    m_running.clear();
    m_job = nullptr;
    m_lastStatus = r.details.value(QStringLiteral("status")).toString();
    if (m_lastStatus.isEmpty() && !r.ok())
        m_lastStatus = QStringLiteral("REFUSED"); // refused while planning, before any job ran
    showOutcome(r.details);
    if (dryRun) {
        if (r.ok())
            m_passedFingerprint = print;
        m_status->setText(r.ok() ? tr("Every member's check passed; nothing was changed. Restore is now enabled for "
                                      "exactly these targets.")
                                 : tr("Check refused — nothing was changed: %1").arg(r.error.message));
    } else {
        // A restore changes the targets: a further run needs a fresh check.
        m_passedFingerprint.clear();
        m_status->setText(r.ok() ? tr("Set %1 restored.").arg(m_sets->currentData().toString())
                                 : tr("The set restore stopped: %1").arg(r.error.message));
    }
    updateButtons();
    if (dryRun)
        emit checkFinished(r.ok());
    else
        emit restoreFinished(r.ok());
}

} // namespace lifeboat
