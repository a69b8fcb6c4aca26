#pragma once

#include "catalog/StorageConfig.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QStackedWidget;

namespace lifeboat {

class AppContext;

// Adds or edits a storage: a local directory or an S3-compatible bucket. The S3 secret key goes to the keychain,
// never into the settings file.
class StorageDialog : public QDialog {
    Q_OBJECT
public:
    StorageDialog(AppContext *ctx, const StorageConfig &existing, QWidget *parent = nullptr);

    QLineEdit *nameField() const { return m_name; }
    QComboBox *kindField() const { return m_kind; }
    QLineEdit *dirField() const { return m_dir; }

    StorageConfig storage() const;

public slots:
    void accept() override;

signals:
    void saved(const QString &name);

private:
    AppContext *m_ctx;
    QString m_originalName;
    StorageConfig m_base;
    QLineEdit *m_name;
    QComboBox *m_kind;
    QStackedWidget *m_pages;
    QLineEdit *m_dir;
    QLineEdit *m_endpoint;
    QLineEdit *m_bucket;
    QLineEdit *m_region;
    QLineEdit *m_prefix;
    QCheckBox *m_pathStyle;
    QLineEdit *m_accessKey;
    QLineEdit *m_secret;
    QLineEdit *m_awsProfile;
    QLabel *m_error;
};

} // namespace lifeboat
