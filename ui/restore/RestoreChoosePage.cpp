#include "ui/restore/RestoreChoosePage.h"

#include "catalog/BackupRecord.h"
#include "models/Async.h"
#include "models/Format.h"
#include "ui/AppContext.h"
#include "ui/restore/RecoverDialog.h"
#include "ui/restore/RestoreWizard.h"
#include "ui/restore/SetRestoreDialog.h"
#include "ui/widgets/FileDialog.h"

#include <QButtonGroup>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kListLimit = 5000; // newest first; older ones by file or openWith(id)

QTreeWidgetItem *itemFor(const BackupRecord &r) {
    auto *it = new QTreeWidgetItem;
    it->setText(0, QString::number(r.id));
    it->setText(1, Format::dateTime(r.started));
    it->setText(2, r.profile);
    it->setText(3, r.database);
    it->setText(4, Format::size(r.size));
    it->setText(5, r.format);
    it->setText(6, r.encrypted ? RestoreChoosePage::tr("yes") : RestoreChoosePage::tr("no"));
    it->setText(7, r.label);
    it->setData(0, kIdRole, r.id);
    it->setTextAlignment(0, Qt::AlignRight | Qt::AlignVCenter);
    it->setTextAlignment(4, Qt::AlignRight | Qt::AlignVCenter);
    return it;
}
} // namespace

RestoreChoosePage::RestoreChoosePage(RestoreWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard) {
    setTitle(tr("Choose a backup"));
    setSubTitle(tr("Pick a completed backup from the catalog, or any backup file — also one Lifeboat never saw."));
    auto *v = new QVBoxLayout(this);
    m_fromCatalog = new QRadioButton(tr("From the &catalog"), this);
    m_fromFile = new QRadioButton(tr("From a &file"), this);
    auto *group = new QButtonGroup(this);
    group->addButton(m_fromCatalog);
    group->addButton(m_fromFile);
    m_fromCatalog->setChecked(true);
    v->addWidget(m_fromCatalog);

    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter by profile, database, label, date or id…"));
    m_filter->setAccessibleName(tr("Filter backups"));
    m_filter->setClearButtonEnabled(true);
    v->addWidget(m_filter);
    m_list = new QTreeWidget(this);
    m_list->setAccessibleName(tr("Completed backups"));
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->setUniformRowHeights(true);
    m_list->setHeaderLabels(
        {tr("#"), tr("Date"), tr("Profile"), tr("Database"), tr("Size"), tr("Format"), tr("Encrypted"), tr("Label")});
    m_list->header()->setStretchLastSection(true);
    for (const auto &[col, w] :
         QList<QPair<int, int>>{{0, 50}, {1, 150}, {2, 100}, {3, 110}, {4, 80}, {5, 70}, {6, 75}})
        m_list->header()->resizeSection(col, w);
    v->addWidget(m_list, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    v->addWidget(m_status);

    v->addWidget(m_fromFile);
    auto *fileRow = new QHBoxLayout;
    m_file = new QLineEdit(this);
    m_file->setPlaceholderText(tr("/path/to/backup.dump.zst, .dump, .tar.zst, .sql.zst, .sql.gz or .age"));
    m_file->setAccessibleName(tr("Backup file path"));
    m_browse = new QPushButton(tr("&Browse…"), this);
    m_browse->setAccessibleName(tr("Choose a backup file"));
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    v->addLayout(fileRow);

    // A whole application backup set restores through its own dialog (every member's check first).
    auto *setRow = new QHBoxLayout;
    setRow->addWidget(new QLabel(tr("A whole application (database, directories, buckets, Redis) at once?"), this), 1);
    m_setRestore = new QPushButton(tr("Restore a backup &set…"), this);
    m_setRestore->setAccessibleName(tr("Restore a backup set"));
    setRow->addWidget(m_setRestore);
    v->addLayout(setRow);
    connect(m_setRestore, &QPushButton::clicked, this, [this] {
        auto *dialog = new SetRestoreDialog(m_wizard->context(), window());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowModality(Qt::WindowModal);
        dialog->open();
    });
    // A continuously protected server (base backups + archived WAL) recovers to a moment, not to a dump.
    auto *pitrRow = new QHBoxLayout;
    auto *pitrText = new QLabel(tr("A whole server to a moment in time (base backup and archived WAL)?"), this);
    pitrText->setWordWrap(true);
    pitrRow->addWidget(pitrText, 1);
    m_recoverPitr = new QPushButton(tr("Recover to a point in &time…"), this);
    m_recoverPitr->setAccessibleName(tr("Recover to a point in time"));
    pitrRow->addWidget(m_recoverPitr);
    v->addLayout(pitrRow);
    connect(m_recoverPitr, &QPushButton::clicked, this, [this] {
        auto *dialog = new RecoverDialog(m_wizard->context(), m_wizard->context()->currentProfile(), window());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });

    // New backups appear while the page is open.
    connect(m_wizard->context(), &AppContext::catalogChanged, this, [this] {
        if (m_wizard->currentPage() == this && !m_loading)
            load();
    });
    connect(m_fromCatalog, &QRadioButton::toggled, this, &RestoreChoosePage::updateMode);
    connect(m_filter, &QLineEdit::textChanged, this, &RestoreChoosePage::applyFilter);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &RestoreChoosePage::completeChanged);
    connect(m_list, &QTreeWidget::itemActivated, this, [this] {
        if (isComplete())
            m_wizard->next();
    });
    connect(m_file, &QLineEdit::textChanged, this, &RestoreChoosePage::completeChanged);
    connect(this, &RestoreChoosePage::completeChanged, this, [this] {
        if (m_autoAdvance && isComplete() && m_wizard->currentPage() == this) {
            m_autoAdvance = false;
            m_wizard->next();
        }
    });
    connect(m_file, &QLineEdit::textEdited, this, [this] { m_fromFile->setChecked(true); });
    connect(m_browse, &QPushButton::clicked, this, [this] {
        m_fromFile->setChecked(true);
        FileDialog::getOpenFileName(
            this, tr("Choose a backup file"), m_file->text().isEmpty() ? QDir::homePath() : m_file->text(),
            tr("Backups (*.zst *.dump *.tar *.sql *.gz *.age *.backup);;All files (*)"), [this](const QString &path) {
                if (!path.isEmpty())
                    m_file->setText(path);
            });
    });
    updateMode();
}

