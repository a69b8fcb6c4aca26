#include "ui/widgets/FormBuilder.h"

#include <QBoxLayout>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lifeboat {

FormBuilder::FormBuilder(QWidget *owner, QBoxLayout *column)
    : m_owner(owner)
    , m_form(new QFormLayout) {
    column->addLayout(m_form); // the column owns it from here
}

FormBuilder::FormBuilder(QWidget *owner, Margins margins)
    : m_owner(owner)
    , m_form(new QFormLayout(owner)) {
    if (margins == Margins::Flush)
        m_form->setContentsMargins(0, 0, 0, 0);
}

QLineEdit *FormBuilder::line(const QString &label, const QString &value, const QString &placeholder,
                             const QString &accessibleName) {
    auto *e = new QLineEdit(value, m_owner);
    e->setPlaceholderText(placeholder);
    e->setAccessibleName(accessibleName.isEmpty() ? nameOf(label) : accessibleName);
    m_form->addRow(label, e);
    return e;
}

QLineEdit *FormBuilder::secret(const QString &label, const QString &placeholder, const QString &accessibleName) {
    QLineEdit *e = line(label, QString(), placeholder, accessibleName);
    e->setEchoMode(QLineEdit::Password);
    return e;
}

QSpinBox *FormBuilder::number(const QString &label, int minimum, int maximum, int value,
                              const QString &accessibleName) {
    auto *b = new QSpinBox(m_owner);
    b->setRange(minimum, maximum);
    b->setValue(value);
    b->setAccessibleName(accessibleName.isEmpty() ? nameOf(label) : accessibleName);
    m_form->addRow(label, b);
    return b;
}

void FormBuilder::row(const QString &label, QWidget *field) {
    m_form->addRow(label, field);
}

void FormBuilder::row(QWidget *field) {
    m_form->addRow(QString(), field);
}

QLabel *FormBuilder::row(const QString &label, QLayout *fields, QWidget *buddy) {
    auto *l = new QLabel(label, m_owner);
    l->setBuddy(buddy);
    m_form->addRow(l, fields);
    return l;
}

QVBoxLayout *FormBuilder::column(QDialog *dialog, const QString &objectName, const QString &title) {
    dialog->setWindowTitle(title);
    dialog->setObjectName(objectName);
    return new QVBoxLayout(dialog);
}

QLabel *FormBuilder::errorLabel(QWidget *owner) {
    auto *l = new QLabel(owner);
    l->setWordWrap(true);
    QPalette p = l->palette();
    p.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    l->setPalette(p);
    return l;
}

QLabel *FormBuilder::answerLabel(QWidget *owner) {
    auto *l = new QLabel(owner);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

QDialogButtonBox *FormBuilder::saveCancel(QDialog *dialog) {
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    return buttons;
}

void FormBuilder::onEdit(std::initializer_list<QLineEdit *> fields, QObject *context,
                         const std::function<void()> &stale) {
    for (QLineEdit *e : fields)
        QObject::connect(e, &QLineEdit::textEdited, context, stale);
}

QString FormBuilder::nameOf(const QString &label) {
    return QString(label).remove(QLatin1Char('&')).remove(QLatin1Char(':'));
}

} // namespace lifeboat
