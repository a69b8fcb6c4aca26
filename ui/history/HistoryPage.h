#pragma once

#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QTableView;

namespace lifeboat {

class AppContext;
class BackupHistoryModel;
class HistoryFilterProxy;
class WalRangesPanel;
struct BackupRecord;

// Every backup in the catalog: a lazily loaded table with a filter bar and the actions on the selected record.
// Each action that reads a file or the catalog runs on a worker (BackupActions through runAsync).
class HistoryPage : public QWidget {
    Q_OBJECT
public:
    explicit HistoryPage(AppContext *ctx, QWidget *parent = nullptr);

    BackupHistoryModel *model() const { return m_model; }
    HistoryFilterProxy *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    WalRangesPanel *walRanges() const { return m_walRanges; }
    QComboBox *typeFilter() const { return m_type; }
    QComboBox *statusFilter() const { return m_status; }
    QComboBox *profileFilter() const { return m_profile; }
    QLineEdit *searchField() const { return m_search; }
    QAction *downloadAction() const { return m_download; }
    QAction *deleteAction() const { return m_delete; }
    QAction *manifestAction() const { return m_manifest; }
    QAction *copyAction() const { return m_copy; }
    QAction *restoreAction() const { return m_restore; }
    QAction *verifyAction() const { return m_verify; }
    QAction *linkAction() const { return m_link; }

    // Selects the row of this record if it is loaded.
    bool selectRecord(qint64 id);

public slots:
    void reload();
    void downloadSelected();
    void deleteSelected();
    void showManifest();
    void copyDetails();
    // Opens the restore wizard on the selected backup (AppContext::requestRestore).
    void restoreSelected();
    // Runs a VerifyJob on the selected backup as a tracked job; the job stores the outcome in the catalog.
    void verifySelected();
    // A presigned GET link to the selected backup's S3 copy, to the clipboard.
    void copyPresignedLink();

signals:
    void backupNowRequested();
    void statusMessage(const QString &text);

private:
    const BackupRecord *selected() const;
    void applyFilters();
    void updateActions();
    void updateCount();
    void reloadProfiles();
    void removeRecord(qint64 id, bool force);

    AppContext *m_ctx;
    BackupHistoryModel *m_model;
    HistoryFilterProxy *m_proxy;
    QTableView *m_view;
    QComboBox *m_type;
    QComboBox *m_status;
    QComboBox *m_profile;
    QCheckBox *m_useDates;
    QDateEdit *m_from;
    QDateEdit *m_to;
    QLineEdit *m_search;
    QLabel *m_count;
    WalRangesPanel *m_walRanges;
    QLabel *m_empty;
    QAction *m_backupNow;
    QAction *m_download;
    QAction *m_delete;
    QAction *m_manifest;
    QAction *m_copy;
    QAction *m_restore;
    QAction *m_verify;
    QAction *m_link;
    QAction *m_refresh;
};

} // namespace lifeboat
