#include "ui/restore/RestoreReportPage.h"

#include "models/Async.h"
#include "models/Format.h"
#include "restore/RestoredTargetCheck.h"
#include "ui/restore/RestoreWizard.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lifeboat {

namespace {
// One line per item of a check, whatever the check: a table's row counts, a safety check's outcome, a foreign key.
struct ItemText {
    QString name, outcome, detail;
};
ItemText describeItem(const QJsonObject &r) {
    ItemText t;
    for (const char *key : {"table", "title", "foreign key", "object", "id"}) {
        t.name = r.value(QLatin1String(key)).toString();
        if (!t.name.isEmpty())
            break;
    }
    if (r.contains(QStringLiteral("expected")) && r.contains(QStringLiteral("actual"))) {
        const qint64 expected = r.value(QStringLiteral("expected")).toInteger();
        const qint64 actual = r.value(QStringLiteral("actual")).toInteger();
        t.outcome = expected == actual ? RestoreReportPage::tr("match") : RestoreReportPage::tr("differ");
        t.detail = RestoreReportPage::tr("expected %L1 rows, found %L2").arg(expected).arg(actual);
        return t;
    }
    t.outcome = r.value(QStringLiteral("outcome")).toString();
    t.detail = r.value(QStringLiteral("detail")).toString();
    if (t.detail.isEmpty())
        t.detail = r.value(QStringLiteral("summary")).toString();
    return t;
}
} // namespace

RestoreReportPage::RestoreReportPage(RestoreWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard) {
    setTitle(tr("Report"));
    setSubTitle(tr("What happened, and whether the restored database holds what the backup promised."));
    setFinalPage(true);
    auto *v = new QVBoxLayout(this);
    m_outcome = new QLabel(this);
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outcome->setAccessibleName(tr("Restore outcome"));
    v->addWidget(m_outcome);
    m_list = new QTreeWidget(this);
    m_list->setAccessibleName(tr("Verification checks"));
    m_list->setHeaderLabels({tr("Check"), tr("Outcome"), tr("Summary"), tr("Time")});
    m_list->header()->resizeSection(0, 240);
    m_list->header()->resizeSection(1, 90);
    m_list->header()->resizeSection(2, 330);
    m_list->setWordWrap(true);
    v->addWidget(m_list, 1);
    auto *row = new QHBoxLayout;
    m_html = new QPushButton(tr("Export &HTML…"), this);
    m_html->setAccessibleName(tr("Export the report as HTML"));
    m_json = new QPushButton(tr("Export &JSON…"), this);
    m_json->setAccessibleName(tr("Export the report as JSON"));
    m_exported = new QLabel(this);
    m_exported->setWordWrap(true);
    m_exported->setTextInteractionFlags(Qt::TextSelectableByMouse);
    row->addWidget(m_html);
    row->addWidget(m_json);
    row->addWidget(m_exported, 1);
    v->addLayout(row);
    connect(m_html, &QPushButton::clicked, this, [this] { exportAs(true); });
    connect(m_json, &QPushButton::clicked, this, [this] { exportAs(false); });
}

void RestoreReportPage::initializePage() {
    m_ready = false;
    m_list->clear();
    m_exported->clear();
    m_html->setEnabled(false);
    m_json->setEnabled(false);
    m_outcome->setText(tr("Verifying the restored database…"));
    const int gen = ++m_generation;
    const RestoreOptions o = m_wizard->options();
    RestoredTargetCheck::Request req;
    req.conninfo = o.targetConninfo;
    req.database = o.targetDb;
    req.source = m_wizard->inspection().displayName.isEmpty() ? m_wizard->source() : m_wizard->inspection().displayName;
    req.manifest = m_wizard->inspection().manifest;
    req.tables = o.tables;
    req.schemaOnly = o.schemaOnly;
    req.restoreDetails = m_wizard->runDetails();
    req.restoreOk = m_wizard->runOk();
    req.restoreError = m_wizard->runError();
    req.restoreStarted = m_wizard->runStarted();
    req.restoreFinished = m_wizard->runFinished();
    m_wizard->withSecrets([this, gen, req](const RestoreWizard::Secrets &s) mutable {
        req.password = s.targetPassword;
        runAsync(
            this, [req] { return RestoredTargetCheck::run(req); },
            [this, gen](const VerifyReport &rep) {
                if (gen != m_generation)
                    return;
                m_report = rep;
                show();
            });
    });
    emit completeChanged();
}

