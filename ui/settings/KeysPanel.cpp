#include "ui/settings/KeysPanel.h"

#include "catalog/ConfigStore.h"
#include "core/CredentialStore.h"
#include "crypto/AgeIdentity.h"
#include "models/Async.h"
#include "pipeline/AtomicFileSink.h"
#include "schedule/DrillIdentities.h"
#include "ui/AppContext.h"
#include "ui/widgets/FileDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
const QString kOption = QStringLiteral("ageKeys");

QJsonArray knownKeys(const ConfigStore &c) {
    return QJsonDocument::fromJson(c.option(kOption).toUtf8()).array();
}

// Writes the identity file like `lifeboatctl keygen --out`: 0600 from the start (the partial is restricted before
// any secret byte is written), never over an existing file.
QString writeIdentityFile(const QString &path, const QByteArray &contents) {
    if (QFileInfo::exists(path))
        return KeysPanel::tr("%1 exists already; an identity file is never overwritten.")
            .arg(QDir::toNativeSeparators(path));
    AtomicFileSink file(path);
    if (!file.open())
        return file.error().message;
    QFile::setPermissions(file.partialPath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (!file.write(contents) || !file.finish())
        return file.error().message;
    return {};
}
} // namespace

KeysPanel::KeysPanel(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    m_keys = new QListWidget(this);
    m_keys->setAccessibleName(tr("Encryption keys"));
    m_keys->setMinimumHeight(80);
    m_keys->setMaximumHeight(90);
    row->addWidget(m_keys, 1);
    auto *col = new QVBoxLayout;
    m_copy = new QPushButton(QIcon(QStringLiteral(":/icons/copy.svg")), tr("&Copy public key"), this);
    m_export = new QPushButton(QIcon(QStringLiteral(":/icons/download.svg")), tr("E&xport public key…"), this);
    m_import = new QPushButton(QIcon(QStringLiteral(":/icons/add.svg")), tr("&Import identity file…"), this);
    for (QPushButton *b : {m_copy, m_export, m_import}) {
        b->setAccessibleName(b->text().remove(QLatin1Char('&')).remove(QStringLiteral("…")));
        col->addWidget(b);
    }
    col->addStretch(1);
    row->addLayout(col);
    layout->addLayout(row);

    auto *gen = new QHBoxLayout;
    m_name = new QLineEdit(QStringLiteral("backup-key"), this);
    m_name->setAccessibleName(tr("New key name"));
    m_genStore = new QPushButton(tr("Generate into keychain"), this);
    m_genStore->setAccessibleName(tr("Generate a key pair into the keychain"));
    m_genFile = new QPushButton(tr("Generate to file…"), this);
    m_genFile->setAccessibleName(tr("Generate a key pair into a file"));
    gen->addWidget(new QLabel(tr("New key:"), this));
    gen->addWidget(m_name, 1);
    gen->addWidget(m_genStore);
    gen->addWidget(m_genFile);
    layout->addLayout(gen);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setAccessibleName(tr("Key result"));
    layout->addWidget(m_result);
    m_recipients = new QLabel(this);
    m_recipients->setWordWrap(true);
    m_recipients->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_recipients->setAccessibleName(tr("Recipients per profile"));
    layout->addWidget(m_recipients);

    connect(m_genStore, &QPushButton::clicked, this, &KeysPanel::generateToKeychain);
    connect(m_genFile, &QPushButton::clicked, this, &KeysPanel::generateToFile);
    connect(m_import, &QPushButton::clicked, this, &KeysPanel::importIdentity);
    connect(m_copy, &QPushButton::clicked, this, &KeysPanel::copyPublicKey);
    connect(m_export, &QPushButton::clicked, this, &KeysPanel::exportPublicKey);
    connect(m_keys, &QListWidget::currentRowChanged, this, [this] {
        m_copy->setEnabled(!selectedRecipient().isEmpty());
        m_export->setEnabled(!selectedRecipient().isEmpty());
    });
    connect(m_ctx, &AppContext::configChanged, this, &KeysPanel::reload);
    connect(m_ctx, &AppContext::keychainChanged, this, &KeysPanel::reload);
    reload();
}

