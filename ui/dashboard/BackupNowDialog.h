#pragma once

#include "jobs/BackupOptions.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace lifeboat {

class AppContext;
class Job;

// "Back up now": profile, storages, format, compression, the tables of the live database (listed by libpq on a
// worker), a label — and one click to run through the shared JobRunner. Refuses to start a second backup of a
// profile while one is queued or running.
class BackupNowDialog : public QDialog {
    Q_OBJECT
public:
    BackupNowDialog(AppContext *ctx, const QString &profile, QWidget *parent = nullptr);

    QComboBox *profileField() const { return m_profile; }
    QListWidget *storageList() const { return m_storages; }
    QComboBox *formatField() const { return m_format; }
    QComboBox *compressionField() const { return m_compression; }
    // The compression choices (data: the --compress value, "" for the default), shared with the schedule editor;
    // `current` is selected, added as its own item when it is not one of them (e.g. zstd:5 from the CLI).
    static void addCompressionChoices(QComboBox *box, const QString &current = QString());
    QListWidget *tableList() const { return m_tables; }
    QLineEdit *labelField() const { return m_label; }
    QLineEdit *recipientsField() const { return m_recipients; }
    QPushButton *runButton() const { return m_run; }
    QLabel *busyLabel() const { return m_busy; }
    bool tablesLoaded() const { return m_tablesLoaded; }

    BackupOptions options() const;
    QStringList selectedStorages() const;
    QStringList recipients() const;

public slots:
    void start();
    void loadTables();

signals:
    void tablesReady();
    void started(lifeboat::Job *job);

private:
    void profileChanged();
    void updateRunState();

    AppContext *m_ctx;
    QComboBox *m_profile;
    QListWidget *m_storages;
    QComboBox *m_format;
    QSpinBox *m_jobs;
    QComboBox *m_compression;
    QListWidget *m_tables;
    QLabel *m_tablesState;
    QLineEdit *m_recipients;
    QLineEdit *m_label;
    QLabel *m_busy;
    QPushButton *m_run;
    bool m_tablesLoaded = false;
    bool m_starting = false;
    quint64 m_tableRequest = 0;
};

} // namespace lifeboat