void RestoreReportPage::show() {
    m_ready = true;
    const bool passed = m_report.passed();
    const RestoreOptions o = m_wizard->options();
    // "Verified" only when the rows were counted: a restore whose row-count check was skipped (no manifest, a
    // schema-only restore of a manifest-less file) completed, and the report says what was not checked.
    QStringList notChecked;
    for (const VerifyReport::Check &c : m_report.checks) {
        if (c.skipped)
            notChecked << c.title.toLower() + QStringLiteral(" (") + c.summary + QLatin1Char(')');
    }
    const QString color = !passed                ? QStringLiteral("#b3261e")
                          : notChecked.isEmpty() ? QStringLiteral("#1b7f3b")
                                                 : QStringLiteral("#8a5a00");
    const QString head = passed
                             ? (notChecked.isEmpty() ? tr("Restore verified: “%1” holds the backup.").arg(o.targetDb)
                                                     : tr("Restore completed into “%1”; not verified.").arg(o.targetDb))
                             : (m_wizard->runOk() ? tr("The restore ran, but verification failed.")
                                                  : tr("The restore did not complete."));
    QString body =
        m_wizard->runOk()
            ? tr("From %1 into %2 on %3, in %4.")
                  .arg(m_report.source.toHtmlEscaped(), o.targetDb.toHtmlEscaped(), m_report.server.toHtmlEscaped(),
                       Format::duration(m_report.started.msecsTo(m_report.finished)))
            : m_wizard->runError().toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    if (passed && !notChecked.isEmpty())
        body +=
            QStringLiteral("<br>") + tr("Not checked: %1.").arg(notChecked.join(QStringLiteral("; ")).toHtmlEscaped());
    m_outcome->setText(QStringLiteral("<p style='color:%1; font-size:large'><b>%2</b></p><p>%3</p>")
                           .arg(color, head.toHtmlEscaped(), body));
    for (const VerifyReport::Check &c : m_report.checks) {
        auto *it =
            new QTreeWidgetItem(m_list, {c.title, c.skipped ? tr("skipped") : (c.passed ? tr("passed") : tr("failed")),
                                         c.summary, Format::duration(c.durationMs)});
        it->setToolTip(2, c.summary);
        it->setForeground(1, c.skipped ? QColor(0x6b, 0x6b, 0x6b)
                                       : (c.passed ? QColor(0x1b, 0x7f, 0x3b) : QColor(0xb3, 0x26, 0x1e)));
        for (const QString &f : c.failures)
            new QTreeWidgetItem(it, {f});
        for (const QJsonValue &v : c.rows) {
            const auto [name, outcome, detail] = describeItem(v.toObject());
            auto *child = new QTreeWidgetItem(it, {name, outcome, detail});
            child->setToolTip(2, detail);
        }
        it->setExpanded(!c.passed && !c.skipped);
    }
    m_html->setEnabled(true);
    m_json->setEnabled(true);
    emit completeChanged();
    emit reportReady(passed);
}

void RestoreReportPage::exportAs(bool html) {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suffix = html ? QStringLiteral("html") : QStringLiteral("json");
    const QString name = QStringLiteral("restore-report-%1-%2.%3")
                             .arg(m_wizard->options().targetDb,
                                  m_report.finished.toLocalTime().toString(QStringLiteral("yyyyMMdd-HHmmss")), suffix);
    const QString filter = html ? tr("HTML report (*.html)") : tr("JSON report (*.json)");
    FileDialog::getSaveFileName(
        this, tr("Save the restore report as"), QDir(dir).filePath(name), filter, suffix, [this, html](QString path) {
            if (path.isEmpty())
                return;
            const QByteArray bytes =
                html ? m_report.toHtml().toUtf8() : QJsonDocument(m_report.toJson()).toJson(QJsonDocument::Indented);
            runAsync(
                this,
                [path, bytes] {
                    QSaveFile f(path);
                    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
                        return f.errorString();
                    return QString();
                },
                [this, path](const QString &error) {
                    if (!error.isEmpty()) {
                        MessageBox::critical(this, tr("Export failed"),
                                             tr("Cannot write the report to %1: %2").arg(path, error));
                        return;
                    }
                    m_exported->setText(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
                    emit exported(path);
                });
        });
}

bool RestoreReportPage::isComplete() const {
    return m_ready;
}

} // namespace lifeboat
