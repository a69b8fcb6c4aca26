#pragma once

#include <QString>

#include <functional>
#include <initializer_list>

class QBoxLayout;
class QDialog;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLayout;
class QLineEdit;
class QObject;
class QSpinBox;
class QVBoxLayout;
class QWidget;

namespace lifeboat {

// The settings editors (profile, storage, notification channel) lay their forms out alike: rows whose label carries
// the mnemonic and hands the focus to its field, fields named for screen readers after their label, secrets typed
// blind, a red line saying why Save was refused, a selectable line with what a test found, and Save / Cancel with
// Save going through the editor's own accept() (its validation). Built here, they stay alike as fields are added,
// and the GUI tests that walk the focus chain keep finding them. The builder owns nothing: each widget it makes is a
// child of the owner it was given, made in the order asked for, which is the Tab order.
class FormBuilder {
public:
    // Flush: a stack page or a panel inside a dialog's column, level with the dialog's own rows. Framed: a group box.
    enum class Margins { Flush, Framed };

    // Rows in a new form appended to `column`; widgets are children of `owner`.
    FormBuilder(QWidget *owner, QBoxLayout *column);
    // Rows in `owner`'s own form layout.
    FormBuilder(QWidget *owner, Margins margins);

    QFormLayout *form() const { return m_form; }
    QWidget *owner() const { return m_owner; }

    // A line edit in a labelled row. An empty accessibleName takes the label's words ("&Bucket:" -> "Bucket").
    QLineEdit *line(const QString &label, const QString &value, const QString &placeholder,
                    const QString &accessibleName = QString());
    // A line edit that shows dots, empty: a secret is never shown back, the placeholder says where it is kept.
    QLineEdit *secret(const QString &label, const QString &placeholder, const QString &accessibleName = QString());
    // A whole-number field in a labelled row.
    QSpinBox *number(const QString &label, int minimum, int maximum, int value,
                     const QString &accessibleName = QString());
    // A labelled row for a field made by the caller.
    void row(const QString &label, QWidget *field);
    // A full-width row without a label (a check box says what it is itself).
    void row(QWidget *field);
    // A field with something beside it (Browse…, a port). QFormLayout gives a row made of a layout a label without a
    // buddy, which shows the '&' literally and has no mnemonic, so the label is made here with `buddy`.
    QLabel *row(const QString &label, QLayout *fields, QWidget *buddy);

    // The dialog's title and object name (tests find editors by it), and its column of rows and panels.
    static QVBoxLayout *column(QDialog *dialog, const QString &objectName, const QString &title);
    // Red and word-wrapped: why Save was refused, in words that say what to change.
    static QLabel *errorLabel(QWidget *owner);
    // Word-wrapped and selectable (an operator copies a server's answer into a ticket): what a test found.
    static QLabel *answerLabel(QWidget *owner);
    // Save and Cancel. Save calls the dialog's accept(), which an editor overrides to validate and save.
    static QDialogButtonBox *saveCancel(QDialog *dialog);
    // `stale` runs when the operator edits any of `fields`: a refusal or a test result describes the fields as they
    // were.
    static void onEdit(std::initializer_list<QLineEdit *> fields, QObject *context, const std::function<void()> &stale);
    // "&Bucket:" -> "Bucket".
    static QString nameOf(const QString &label);

private:
    QWidget *m_owner;
    QFormLayout *m_form;
};

} // namespace lifeboat
