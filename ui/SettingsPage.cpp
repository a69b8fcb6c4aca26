#include "ui/SettingsPage.h"

#include "core/Home.h"
#include "ui/AppContext.h"
#include "ui/FileDialog.h"
#include "ui/MessageBox.h"
#include "ui/ProfileDialog.h"
#include "ui/StorageDialog.h"

#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
QListWidget *listWithButtons(QGroupBox *box, const QString &name, QPushButton **add, QPushButton **edit,
                             QPushButton **remove) {
    auto *l = new QHBoxLayout(box);
    auto *list = new QListWidget(box);
    list->setAccessibleName(name);
    list->setMinimumHeight(96);
    list->setMaximumHeight(130);
    l->addWidget(list, 1);
    auto *col = new QVBoxLayout;
    *add = new QPushButton(QIcon(QStringLiteral(":/icons/add.svg")), QObject::tr("Add…"), box);
    *edit = new QPushButton(QIcon(QStringLiteral(":/icons/edit.svg")), QObject::tr("Edit…"), box);
    *remove = new QPushButton(QIcon(QStringLiteral(":/icons/delete.svg")), QObject::tr("Remove"), box);
    for (QPushButton *b : {*add, *edit, *remove}) {
        b->setAccessibleName(b->text() + QLatin1Char(' ') + name);
        col->addWidget(b);
    }
    col->addStretch(1);
    l->addLayout(col);
    return list;
}
} // namespace

SettingsPage::SettingsPage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    layout->setSpacing(12);

    QPushButton *addP, *editP, *removeP, *addS, *editS, *removeS;
    auto *profiles = new QGroupBox(tr("Server profiles"), content);
    m_profiles = listWithButtons(profiles, tr("server profiles"), &addP, &editP, &removeP);
    layout->addWidget(profiles);
    auto *storages = new QGroupBox(tr("Storages"), content);
    m_storages = listWithButtons(storages, tr("storages"), &addS, &editS, &removeS);
    layout->addWidget(storages);

    auto *tools = new QGroupBox(tr("PostgreSQL tools"), content);
    auto *tf = new QVBoxLayout(tools);
    auto *row = new QHBoxLayout;
    m_toolDir = new QLineEdit(m_ctx->config().option(QStringLiteral("pgToolDir")), tools);
    m_toolDir->setPlaceholderText(tr("automatic: PATH and the usual install folders"));
    m_toolDir->setAccessibleName(tr("Folder with pg_dump and pg_restore"));
    auto *browse = new QPushButton(tr("Browse…"), tools);
    auto *save = new QPushButton(tr("Apply"), tools);
    row->addWidget(new QLabel(tr("Folder:"), tools));
    row->addWidget(m_toolDir, 1);
    row->addWidget(browse);
    row->addWidget(save);
    tf->addLayout(row);
    m_toolNote = new QLabel(tr("Lifeboat picks the newest pg_dump that is at least as new as the server. Set a "
                               "folder only to force a particular installation."),
                            tools);
    m_toolNote->setWordWrap(true);
    tf->addWidget(m_toolNote);
    layout->addWidget(tools);

    auto *secrets = new QGroupBox(tr("Keychain"), content);
    auto *kl = new QHBoxLayout(secrets);
    m_keychain = new QLabel(secrets);
    m_keychain->setWordWrap(true);
    m_keychain->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_recheck = new QPushButton(tr("Check again"), secrets);
    kl->addWidget(m_keychain, 1);
    kl->addWidget(m_recheck, 0, Qt::AlignTop);
    layout->addWidget(secrets);

    auto *home = new QGroupBox(tr("Lifeboat home"), content);
    auto *hf = new QFormLayout(home);
    auto selectable = [home](const QString &text) {
        auto *l = new QLabel(QDir::toNativeSeparators(text), home);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return l;
    };
    hf->addRow(tr("Home:"), selectable(ctx->home()));
    hf->addRow(tr("Settings:"), selectable(Home::configPath(ctx->home())));
    hf->addRow(tr("Catalog:"), selectable(Home::catalogPath(ctx->home())));
    auto *homeNote =
        new QLabel(tr("Start Lifeboat with LIFEBOAT_HOME=… (or lifeboatctl --home) to use another."), home);
    homeNote->setWordWrap(true);
    hf->addRow(homeNote);
    layout->addWidget(home);
    layout->addStretch(1);
    scroll->setWidget(content);
    outer->addWidget(scroll);

    connect(addP, &QPushButton::clicked, this, &SettingsPage::addProfile);
    connect(editP, &QPushButton::clicked, this, &SettingsPage::editProfile);
    connect(m_profiles, &QListWidget::itemActivated, this, &SettingsPage::editProfile);
    connect(removeP, &QPushButton::clicked, this, [this] { removeSelected(true); });
    connect(addS, &QPushButton::clicked, this, &SettingsPage::addStorage);
    connect(editS, &QPushButton::clicked, this, &SettingsPage::editStorage);
    connect(m_storages, &QListWidget::itemActivated, this, &SettingsPage::editStorage);
    connect(removeS, &QPushButton::clicked, this, [this] { removeSelected(false); });
    connect(browse, &QPushButton::clicked, this, [this] {
        FileDialog::getExistingDirectory(this, tr("Folder with pg_dump"), m_toolDir->text(), [this](const QString &d) {
            if (!d.isEmpty())
                m_toolDir->setText(QDir::toNativeSeparators(d));
        });
    });
    connect(save, &QPushButton::clicked, this, [this] {
        QString error;
        const QString dir = QDir::fromNativeSeparators(m_toolDir->text().trimmed());
        if (!m_ctx->updateConfig([dir](ConfigStore &c) { c.setOption(QStringLiteral("pgToolDir"), dir); }, &error))
            MessageBox::critical(this, tr("Settings not saved"), error);
    });
    connect(m_recheck, &QPushButton::clicked, this, [this] {
        m_keychain->setText(tr("Checking…"));
        m_ctx->probeKeychain();
    });
    connect(m_ctx, &AppContext::configChanged, this, &SettingsPage::reload);
    connect(m_ctx, &AppContext::keychainChanged, this, &SettingsPage::updateKeychain);
    reload();
    updateKeychain();
}

