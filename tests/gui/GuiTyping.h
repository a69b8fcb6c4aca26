#pragma once

#include <QString>

class QWidget;

// Typing as a user types: into whatever has the keyboard focus, one key at a time. A test that calls
// QTest::keyClicks(field, …) hands every key to the field even when the focus has moved elsewhere, so it cannot see
// a field that loses the focus after the first key; these helpers go through the focus chain instead — click (or
// tab) into the field, then send each key to QApplication::focusWidget(), re-read before every key.
class GuiTyping {
public:
    // Activates the field's window and clicks into the field, as a user would. True when the field (or its focus
    // proxy) then has the focus.
    static bool clickInto(QWidget *field);
    // Types `text` key by key into QApplication::focusWidget(). False (with a warning naming the widget that had
    // the focus instead) when nothing has the focus before a key.
    static bool type(const QString &text);
    // clickInto, Ctrl+A, then type: replaces the field's text the way an operator would.
    static bool replaceText(QWidget *field, const QString &text);
    // A readable name for the widget that has the focus now ("QComboBox 'Current profile'"), for failure messages.
    static QString focusDescription();
};
