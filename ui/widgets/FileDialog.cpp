#include "ui/widgets/FileDialog.h"

#include <QFileDialog>

#include <optional>

namespace lifeboat {

namespace {
std::optional<QString> g_nextFileName;

bool answerFromTest(const FileDialog::Callback &then) {
    if (!g_nextFileName)
        return false;
    const QString name = *g_nextFileName;
    g_nextFileName.reset();
    if (then)
        then(name);
    return true;
}

void openDialog(QFileDialog *d, const FileDialog::Callback &then) {
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setWindowModality(d->parentWidget() ? Qt::WindowModal : Qt::ApplicationModal);
    QObject::connect(d, &QFileDialog::finished, d, [d, then](int result) {
        const QStringList files = d->selectedFiles();
        if (then)
            then(result == QDialog::Accepted && !files.isEmpty() ? files.first() : QString());
    });
    d->open();
}
} // namespace

void FileDialog::setNextFileName(const QString &name) {
    g_nextFileName = name;
}

void FileDialog::getExistingDirectory(QWidget *parent, const QString &caption, const QString &dir, Callback then) {
    if (answerFromTest(then))
        return;
    auto *d = new QFileDialog(parent, caption, dir);
    d->setFileMode(QFileDialog::Directory);
    d->setOption(QFileDialog::ShowDirsOnly);
    openDialog(d, then);
}

void FileDialog::getOpenFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter,
                                 Callback then) {
    if (answerFromTest(then))
        return;
    auto *d = new QFileDialog(parent, caption, dir, filter);
    d->setFileMode(QFileDialog::ExistingFile);
    openDialog(d, then);
}

void FileDialog::getSaveFileName(QWidget *parent, const QString &caption, const QString &path, const QString &filter,
                                 const QString &defaultSuffix, Callback then) {
    if (answerFromTest(then))
        return;
    auto *d = new QFileDialog(parent, caption, path, filter);
    d->setAcceptMode(QFileDialog::AcceptSave);
    d->setFileMode(QFileDialog::AnyFile);
    d->setDefaultSuffix(defaultSuffix);
    openDialog(d, then);
}

} // namespace lifeboat
