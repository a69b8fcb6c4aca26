#include "ui/restore/RestoreInspectPage.h"

#include "models/Async.h"
#include "models/Format.h"
#include "models/RestorePlanModel.h"
#include "secrets/KeychainCredentialStore.h"
#include "ui/AppContext.h"
#include "ui/restore/RestoreWizard.h"
#include "ui/widgets/FileDialog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
struct Inspected {
    RestoreInspector::Result result;
    std::vector<AgeIdentity> identities;
    QString identityError;
};

// Identities from a file's contents, a credential-store name and a passphrase, as --identity, --identity-name and
// --passphrase-stdin give them to the CLI. Runs on a worker (the keychain blocks).
std::vector<AgeIdentity> collectIdentities(const QByteArray &fileBytes, const QString &name, const QString &pass,
                                           bool keychain, QString *error) {
    std::vector<AgeIdentity> out;
    if (!fileBytes.isEmpty()) {
        QString err;
        auto ids = AgeIdentity::parseIdentityFile(fileBytes, &err);
        if (!ids)
            *error = RestoreInspectPage::tr("The identity file is not an age identity file: %1").arg(err);
        else
            for (auto &id : *ids)
                out.push_back(std::move(id));
    }
    if (!name.isEmpty()) {
        QString key;
        if (keychain) {
            KeychainCredentialStore store;
            key = store.read(CredentialStore::identityKey(name)).value_or(QString());
        }
        QString err;
        const auto id = key.isEmpty() ? std::nullopt : AgeIdentity::parse(key, &err);
        if (!id)
            *error = RestoreInspectPage::tr("No usable identity “%1” in the credential store — store one with "
                                            "`lifeboatctl keygen --store %1`.")
                         .arg(name);
        else
            out.push_back(*id);
    }
    if (!pass.isEmpty())
        out.push_back(AgeIdentity::passphrase(pass.toUtf8()));
    return out;
}
} // namespace

RestoreInspectPage::RestoreInspectPage(RestoreWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_model(new RestorePlanModel(this)) {
    setTitle(tr("Inspect the backup"));
    setSubTitle(tr("Check that this is the backup you mean, and choose what to restore."));
    auto *v = new QVBoxLayout(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Inspection status"));
    v->addWidget(m_status);

    auto *top = new QHBoxLayout;
    m_form = new QFormLayout;
    m_form->setLabelAlignment(Qt::AlignRight);
    const QList<QPair<QString, QString>> fields = {
        {QStringLiteral("backup"), tr("Backup:")},       {QStringLiteral("profile"), tr("Profile:")},
        {QStringLiteral("database"), tr("Database:")},   {QStringLiteral("date"), tr("Date:")},
        {QStringLiteral("size"), tr("Size:")},           {QStringLiteral("format"), tr("Format:")},
        {QStringLiteral("encrypted"), tr("Encrypted:")}, {QStringLiteral("server"), tr("Dumped from:")},
        {QStringLiteral("dump"), tr("Made by:")}};
    for (const auto &[key, label] : fields) {
        auto *l = new QLabel(this);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        l->setAccessibleName(label.chopped(1));
        m_details.insert(key, l);
        m_form->addRow(label, l);
    }
    m_version = new QLabel(this);
    m_version->setWordWrap(true);
    m_version->setAccessibleName(tr("Client tools"));
    m_form->addRow(tr("Client tools:"), m_version);
    top->addLayout(m_form, 3);

    auto *keys = new QVBoxLayout;
    m_identityNote = new QLabel(tr("For an encrypted backup, give the key that opens it:"), this);
    m_identityNote->setWordWrap(true);
    keys->addWidget(m_identityNote);
    m_identityFile = new QPushButton(tr("Identity &file…"), this);
    m_identityFile->setAccessibleName(tr("Choose an age identity file"));
    keys->addWidget(m_identityFile);
    m_identityName = new QLineEdit(this);
    m_identityName->setPlaceholderText(tr("key name in the credential store"));
    m_identityName->setAccessibleName(tr("Identity name in the credential store"));
    keys->addWidget(m_identityName);
    m_passphrase = new QLineEdit(this);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setPlaceholderText(tr("or the backup's passphrase"));
    m_passphrase->setAccessibleName(tr("Backup passphrase"));
    keys->addWidget(m_passphrase);
    m_again = new QPushButton(tr("&Inspect again"), this);
    m_again->setAccessibleName(tr("Inspect the backup again with these keys"));
    keys->addWidget(m_again);
    keys->addStretch(1);
    top->addLayout(keys, 2);
    v->addLayout(top);

    m_tree = new QTreeView(this);
    m_tree->setModel(m_model);
    m_tree->setAccessibleName(tr("Backup contents"));
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->resizeSection(RestorePlanModel::NameColumn, 300);
    m_tree->header()->resizeSection(RestorePlanModel::TypeColumn, 150);
    v->addWidget(m_tree, 1);
    auto *sel = new QHBoxLayout;
    auto *all = new QPushButton(tr("Select &all"), this);
    auto *none = new QPushButton(tr("Select &none"), this);
    m_selectionNote = new QLabel(this);
    m_selectionNote->setWordWrap(true);
    sel->addWidget(all);
    sel->addWidget(none);
    sel->addWidget(m_selectionNote, 1);
    v->addLayout(sel);

    connect(all, &QPushButton::clicked, this, [this] { m_model->setAllChecked(true); });
    connect(none, &QPushButton::clicked, this, [this] { m_model->setAllChecked(false); });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        const int n = int(m_model->selectedDumpIds().size());
        const int total = int(m_model->plan().entries().size());
        m_selectionNote->setText(n == total ? tr("Everything is restored.")
                                            : tr("%1 of %2 items selected. A selective restore works per table: "
                                                 "each checked table comes with its data, indexes, constraints, "
                                                 "triggers and sequences.")
                                                  .arg(n)
                                                  .arg(total));
        emit completeChanged();
    });
    connect(m_again, &QPushButton::clicked, this, &RestoreInspectPage::inspect);
    connect(m_identityName, &QLineEdit::returnPressed, this, &RestoreInspectPage::inspect);
    connect(m_passphrase, &QLineEdit::returnPressed, this, &RestoreInspectPage::inspect);
    connect(m_identityFile, &QPushButton::clicked, this, [this] {
        FileDialog::getOpenFileName(
            this, tr("Choose an age identity file"), QDir::homePath(),
            tr("age identities (*.txt *.key *.age-key);;All files (*)"), [this](const QString &path) {
                if (path.isEmpty())
                    return;
                runAsync(
                    this,
                    [path] {
                        QFile f(path);
                        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
                    },
                    [this, path](const QByteArray &bytes) {
                        m_identityFileBytes = bytes;
                        m_identityFile->setText(tr("Identity: %1").arg(QFileInfo(path).fileName()));
                        inspect();
                    });
            });
    });
}

