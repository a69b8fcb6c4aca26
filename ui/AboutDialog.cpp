#include "ui/AboutDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <libpq-fe.h>
#include <openssl/crypto.h>

#ifndef LIFEBOAT_LICENSE
#error "LIFEBOAT_LICENSE is set in cmake/Packaging.cmake"
#endif
#ifndef LIFEBOAT_HOMEPAGE
#error "LIFEBOAT_HOMEPAGE is set in cmake/Packaging.cmake"
#endif

namespace lifeboat {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent) {
    setWindowTitle(tr("About Lifeboat"));
    setObjectName(QStringLiteral("aboutDialog"));

    auto *icon = new QLabel;
    icon->setPixmap(QIcon(QStringLiteral(":/icons/lifeboat.svg")).pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);

    auto *title = new QLabel(QStringLiteral("<h2>Lifeboat %1</h2>").arg(QStringLiteral(LIFEBOAT_VERSION)));
    title->setObjectName(QStringLiteral("aboutTitle"));
    title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *blurb = new QLabel(tr("PostgreSQL backup and disaster recovery: back up to disks and S3 buckets, encrypt "
                                "with age, prove every backup restores, and restore safely."));
    blurb->setWordWrap(true);

    const QString homepage = QStringLiteral(LIFEBOAT_HOMEPAGE);
    auto *details =
        new QLabel(QStringLiteral("<table cellspacing=\"0\" cellpadding=\"2\">"
                                  "<tr><td style=\"padding-right:12px\">Qt</td><td>%1 (built with %2)</td></tr>"
                                  "<tr><td style=\"padding-right:12px\">libpq</td><td>%3</td></tr>"
                                  "<tr><td style=\"padding-right:12px\">OpenSSL</td><td>%4</td></tr>"
                                  "<tr><td style=\"padding-right:12px\">%5</td><td>%6</td></tr>"
                                  "</table>"
                                  "<p><a href=\"%7\">%7</a><br>"
                                  "<a href=\"%7/blob/main/docs/user-guide.md\">%8</a> · "
                                  "<a href=\"%7/blob/main/docs/runbook.md\">%9</a></p>")
                       .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR), libpqVersion(),
                            opensslVersion(), tr("Licence"), QStringLiteral(LIFEBOAT_LICENSE), homepage,
                            tr("User guide"), tr("Disaster-recovery runbook")));
    details->setObjectName(QStringLiteral("aboutDetails"));
    details->setOpenExternalLinks(true);
    details->setTextInteractionFlags(Qt::TextBrowserInteraction);

    auto *text = new QVBoxLayout;
    text->addWidget(title);
    text->addWidget(blurb);
    text->addWidget(details);
    text->addStretch();

    auto *top = new QHBoxLayout;
    top->addWidget(icon);
    top->addLayout(text, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    // Support asks for these numbers first; one click puts them on the clipboard as plain text.
    QPushButton *copy = buttons->addButton(tr("Copy versions"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyVersions"));
    connect(copy, &QPushButton::clicked, this, [] { QApplication::clipboard()->setText(versionReport()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);
    setMinimumWidth(440);
}

AboutDialog *AboutDialog::show(QWidget *parent) {
    auto *dialog = new AboutDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

QString AboutDialog::libpqVersion() {
    // PQlibVersion() is MAJOR*10000 + MINOR since PostgreSQL 10.
    const int v = PQlibVersion();
    return QStringLiteral("%1.%2").arg(v / 10000).arg(v % 10000);
}

QString AboutDialog::opensslVersion() {
    return QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION_STRING));
}

QString AboutDialog::versionReport() {
    return QStringLiteral("Lifeboat %1\nQt %2 (built with %3)\nlibpq %4\nOpenSSL %5\nLicence %6\n")
        .arg(QStringLiteral(LIFEBOAT_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
             libpqVersion(), opensslVersion(), QStringLiteral(LIFEBOAT_LICENSE));
}

} // namespace lifeboat
