#pragma once

#include <QDateTime>
#include <QDialog>
#include <QList>
#include <QTimeZone>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace lifeboat {

// Edits a 5-field cron expression: presets, the expression with live validation (the parser's message inline),
// the readable description, and the next fire times in the schedule's time zone so the operator sees exactly
// when backups will run (including the DST rule CronExpression documents).
class CronEditorDialog : public QDialog {
    Q_OBJECT
public:
    static constexpr int kPreviewCount = 8;

    CronEditorDialog(const QString &expression, const QString &timeZone, QWidget *parent = nullptr);

    QString expression() const;
    bool isExpressionValid() const { return m_valid; }
    QLineEdit *expressionField() const { return m_expression; }
    QComboBox *presetField() const { return m_presets; }
    QLabel *errorLabel() const { return m_error; }
    QLabel *descriptionLabel() const { return m_description; }
    QListWidget *previewList() const { return m_preview; }
    QDialogButtonBox *buttons() const { return m_buttons; }

    // The instants listed in the preview (in the schedule's zone).
    QList<QDateTime> previewTimes() const { return m_times; }
    // Preview from this instant instead of now (tests and screenshots); invalid: now.
    void setPreviewStart(const QDateTime &start);
    QDateTime previewStart() const { return m_start; }

    // How a fire time is shown: locale date and time with weekday and zone abbreviation.
    static QString formatFire(const QDateTime &t);

signals:
    void expressionAccepted(const QString &expression);

private:
    void refresh();

    QTimeZone m_zone;
    QDateTime m_start;
    QList<QDateTime> m_times;
    bool m_valid = false;
    QComboBox *m_presets;
    QLineEdit *m_expression;
    QLabel *m_error;
    QLabel *m_description;
    QListWidget *m_preview;
    QDialogButtonBox *m_buttons;
};

} // namespace lifeboat
