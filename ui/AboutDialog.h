#pragma once

#include <QDialog>

namespace lifeboat {

// Help ▸ About: the version (the one from CMake's project(VERSION), as in `lifeboatctl --version`, manifests and
// packages), the versions of the libraries actually loaded at run time (what a bug report needs: a distribution's
// Qt, libpq or OpenSSL can differ from the build machine's), the licence and where to read more.
class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // Opens a window-modal About box (open(), never exec(): no nested event loop) that deletes itself on close.
    static AboutDialog *show(QWidget *parent);
    using QDialog::show;

    // "Lifeboat 0.1.0\nQt 6.4.2 (built with 6.4.2)\nlibpq 15.14\nOpenSSL 3.0.17\n..." — the text "Copy" puts on the
    // clipboard.
    static QString versionReport();
    static QString libpqVersion();
    static QString opensslVersion();
};

} // namespace lifeboat
