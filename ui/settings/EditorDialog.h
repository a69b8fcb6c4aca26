#pragma once

#include "ui/settings/EditorSave.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace lifeboat {

class AppContext;
class FormBuilder;

// What the settings editors (server profile, storage, notification channel) have in common, kept in one place so
// that they keep looking and answering alike: a title and an object name (tests find editors by it) over one column,
// a name field, a test button with a line saying what it found, a line saying why Save was refused, Save / Cancel,
// and saved(name) once the item is written. Each editor makes these widgets itself, where its form wants them (their
// order is the Tab order), with the helpers below.
class EditorDialog : public QDialog {
    Q_OBJECT
public:
    QLineEdit *nameField() const { return m_name; }
    QPushButton *testButton() const { return m_test; }
    QLabel *testResult() const { return m_testResult; }
    QLabel *errorLabel() const { return m_error; }

signals:
    void saved(const QString &name);

protected:
    // originalName: the item's name when the editor opened, empty for a new one.
    EditorDialog(AppContext *ctx, const QString &originalName, const QString &objectName, const QString &title,
                 QWidget *parent);

    // The dialog's column of rows and panels.
    QVBoxLayout *column() const { return m_column; }
    // The first form of the column, opened with the name row (every editor's first field); the rows after it go to
    // the builder returned.
    FormBuilder nameRow(const QString &name, const QString &placeholder, const QString &accessibleName);
    // The test button with its result beside it, as a row of the column.
    void addTestRow(const QString &buttonText);
    // The red line under the form that says why Save was refused.
    void addErrorLine();
    // Save (through the editor's accept()) and Cancel, as the column's last row.
    QDialogButtonBox *addSaveCancel();

    // Shared by the editors of named settings items (profiles, storages).
    static QString invalidNameMessage();
    // Shows why Save was refused and, when given, puts the focus on the field to change.
    void refuse(const QString &why, QWidget *focus = nullptr);
    // Writes `item` to the settings in place of the one the editor opened (EditorSave::replace); false when refused,
    // the reason shown in the error line.
    template <typename Item>
    bool replaceInSettings(const Item &item, bool (ConfigStore::*remove)(const QString &),
                           void (ConfigStore::*upsert)(const Item &)) {
        return EditorSave::replace(m_ctx, m_originalName, item, remove, upsert, m_error);
    }
    // Keeps a typed secret after the editor has closed (EditorSave::secret), told over the editor's parent.
    void keepSecret(const QString &key, const QString &secret, const QString &failureTitle);
    // The item is written: says so and closes.
    void finish(const QString &name);

    AppContext *const m_ctx;
    const QString m_originalName;
    QLineEdit *m_name = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
    QLabel *m_error = nullptr;

private:
    QVBoxLayout *m_column;
};

} // namespace lifeboat