void KeysPanel::reload() {
    const int row = m_keys->currentRow();
    m_keys->clear();
    for (const QJsonValue &v : knownKeys(m_ctx->config())) {
        const QJsonObject o = v.toObject();
        const QString recipient = o.value(QStringLiteral("recipient")).toString();
        const QString file = o.value(QStringLiteral("file")).toString();
        const bool inKeychain = o.value(QStringLiteral("where")).toString() == QLatin1String("keychain");
        const QString where = inKeychain ? tr("in the keychain") : tr("file %1").arg(QFileInfo(file).fileName());
        auto *item = new QListWidgetItem(
            tr("%1 — %2 (%3)").arg(o.value(QStringLiteral("name")).toString(), recipient, where), m_keys);
        item->setData(Qt::UserRole, recipient);
        item->setToolTip(inKeychain ? recipient : tr("%1\n%2").arg(recipient, QDir::toNativeSeparators(file)));
    }
    m_keys->setCurrentRow(qBound(-1, row < 0 ? m_keys->count() - 1 : row, m_keys->count() - 1));
    m_copy->setEnabled(!selectedRecipient().isEmpty());
    m_export->setEnabled(!selectedRecipient().isEmpty());
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    m_genStore->setEnabled(keychain);
    m_genStore->setToolTip(keychain ? QString() : tr("No keychain answers; generate to a file instead."));
    QStringList lines;
    for (const Profile &p : m_ctx->config().profiles())
        if (!p.recipients.isEmpty())
            lines << tr("%1 encrypts to %2").arg(p.name, p.recipients.join(QStringLiteral(", ")));
    m_recipients->setText(lines.isEmpty() ? tr("No profile encrypts its backups yet (set recipients in a profile).")
                                          : lines.join(QLatin1Char('\n')));
}

