#include "ui/settings/EditorDialog.h"

#include "ui/widgets/FormBuilder.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace lifeboat {

EditorDialog::EditorDialog(AppContext *ctx, const QString &originalName, const QString &objectName,
                           const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_ctx(ctx)
    , m_originalName(originalName)
    , m_column(FormBuilder::column(this, objectName, title)) {}

FormBuilder EditorDialog::nameRow(const QString &name, const QString &placeholder, const QString &accessibleName) {
    FormBuilder form(this, m_column);
    m_name = form.line(tr("&Name:"), name, placeholder, accessibleName);
    return form;
}

void EditorDialog::addTestRow(const QString &buttonText) {
    auto *row = new QHBoxLayout;
    m_test = new QPushButton(buttonText, this);
    m_testResult = FormBuilder::answerLabel(this);
    row->addWidget(m_test);
    row->addWidget(m_testResult, 1);
    m_column->addLayout(row);
}

void EditorDialog::addErrorLine() {
    m_error = FormBuilder::errorLabel(this);
    m_column->addWidget(m_error);
}

QDialogButtonBox *EditorDialog::addSaveCancel() {
    QDialogButtonBox *buttons = FormBuilder::saveCancel(this);
    m_column->addWidget(buttons);
    return buttons;
}

QString EditorDialog::invalidNameMessage() {
    return tr("The name must start with a letter or digit and use only letters, digits, '.', '_' and '-' (at most "
              "63).");
}

void EditorDialog::refuse(const QString &why, QWidget *focus) {
    m_error->setText(why);
    if (focus)
        focus->setFocus();
}

void EditorDialog::keepSecret(const QString &key, const QString &secret, const QString &failureTitle) {
    EditorSave::secret(m_ctx, parentWidget(), key, secret, failureTitle);
}

void EditorDialog::finish(const QString &name) {
    emit saved(name);
    QDialog::accept();
}

} // namespace lifeboat