void RestoreChoosePage::initializePage() {
    if (!m_loading)
        load();
}

void RestoreChoosePage::showEvent(QShowEvent *event) {
    QWizardPage::showEvent(event);
    // Coming back to the Restore page shows backups made meanwhile.
    if (m_loaded && !m_loading)
        load();
}

void RestoreChoosePage::updateMode() {
    const bool catalog = m_fromCatalog->isChecked();
    m_filter->setEnabled(catalog);
    m_list->setEnabled(catalog);
    emit completeChanged();
}

void RestoreChoosePage::load() {
    m_loading = true;
    if (!m_loaded)
        m_status->setText(tr("Loading the catalog…"));
    CatalogFilter f;
    f.status = BackupRecord::statusCompleted();
    f.kind = QStringLiteral("database");
    f.limit = kListLimit;
    runAsync(
        this, [catalog = m_wizard->context()->catalog(), f] { return catalog->list(f); },
        [this](const QList<BackupRecord> &records) {
            m_loading = false;
            m_loaded = true;
            // A reload keeps the operator's choice.
            const QTreeWidgetItem *current = m_list->currentItem();
            const qint64 keep = current && current->isSelected() ? current->data(0, kIdRole).toLongLong() : 0;
            m_list->clear();
            QList<QTreeWidgetItem *> items;
            for (const BackupRecord &r : records)
                items << itemFor(r);
            m_list->addTopLevelItems(items);
            m_status->setText(records.isEmpty() ? tr("The catalog has no completed backups yet. Choose a file, or "
                                                     "make a backup first.")
                                                : tr("%n completed backup(s).", nullptr, int(records.size())));
            applyFilter();
            if (keep > 0 && m_pendingId == 0)
                selectId(keep);
            if (m_pendingId > 0 && !selectId(m_pendingId)) {
                // Older than the list: fetch just this one.
                const qint64 id = m_pendingId;
                runAsync(
                    this, [catalog = m_wizard->context()->catalog(), id] { return catalog->get(id); },
                    [this, id](const std::optional<BackupRecord> &r) {
                        if (r && r->status == BackupRecord::statusCompleted()) {
                            m_list->insertTopLevelItem(0, itemFor(*r));
                            selectId(id);
                        } else {
                            m_status->setText(tr("Backup #%1 is not a completed backup in the catalog.").arg(id));
                        }
                    },
                    catalogPool());
            }
            m_pendingId = 0;
            emit completeChanged();
        },
        catalogPool());
}

void RestoreChoosePage::applyFilter() {
    const QString text = m_filter->text().trimmed();
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *it = m_list->topLevelItem(i);
        bool match = text.isEmpty();
        for (int c = 0; !match && c < m_list->columnCount(); ++c)
            match = it->text(c).contains(text, Qt::CaseInsensitive);
        it->setHidden(!match);
    }
}

bool RestoreChoosePage::selectId(qint64 id) {
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *it = m_list->topLevelItem(i);
        if (it->data(0, kIdRole).toLongLong() == id) {
            it->setHidden(false);
            m_list->setCurrentItem(it);
            m_list->scrollToItem(it);
            return true;
        }
    }
    return false;
}

void RestoreChoosePage::preset(const QString &spec) {
    bool isId = false;
    const qint64 id = spec.toLongLong(&isId);
    if (isId && id > 0 && !QFileInfo::exists(spec)) {
        m_fromCatalog->setChecked(true);
        m_filter->clear();
        if (!selectId(id)) {
            m_pendingId = id;
            if (!m_loading)
                load();
        }
    } else {
        m_fromFile->setChecked(true);
        m_file->setText(spec);
    }
    // A preset id is known to be completed once the list shows it; until then the wizard waits here.
    m_autoAdvance = !isComplete();
}

QString RestoreChoosePage::spec() const {
    if (m_fromFile->isChecked())
        return m_file->text().trimmed();
    const QTreeWidgetItem *it = m_list->currentItem();
    return it && !it->isHidden() && it->isSelected() ? QString::number(it->data(0, kIdRole).toLongLong()) : QString();
}

bool RestoreChoosePage::isComplete() const {
    return !spec().isEmpty();
}

bool RestoreChoosePage::validatePage() {
    const QString s = spec();
    if (s != m_wizard->source())
        m_wizard->setInspection({});
    m_wizard->setSource(s);
    return !s.isEmpty();
}

} // namespace lifeboat
