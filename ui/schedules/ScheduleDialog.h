#pragma once

#include "catalog/ScheduleRecord.h"

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace lifeboat {

class AppContext;

// Adds or edits a schedule: name, source profile, cron (with the cron editor one click away and the next run
// shown inline), time zone, storages and the missed-run policy. Saving writes the catalog on the catalog thread;
// saved() follows once it is stored, or the error is shown in the dialog.
class ScheduleDialog : public QDialog {
    Q_OBJECT
public:
    // `existingNames`: names already taken (a new schedule may not reuse one).
    ScheduleDialog(AppContext *ctx, const ScheduleRecord &existing, const QStringList &existingNames,
                   QWidget *parent = nullptr);

    QLineEdit *nameField() const { return m_name; }
    // The source combo: data is the source name, KindRole its kind (database | files | redis).
    static constexpr int KindRole = Qt::UserRole + 1;
    QComboBox *profileField() const { return m_profile; }
    QLineEdit *cronField() const { return m_cron; }
    QListWidget *storageList() const { return m_storages; }
    QCheckBox *enabledField() const { return m_enabled; }
    QLabel *errorLabel() const { return m_error; }
    QPushButton *editCronButton() const { return m_editCron; }
    // "backup", "verify" (a recovery drill of a database profile's newest good backup) or "base" (a base backup of
    // a database profile's cluster, for point-in-time recovery).
    QComboBox *kindField() const { return m_kind; }
    // A drill's server: data "" (the profile's own), ScheduleRecord::kVerifySandbox or a profile name.
    QComboBox *verifyOnField() const { return m_verifyOn; }
    // A database backup schedule's compression (data: the --compress value, "" for the default).
    QComboBox *compressionField() const { return m_compression; }

    // The schedule as the fields describe it; *error says what is missing or wrong.
    ScheduleRecord schedule(QString *error) const;

public slots:
    void accept() override;
    void openCronEditor();

signals:
    void saved(const QString &name);

private:
    void updateCronInfo();
    void fillStorages();
    void updateKind();
    void updateCompression();

    AppContext *m_ctx;
    ScheduleRecord m_base;
    QStringList m_taken;
    QLineEdit *m_name;
    QComboBox *m_profile;
    QComboBox *m_kind;
    QComboBox *m_verifyOn;
    QLineEdit *m_cron;
    QPushButton *m_editCron;
    QLabel *m_cronInfo;
    QLineEdit *m_zone;
    QListWidget *m_storages;
    QComboBox *m_compression;
    QCheckBox *m_enabled;
    QComboBox *m_missed;
    QLabel *m_error;
    bool m_saving = false;
};

} // namespace lifeboat
