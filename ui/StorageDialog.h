#pragma once

#include "catalog/StorageConfig.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
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
    QLineEdit *bucketField() const { return m_bucket; }
    QLineEdit *secretField() const { return m_secret; }
    QPushButton *testButton() const { return m_test; }
    QLabel *testResult() const { return m_testResult; }

    StorageConfig storage() const;

public slots:
    void accept() override;

signals:
    void saved(const QString &name);
    void tested(bool ok); // a Test finished; testResult() says what it found

private:
    // Tries the settings as they stand in the fields (typed secret, else the stored one) on a worker.
    void test();

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
    QPushButton *m_test;
    QLabel *m_testResult;
    quint64 m_testGeneration = 0; // a result of settings changed since is dropped
};

} // namespace lifeboat
