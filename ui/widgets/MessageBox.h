#pragma once

#include <QMessageBox>
#include <QString>

#include <functional>

namespace lifeboat {

// Every message box of the application goes through here (the KeePassXC pattern): tests call setNextAnswer() and
// the next box answers itself without being shown. Boxes are window-modal and opened with open(), never exec():
// the answer arrives in a callback, so no nested event loop ever runs on the GUI thread.
class MessageBox {
public:
    using Button = QMessageBox::StandardButton;
    using Callback = std::function<void(Button)>;

    static void setNextAnswer(Button answer);
    static void clearNextAnswer();

    static void ask(QWidget *parent, QMessageBox::Icon icon, const QString &title, const QString &text,
                    QMessageBox::StandardButtons buttons, Button defaultButton, Callback then,
                    const QString &details = {});
    // Yes/No question; `then(true)` on Yes.
    static void question(QWidget *parent, const QString &title, const QString &text, std::function<void(bool)> then,
                         Button defaultButton = QMessageBox::No);
    static void information(QWidget *parent, const QString &title, const QString &text);
    static void warning(QWidget *parent, const QString &title, const QString &text, const QString &details = {});
    static void critical(QWidget *parent, const QString &title, const QString &text, const QString &details = {});

    // What the last box said (shown or answered by setNextAnswer), for tests and logs.
    static QString lastTitle();
    static QString lastText();
};

} // namespace lifeboat
