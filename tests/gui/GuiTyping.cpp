#include "GuiTyping.h"

#include <QApplication>
#include <QTest>
#include <QWidget>

bool GuiTyping::clickInto(QWidget *field) {
    QWidget *window = field->window();
    if (!window->isActiveWindow()) {
        window->activateWindow();
        if (!QTest::qWaitForWindowActive(window))
            return false;
    }
    QTest::mouseClick(field, Qt::LeftButton, Qt::NoModifier, field->rect().center());
    QTest::qWait(20); // let queued reactions to the click run, as they would between a click and the first key
    QWidget *focus = QApplication::focusWidget();
    return focus && (focus == field || focus == field->focusProxy());
}

bool GuiTyping::type(const QString &text) {
    for (const QChar ch : text) {
        QWidget *focus = QApplication::focusWidget();
        if (!focus) {
            qWarning("GuiTyping: nothing has the keyboard focus before '%s'", qPrintable(QString(ch)));
            return false;
        }
        if (ch.unicode() < 0x80)
            QTest::keyClick(focus, char(ch.unicode()));
        else
            QTest::sendKeyEvent(QTest::Click, focus, Qt::Key_unknown, QString(ch), Qt::NoModifier);
        // The event loop turns between keys, as it does for a typist: queued refreshes run before the next key.
        QTest::qWait(5);
    }
    return true;
}

bool GuiTyping::replaceText(QWidget *field, const QString &text) {
    if (!clickInto(field)) {
        qWarning("GuiTyping: clicking into %s left the focus on %s", field->metaObject()->className(),
                 qPrintable(focusDescription()));
        return false;
    }
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_A, Qt::ControlModifier);
    return type(text);
}

QString GuiTyping::focusDescription() {
    const QWidget *focus = QApplication::focusWidget();
    if (!focus)
        return QStringLiteral("nothing");
    const QString name = !focus->accessibleName().isEmpty() ? focus->accessibleName() : focus->objectName();
    return QStringLiteral("%1 '%2'").arg(QLatin1String(focus->metaObject()->className()), name);
}
