#pragma once

#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace lifeboat {

// An inline bar above the bucket listing: what just happened (information) or what failed (error), where it
// happened, with the full details one click away. Never modal; closes with its button or the next message.
class BucketMessageBar : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Information, Error };

    explicit BucketMessageBar(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text, const QString &details = {});
    void showError(const QString &text, const QString &details = {}) { showMessage(Kind::Error, text, details); }
    void showInformation(const QString &text, const QString &details = {}) {
        showMessage(Kind::Information, text, details);
    }
    void dismiss();

    Kind kind() const { return m_kind; }
    QString text() const;
    QString details() const;
    bool detailsVisible() const;
    QToolButton *detailsButton() const { return m_detailsButton; }

private:
    void applyPalette();

    Kind m_kind = Kind::Information;
    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_detailsButton;
    QToolButton *m_close;
    QPlainTextEdit *m_details;
};

} // namespace lifeboat
