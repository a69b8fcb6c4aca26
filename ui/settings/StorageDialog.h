#pragma once

#include "catalog/StorageConfig.h"
#include "ui/settings/EditorDialog.h"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QSpinBox;
class QLineEdit;
class QStackedWidget;

namespace lifeboat {

// Adds or edits a storage: a local directory or an S3-compatible bucket. The S3 secret key goes to the keychain,
// never into the settings file. Also the storage's S3 storage class for uploads, its own retention rules (which
// replace the source's for its copies; a rule left at 0 keeps nothing by that rule) and its archive storage.
class StorageDialog : public EditorDialog {
    Q_OBJECT
public:
    StorageDialog(AppContext *ctx, const StorageConfig &existing, QWidget *parent = nullptr);

    QComboBox *kindField() const { return m_kind; }
    QLineEdit *dirField() const { return m_dir; }
    QLineEdit *bucketField() const { return m_bucket; }
    QLineEdit *secretField() const { return m_secret; }
    QComboBox *storageClassField() const { return m_storageClass; }
    QGroupBox *ownRulesBox() const { return m_ownRules; }
    QSpinBox *keepLastField() const { return m_keepLast; }
    QSpinBox *keepHourlyField() const { return m_keepHourly; }
    QSpinBox *keepDailyField() const { return m_keepDaily; }
    QSpinBox *keepWeeklyField() const { return m_keepWeekly; }
    QSpinBox *keepMonthlyField() const { return m_keepMonthly; }
    QSpinBox *keepYearlyField() const { return m_keepYearly; }
    QLineEdit *keepWithinField() const { return m_keepWithin; }
    QComboBox *archiveToField() const { return m_archiveTo; }

    StorageConfig storage() const;

public slots:
    void accept() override;

signals:
    void tested(bool ok); // a Test finished; testResult() says what it found

private:
    // Tries the settings as they stand in the fields (typed secret, else the stored one) on a worker.
    void test();

private:
    StorageConfig m_base;
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
    QComboBox *m_storageClass;
    QGroupBox *m_ownRules;
    QSpinBox *m_keepLast;
    QSpinBox *m_keepHourly;
    QSpinBox *m_keepDaily;
    QSpinBox *m_keepWeekly;
    QSpinBox *m_keepMonthly;
    QSpinBox *m_keepYearly;
    QLineEdit *m_keepWithin;
    QComboBox *m_archiveTo;
    quint64 m_testGeneration = 0; // a result of settings changed since is dropped
};

} // namespace lifeboat