void SettingsPage::reload() {
    m_profiles->clear();
    for (const Profile &p : m_ctx->config().profiles()) {
        auto *item = new QListWidgetItem(QIcon(QStringLiteral(":/icons/server.svg")),
                                         p.production ? tr("%1 — production").arg(p.name) : p.name, m_profiles);
        item->setData(Qt::UserRole, p.name);
        item->setToolTip(p.conninfo);
    }
    m_storages->clear();
    for (const StorageConfig &s : m_ctx->config().storages()) {
        const QString where =
            s.isLocal() ? QDir::toNativeSeparators(s.localDir) : QStringLiteral("s3://%1/%2").arg(s.bucket, s.prefix);
        auto *item = new QListWidgetItem(QIcon(QStringLiteral(":/icons/storage.svg")), tr("%1 — %2").arg(s.name, where),
                                         m_storages);
        item->setData(Qt::UserRole, s.name);
    }
}

void SettingsPage::updateKeychain() {
    if (!m_ctx->keychainKnown()) {
        m_keychain->setText(tr("Checking whether a keychain answers…"));
        return;
    }
    const KeychainStatus s = m_ctx->keychain();
    m_keychain->setText(s.available()
                            ? tr("✓ Passwords and keys are kept in the system keychain%1.")
                                  .arg(s.provider.isEmpty() ? QString() : tr(" (%1)").arg(s.provider))
                            : tr("✗ %1").arg(s.message.isEmpty() ? tr("No keychain answers.")
                                                                 : s.message.left(1).toUpper() + s.message.mid(1)));
}

void SettingsPage::addProfile() {
    auto *d = new ProfileDialog(m_ctx, Profile{}, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->open();
}

void SettingsPage::editProfile() {
    QListWidgetItem *item = m_profiles->currentItem();
    if (!item)
        return;
    const auto p = m_ctx->config().profile(item->data(Qt::UserRole).toString());
    if (!p)
        return;
    auto *d = new ProfileDialog(m_ctx, *p, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->open();
}

void SettingsPage::addStorage() {
    auto *d = new StorageDialog(m_ctx, StorageConfig{}, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->open();
}

void SettingsPage::editStorage() {
    QListWidgetItem *item = m_storages->currentItem();
    if (!item)
        return;
    const auto s = m_ctx->config().storage(item->data(Qt::UserRole).toString());
    if (!s)
        return;
    auto *d = new StorageDialog(m_ctx, *s, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->open();
}

void SettingsPage::removeSelected(bool profile) {
    QListWidget *list = profile ? m_profiles : m_storages;
    QListWidgetItem *item = list->currentItem();
    if (!item)
        return;
    const QString name = item->data(Qt::UserRole).toString();
    const QString text = profile
                             ? tr("Remove the server profile “%1”? Its backups stay in the catalog and on "
                                  "storage.")
                                   .arg(name)
                             : tr("Remove the storage “%1”? Files already written there are not deleted.").arg(name);
    MessageBox::question(this, profile ? tr("Remove profile") : tr("Remove storage"), text,
                         [this, profile, name](bool yes) {
                             if (!yes)
                                 return;
                             QString error;
                             const bool ok = m_ctx->updateConfig(
                                 [profile, name](ConfigStore &c) {
                                     if (profile) {
                                         c.removeProfile(name);
                                     } else {
                                         c.removeStorage(name);
                                     }
                                 },
                                 &error);
                             if (!ok)
                                 MessageBox::critical(this, tr("Settings not saved"), error);
                         });
}

} // namespace lifeboat