QString KeysPanel::selectedRecipient() const {
    const QListWidgetItem *item = m_keys->currentItem();
    if (!item && m_keys->count() == 1)
        item = m_keys->item(0);
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void KeysPanel::report(bool ok, const QString &message) {
    m_result->setStyleSheet(ok ? QStringLiteral("color: #2e7d32;") : QStringLiteral("color: #c62828;"));
    m_result->setText((ok ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) + message);
    emit finished(ok, message);
}

void KeysPanel::remember(const QString &name, const QString &recipient, const QString &where, const QString &file) {
    QString error;
    const bool ok = m_ctx->updateConfig(
        [&](ConfigStore &c) { DrillIdentities::remember(c, name, recipient, where, file); }, // the list drills read
        &error);
    if (!ok)
        report(false, tr("The key exists but the settings were not saved: %1").arg(error));
    m_keys->setCurrentRow(m_keys->count() - 1);
}

void KeysPanel::generateToKeychain() {
    const QString name = m_name->text().trimmed();
    if (!ConfigStore::isValidName(name))
        return report(false, tr("Name the key with letters, digits, - and _."));
    const AgeKeyPair pair = AgeIdentity::generate();
    const QString recipient = pair.recipient;
    m_ctx->storeSecret(CredentialStore::identityKey(name), pair.identity.secretKeyString(),
                       [this, name, recipient](const QString &error) {
                           if (!error.isEmpty())
                               return report(false, error);
                           remember(name, recipient, QStringLiteral("keychain"), QString());
                           report(true, tr("Key “%1” kept in the keychain (restore with --identity-name %1). Public "
                                           "key: %2")
                                            .arg(name, recipient));
                       });
}

void KeysPanel::generateToFile() {
    const QString name = m_name->text().trimmed();
    if (!ConfigStore::isValidName(name))
        return report(false, tr("Name the key with letters, digits, - and _."));
    FileDialog::getSaveFileName(
        this, tr("Save the identity (secret key) as"), QDir(QDir::homePath()).filePath(name + QStringLiteral(".txt")),
        tr("age identity (*.txt *.key);;All files (*)"), QStringLiteral("txt"), [this, name](const QString &path) {
            if (path.isEmpty())
                return;
            runAsync(
                this,
                [path] {
                    const AgeKeyPair pair = AgeIdentity::generate();
                    const QString err = writeIdentityFile(path, pair.identityFileContents());
                    return QPair<QString, QString>(err, err.isEmpty() ? pair.recipient : QString());
                },
                [this, name, path](const QPair<QString, QString> &r) {
                    if (!r.first.isEmpty())
                        return report(false, r.first);
                    remember(name, r.second, QStringLiteral("file"), path);
                    report(true, tr("Identity written to %1 (only you can read it). Keep a copy somewhere safe: "
                                    "without it, encrypted backups cannot be restored. Public key: %2")
                                     .arg(QDir::toNativeSeparators(path), r.second));
                });
        });
}

void KeysPanel::importIdentity() {
    FileDialog::getOpenFileName(
        this, tr("Import an age identity file"), QDir::homePath(), tr("age identity (*.txt *.key);;All files (*)"),
        [this](const QString &path) {
            if (path.isEmpty())
                return;
            struct Read {
                QString error;
                QString recipient;
                QString secret;
            };
            runAsync(
                this,
                [path] {
                    Read r;
                    QFile f(path);
                    if (!f.open(QIODevice::ReadOnly)) {
                        r.error = tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), f.errorString());
                        return r;
                    }
                    QString why;
                    const auto ids = AgeIdentity::parseIdentityFile(f.read(1 << 20), &why);
                    if (!ids || ids->empty() || !ids->front().recipient()) {
                        r.error = tr("%1 is not an age identity file: %2").arg(QDir::toNativeSeparators(path), why);
                        return r;
                    }
                    r.recipient = ids->front().recipient()->toString();
                    r.secret = ids->front().secretKeyString();
                    return r;
                },
                [this, path](const Read &r) {
                    if (!r.error.isEmpty())
                        return report(false, r.error);
                    QString name = m_name->text().trimmed();
                    if (!ConfigStore::isValidName(name))
                        name = QFileInfo(path).completeBaseName();
                    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
                    if (!keychain) {
                        remember(name, r.recipient, QStringLiteral("file"), path);
                        return report(true, tr("Imported %1 (the identity stays in that file). Public key: %2")
                                                .arg(QDir::toNativeSeparators(path), r.recipient));
                    }
                    m_ctx->storeSecret(
                        CredentialStore::identityKey(name), r.secret,
                        [this, name, recipient = r.recipient](const QString &error) {
                            if (!error.isEmpty())
                                return report(false, error);
                            remember(name, recipient, QStringLiteral("keychain"), QString());
                            report(true, tr("Imported into the keychain as “%1”. Public key: %2").arg(name, recipient));
                        });
                });
        });
}

void KeysPanel::copyPublicKey() {
    const QString r = selectedRecipient();
    if (r.isEmpty())
        return;
    QApplication::clipboard()->setText(r);
    report(true, tr("Public key copied: %1").arg(r));
}

void KeysPanel::exportPublicKey() {
    const QString r = selectedRecipient();
    if (r.isEmpty())
        return;
    FileDialog::getSaveFileName(
        this, tr("Export the public key as"), QDir(QDir::homePath()).filePath(QStringLiteral("recipient.txt")),
        tr("Text (*.txt);;All files (*)"), QStringLiteral("txt"), [this, r](const QString &p) {
            if (p.isEmpty())
                return;
            runAsync(
                this,
                [p, r] {
                    AtomicFileSink f(p);
                    if (!f.open() || !f.write((r + QLatin1Char('\n')).toUtf8()) || !f.finish())
                        return f.error().message;
                    return QString();
                },
                [this, p](const QString &err) {
                    if (!err.isEmpty())
                        return report(false, err);
                    report(true, tr("Public key exported to %1.").arg(QDir::toNativeSeparators(p)));
                });
        });
}

} // namespace lifeboat