void RestoreInspectPage::setDetail(const QString &field, const QString &text) {
    if (QLabel *l = m_details.value(field))
        l->setText(text);
}

QString RestoreInspectPage::detail(const QString &field) const {
    if (field == QLatin1String("client"))
        return m_version->text();
    const QLabel *l = m_details.value(field);
    return l ? l->text() : QString();
}

void RestoreInspectPage::initializePage() {
    // Coming back from a later page keeps the inspection (and the selection) of the same source.
    if (m_ok && m_inspectedSource == m_wizard->source())
        return;
    inspect();
}

void RestoreInspectPage::cleanupPage() {
    cancelWork();
}

void RestoreInspectPage::cancelWork() {
    if (m_cancel)
        m_cancel->store(true);
    if (m_busy) {
        ++m_generation; // a late answer is dropped
        m_busy = false;
    }
}

void RestoreInspectPage::inspect() {
    cancelWork();
    const int gen = ++m_generation;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_busy = true;
    m_ok = false;
    for (QLabel *l : std::as_const(m_details))
        l->clear();
    m_version->clear();
    m_model->setPlan({});
    m_status->setText(tr("Reading %1…").arg(m_wizard->source()));
    emit completeChanged();

    m_wizard->withSecrets([this, gen](const RestoreWizard::Secrets &secrets) {
        if (gen != m_generation)
            return;
        RestoreInspector::Request req;
        req.source = m_wizard->source();
        req.catalog = m_wizard->context()->catalog();
        req.storages = m_wizard->context()->config().storages();
        req.storageSecrets = secrets.storageSecrets;
        req.pgToolDir = m_wizard->context()->config().option(QStringLiteral("pgToolDir"));
        req.cancel = m_cancel.get();
        const bool keychain = m_wizard->context()->keychainKnown() && m_wizard->context()->keychain().available();
        runAsync(
            this,
            [req, cancel = m_cancel, fileBytes = m_identityFileBytes, name = m_identityName->text().trimmed(),
             pass = m_passphrase->text(), keychain]() mutable {
                Inspected out;
                out.identities = collectIdentities(fileBytes, name, pass, keychain, &out.identityError);
                req.identities = out.identities;
                out.result = RestoreInspector::inspect(req);
                return out;
            },
            [this, gen, source = req.source](const Inspected &in) {
                if (gen != m_generation)
                    return;
                m_busy = false;
                const RestoreInspector::Result &r = in.result;
                m_wizard->setIdentities(in.identities);
                m_inspectedSource = source;
                const BackupRecord &rec = r.record;
                setDetail(QStringLiteral("backup"), r.displayName);
                setDetail(QStringLiteral("profile"), rec.profile.isEmpty() ? tr("—") : rec.profile);
                setDetail(QStringLiteral("database"),
                          !rec.database.isEmpty() ? rec.database
                                                  : (r.header.database.isEmpty() ? tr("—") : r.header.database));
                setDetail(QStringLiteral("date"), rec.started.isValid() ? Format::dateTime(rec.started)
                                                  : r.header.created.isValid()
                                                      ? QLocale().toString(r.header.created, QLocale::ShortFormat)
                                                      : tr("—"));
                setDetail(QStringLiteral("size"), r.size >= 0 ? Format::size(r.size) : tr("—"));
                setDetail(QStringLiteral("format"),
                          r.format.isEmpty()
                              ? rec.format
                              : (r.header.isPgArchive()
                                     ? tr("%1, archive version %2").arg(r.format, r.header.versionString())
                                     : r.format));
                setDetail(QStringLiteral("encrypted"), r.encrypted ? tr("yes (age)") : tr("no"));
                const QString server = r.header.serverVersion.isEmpty() ? rec.serverVersion : r.header.serverVersion;
                const QString dump = r.header.dumpVersion.isEmpty() ? rec.toolVersion : r.header.dumpVersion;
                setDetail(QStringLiteral("server"), server.isEmpty() ? tr("—") : tr("PostgreSQL %1").arg(server));
                setDetail(QStringLiteral("dump"), dump.isEmpty() ? tr("—") : tr("pg_dump %1").arg(dump));
                if (!r.clientMessage.isEmpty())
                    m_version->setText(
                        QStringLiteral("<b style='color:#b3261e'>%1</b>").arg(r.clientMessage.toHtmlEscaped()));
                else if (r.client.isValid())
                    m_version->setText(tr("%1 %2 reads this backup")
                                           .arg(r.hasToc ? QStringLiteral("pg_restore") : QStringLiteral("psql"),
                                                r.client.toString()));
                const bool encryptedNeedsKey = r.encrypted;
                m_identityNote->setEnabled(encryptedNeedsKey);
                m_status->setStyleSheet(r.error || !r.clientMessage.isEmpty() ? QStringLiteral("color: #b3261e;")
                                                                              : QString());
                if (r.error) {
                    QString text = r.error.message;
                    // The engine speaks the CLI's language (--identity); here the key comes from the panel.
                    if (r.encrypted && (in.identities.empty() || r.error.code == ExitCode::Integrity))
                        text = in.identities.empty()
                                   ? tr("it is encrypted. Choose its identity file, a key name from the credential "
                                        "store, or type its passphrase, then “Inspect again”.")
                                   : tr("none of the keys given opens it (%1).").arg(r.error.message);
                    if (!in.identityError.isEmpty())
                        text = in.identityError + QLatin1Char('\n') + text;
                    m_status->setText(tr("Cannot read this backup: %1").arg(text));
                } else if (!r.clientMessage.isEmpty()) {
                    m_status->setText(tr("This backup cannot be restored with the installed client tools."));
                } else {
                    m_ok = true;
                    m_wizard->setInspection(r);
                    m_model->setPlan(r.plan);
                    m_model->setAllChecked(true);
                    m_tree->setEnabled(r.hasToc);
                    m_status->setText(r.hasToc ? tr("The backup is readable: %n item(s) in its table of contents.",
                                                    nullptr, int(r.plan.entries().size()))
                                               : tr("A plain SQL script: it restores as a whole, in one "
                                                    "transaction."));
                    if (!in.identityError.isEmpty())
                        m_status->setText(m_status->text() + QLatin1Char('\n') + in.identityError);
                }
                emit completeChanged();
                emit inspected(m_ok);
            });
    });
}

bool RestoreInspectPage::isComplete() const {
    return m_ok && !m_busy && (m_model->plan().isEmpty() || !m_model->selectedDumpIds().isEmpty());
}

bool RestoreInspectPage::validatePage() {
    // A table chosen means that table with everything that belongs to it (RestoreOptions::tables).
    const QSet<int> ids = m_model->selectedDumpIds();
    const RestorePlan &plan = m_model->plan();
    QStringList tables;
    if (ids.size() != plan.entries().size()) {
        auto quote = [](QString s) {
            return QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
        };
        for (int i : plan.tableIndexes()) {
            const TocEntry &e = plan.entries().at(i);
            if (ids.contains(e.dumpId))
                tables << (e.schema.isEmpty() ? quote(e.name) : quote(e.schema) + QLatin1Char('.') + quote(e.name));
        }
    }
    m_wizard->setSelectedTables(tables);
    return true;
}

} // namespace lifeboat
