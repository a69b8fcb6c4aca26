#include "ui/settings/SettingsPage.h"

#include "ui/settings/BackgroundSettings.h"

#include "catalog/SqlCatalog.h"
#include "core/Home.h"
#include "ui/AppContext.h"
#include "ui/settings/KeysPanel.h"
#include "ui/settings/NotificationSettings.h"
#include "ui/settings/ProfileDialog.h"
#include "ui/settings/StorageDialog.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QUrl>
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
    , m_ctx(ctx)
    , m_catalogAtStart(ctx->config().option(QStringLiteral("catalogUri")).trimmed()) {
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

    auto *notify = new QGroupBox(tr("Notifications"), content);
    auto *nl = new QVBoxLayout(notify);
    m_notifications = new NotificationSettings(ctx, notify);
    nl->addWidget(m_notifications);
    layout->addWidget(notify);

    auto *background = new QGroupBox(tr("Background work"), content);
    auto *bl = new QVBoxLayout(background);
    bl->addWidget(new BackgroundSettings(ctx, background));
    layout->addWidget(background);

    auto *keys = new QGroupBox(tr("Encryption keys (age)"), content);
    auto *kyl = new QVBoxLayout(keys);
    m_keys = new KeysPanel(ctx, keys);
    kyl->addWidget(m_keys);
    layout->addWidget(keys);

    auto *catalogBox = new QGroupBox(tr("Catalog"), content);
    auto *cl = new QVBoxLayout(catalogBox);
    m_catalogNow = new QLabel(catalogBox);
    m_catalogNow->setWordWrap(true);
    m_catalogNow->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_catalogNow->setAccessibleName(tr("Catalog in use"));
    cl->addWidget(m_catalogNow);
    auto *crow = new QHBoxLayout;
    m_catalogUri = new QLineEdit(m_ctx->config().option(QStringLiteral("catalogUri")), catalogBox);
    m_catalogUri->setPlaceholderText(
        tr("empty: the SQLite file in the home; or postgresql://host/db for a team catalog"));
    m_catalogUri->setAccessibleName(tr("Catalog location"));
    auto *catalogApply = new QPushButton(tr("Apply"), catalogBox);
    catalogApply->setAccessibleName(tr("Apply catalog location"));
    crow->addWidget(new QLabel(tr("Location:"), catalogBox));
    crow->addWidget(m_catalogUri, 1);
    crow->addWidget(catalogApply);
    cl->addLayout(crow);
    auto *catalogNote = new QLabel(tr("Shared with lifeboatctl (--catalog overrides it). A new location is used after "
                                      "Lifeboat restarts; the records of the old catalog are not moved. Keep "
                                      "passwords out of the URI (~/.pgpass or a service file)."),
                                   catalogBox);
    catalogNote->setWordWrap(true);
    cl->addWidget(catalogNote);
    layout->addWidget(catalogBox);

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
    connect(catalogApply, &QPushButton::clicked, this, [this] {
        QString error;
        const QString uri = m_catalogUri->text().trimmed();
        if (!m_ctx->updateConfig([uri](ConfigStore &c) { c.setOption(QStringLiteral("catalogUri"), uri); }, &error))
            MessageBox::critical(this, tr("Settings not saved"), error);
        else
            MessageBox::information(this, tr("Catalog location saved"),
                                    tr("Restart Lifeboat to use the new catalog location."));
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
    reloadCatalogInfo();
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

void SettingsPage::reloadCatalogInfo() {
    const QString chosen = m_ctx->config().option(QStringLiteral("catalogUri")).trimmed();
    // Never show a password someone put into the URI or conninfo.
    auto shown = [](const QString &uri) {
        QString s = uri.contains(QStringLiteral("://")) ? QUrl(uri).toString(QUrl::RemovePassword) : uri;
        return s.replace(QRegularExpression(QStringLiteral("password\\s*=\\s*('[^']*'|\\S+)")),
                         QStringLiteral("password=…"));
    };
    const auto catalog = std::dynamic_pointer_cast<SqlCatalog>(m_ctx->catalog());
    QString now;
    if (catalog && catalog->isPostgres())
        now = tr("In use: the shared PostgreSQL catalog %1").arg(shown(m_catalogAtStart));
    else
        now = tr("In use: SQLite file %1")
                  .arg(QDir::toNativeSeparators(m_catalogAtStart.isEmpty() ? Home::catalogPath(m_ctx->home())
                                                : m_catalogAtStart.startsWith(QLatin1String("sqlite:"))
                                                    ? m_catalogAtStart.mid(7)
                                                    : m_catalogAtStart));
    if (chosen != m_catalogAtStart)
        now += QLatin1Char(' ') + tr("— the settings now name %1: restart Lifeboat to use it.")
                                      .arg(chosen.isEmpty() ? tr("the home's own catalog") : shown(chosen));
    m_catalogNow->setText(now);
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
