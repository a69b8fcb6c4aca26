#include "ui/dashboard/FirstRunPage.h"

#include "ui/AppContext.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
QPushButton *bigButton(const QString &icon, const QString &text, QWidget *parent) {
    auto *b = new QPushButton(QIcon(icon), text, parent);
    b->setIconSize(QSize(32, 32));
    b->setMinimumSize(200, 64);
    b->setAccessibleName(text);
    return b;
}
} // namespace

FirstRunPage::FirstRunPage(AppContext *ctx, QWidget *parent)
    : QWidget(parent)
    , m_ctx(ctx) {
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(1);
    auto *box = new QVBoxLayout;
    box->setSpacing(14);

    auto *logo = new QLabel(this);
    logo->setPixmap(QIcon(QStringLiteral(":/icons/lifeboat.svg")).pixmap(72, 72));
    logo->setAlignment(Qt::AlignCenter);
    box->addWidget(logo);

    auto *title = new QLabel(tr("Welcome to Lifeboat"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.8);
    f.setBold(true);
    title->setFont(f);
    title->setAlignment(Qt::AlignCenter);
    box->addWidget(title);

    auto *intro = new QLabel(tr("Lifeboat backs up PostgreSQL databases, checks that every copy is whole, and "
                                "restores them safely. To start, tell it which server to back up and where to "
                                "keep the backups."),
                             this);
    intro->setWordWrap(true);
    intro->setAlignment(Qt::AlignCenter);
    intro->setFixedWidth(620); // a wrapped label needs a definite width to get its height right
    box->addWidget(intro, 0, Qt::AlignHCenter);

    m_state = new QLabel(this);
    m_state->setAlignment(Qt::AlignCenter);
    m_state->setWordWrap(true);
    box->addWidget(m_state);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(12);
    m_addServer = bigButton(QStringLiteral(":/icons/server.svg"), tr("Add a server…"), this);
    m_addStorage = bigButton(QStringLiteral(":/icons/storage.svg"), tr("Add a storage…"), this);
    m_sandbox = bigButton(QStringLiteral(":/icons/sandbox.svg"), tr("Try the sandbox"), this);
    buttons->addStretch(1);
    buttons->addWidget(m_addServer);
    buttons->addWidget(m_addStorage);
    buttons->addWidget(m_sandbox);
    buttons->addStretch(1);
    box->addLayout(buttons);

    m_sandboxText = new QLabel(this);
    m_sandboxText->setTextFormat(Qt::RichText);
    m_sandboxText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sandboxText->setWordWrap(true);
    m_sandboxText->setFixedWidth(620);
    m_sandboxText->setText(
        tr("<p>The sandbox is a throwaway PostgreSQL server with a small <b>shop</b> database, so you can try "
           "backups without touching a real server. From the Lifeboat source folder run:</p>"
           "<pre>  bash installer/dev.sh run</pre>"
           "<p>It starts the sandbox server, adds the profile <b>sandbox</b> and the storage <b>sandbox-disk</b> to "
           "a separate Lifeboat home (<tt>.sandbox/home</tt>) and opens Lifeboat on it. The sandbox server stops "
           "when that Lifeboat window closes; delete <tt>.sandbox</tt> to start over.</p>"));
    // A wrapped rich-text label under-reports its height in a box layout: reserve what the text really needs.
    m_sandboxText->setMinimumHeight(m_sandboxText->heightForWidth(620));
    m_sandboxText->setVisible(false);
    box->addWidget(m_sandboxText, 0, Qt::AlignHCenter);

    outer->addLayout(box);
    outer->addStretch(2);

    connect(m_addServer, &QPushButton::clicked, this, &FirstRunPage::addServerRequested);
    connect(m_addStorage, &QPushButton::clicked, this, &FirstRunPage::addStorageRequested);
    connect(m_sandbox, &QPushButton::clicked, this, [this] { m_sandboxText->setVisible(true); });
    connect(m_ctx, &AppContext::configChanged, this, &FirstRunPage::refresh);
    refresh();
}

void FirstRunPage::refresh() {
    const int profiles = int(m_ctx->config().profiles().size());
    const int storages = int(m_ctx->config().storages().size());
    m_state->setText(tr("Servers: %1   ·   Storages: %2").arg(profiles).arg(storages));
    m_addServer->setText(profiles ? tr("Add another server…") : tr("Add a server…"));
    m_addStorage->setText(storages ? tr("Add another storage…") : tr("Add a storage…"));
}

} // namespace lifeboat
