#include "ui/widgets/MessageBox.h"

#include <optional>

namespace lifeboat {

namespace {
std::optional<MessageBox::Button> g_nextAnswer;
QString g_lastTitle;
QString g_lastText;
} // namespace

void MessageBox::setNextAnswer(Button answer) {
    g_nextAnswer = answer;
}

void MessageBox::clearNextAnswer() {
    g_nextAnswer.reset();
}

QString MessageBox::lastTitle() {
    return g_lastTitle;
}

QString MessageBox::lastText() {
    return g_lastText;
}

void MessageBox::ask(QWidget *parent, QMessageBox::Icon icon, const QString &title, const QString &text,
                     QMessageBox::StandardButtons buttons, Button defaultButton, Callback then,
                     const QString &details) {
    g_lastTitle = title;
    g_lastText = text;
    if (g_nextAnswer) {
        const Button answer = *g_nextAnswer;
        g_nextAnswer.reset();
        if (then)
            then(answer);
        return;
    }
    auto *box = new QMessageBox(icon, title, text, buttons, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(defaultButton);
    box->setWindowModality(parent ? Qt::WindowModal : Qt::ApplicationModal);
    box->setAccessibleName(title);
    if (!details.isEmpty())
        box->setDetailedText(details);
    QObject::connect(box, &QMessageBox::finished, box, [box, then](int) {
        if (then)
            then(box->standardButton(box->clickedButton()));
    });
    box->open();
}

void MessageBox::question(QWidget *parent, const QString &title, const QString &text, std::function<void(bool)> then,
                          Button defaultButton) {
    ask(parent, QMessageBox::Question, title, text, QMessageBox::Yes | QMessageBox::No, defaultButton,
        [then](Button b) {
            if (then)
                then(b == QMessageBox::Yes);
        });
}

void MessageBox::information(QWidget *parent, const QString &title, const QString &text) {
    ask(parent, QMessageBox::Information, title, text, QMessageBox::Ok, QMessageBox::Ok, {});
}

void MessageBox::warning(QWidget *parent, const QString &title, const QString &text, const QString &details) {
    ask(parent, QMessageBox::Warning, title, text, QMessageBox::Ok, QMessageBox::Ok, {}, details);
}

void MessageBox::critical(QWidget *parent, const QString &title, const QString &text, const QString &details) {
    ask(parent, QMessageBox::Critical, title, text, QMessageBox::Ok, QMessageBox::Ok, {}, details);
}

} // namespace lifeboat
