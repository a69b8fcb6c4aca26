#include "ui/settings/StorageDialog.h"

#include "catalog/ConfigStore.h"
#include "core/CredentialStore.h"
#include "core/Home.h"
#include "models/Async.h"
#include "models/BucketOperations.h"
#include "retention/RetentionPolicy.h"
#include "ui/AppContext.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/FormBuilder.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace lifeboat {

StorageDialog::StorageDialog(AppContext *ctx, const StorageConfig &existing, QWidget *parent)
    : EditorDialog(ctx, existing.name, QStringLiteral("storageDialog"),
                   existing.name.isEmpty() ? tr("Add a storage") : tr("Edit storage “%1”").arg(existing.name), parent)
    , m_base(existing) {
    QVBoxLayout *layout = column();
    FormBuilder top = nameRow(existing.name, tr("e.g. nas or offsite"), tr("Storage name"));
    m_kind = new QComboBox(this);
    m_kind->setAccessibleName(tr("Storage kind"));
    m_kind->addItem(tr("Local or network folder"), QStringLiteral("local"));
    m_kind->addItem(tr("S3-compatible bucket"), QStringLiteral("s3"));
    m_kind->setCurrentIndex(existing.isS3() ? 1 : 0);
    top.row(tr("&Kind:"), m_kind);

    m_pages = new QStackedWidget(this);
    auto *local = new QWidget(m_pages);
    FormBuilder lf(local, FormBuilder::Margins::Flush);
    auto *dirRow = new QHBoxLayout;
    m_dir = new QLineEdit(existing.localDir.isEmpty() && existing.name.isEmpty() ? Home::defaultBackupDir(ctx->home())
                                                                                 : existing.localDir,
                          local);
    m_dir->setAccessibleName(tr("Folder"));
    m_dir->setMinimumWidth(360);
    auto *browse = new QPushButton(tr("&Browse…"), local);
    dirRow->addWidget(m_dir, 1);
    dirRow->addWidget(browse);
    lf.row(tr("&Folder:"), dirRow, m_dir);
    m_pages->addWidget(local);

    auto *s3 = new QWidget(m_pages);
    FormBuilder sf(s3, FormBuilder::Margins::Flush);
    m_endpoint = sf.line(tr("&Endpoint:"), existing.endpoint, tr("https://s3.eu-central-1.amazonaws.com or MinIO URL"));
    m_bucket = sf.line(tr("&Bucket:"), existing.bucket, QString());
    m_region = sf.line(tr("&Region:"), existing.region, QStringLiteral("us-east-1"));
    m_prefix = sf.line(tr("&Prefix:"), existing.prefix, tr("optional, e.g. lifeboat/"));
    m_pathStyle = new QCheckBox(tr("Path-style addressing (MinIO, most self-hosted servers)"), s3);
    m_pathStyle->setChecked(existing.pathStyle);
    sf.row(m_pathStyle);
    m_accessKey = sf.line(tr("&Access key ID:"), existing.accessKeyId, tr("empty: AWS environment or profile"));
    m_secret = sf.secret(tr("&Secret key:"), tr("kept in the keychain"));
    m_awsProfile = sf.line(tr("AWS &profile:"), existing.awsProfile, tr("optional, from ~/.aws/credentials"));
    // Sent as x-amz-storage-class with every upload of a backup (manifests stay in the bucket's default class).
    m_storageClass = new QComboBox(s3);
    m_storageClass->setAccessibleName(tr("Storage class"));
    m_storageClass->addItem(tr("Bucket default"), QString());
    for (const char *c :
         {"STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"})
        m_storageClass->addItem(QLatin1String(c), QLatin1String(c));
    if (m_storageClass->findData(existing.storageClass) < 0)
        m_storageClass->addItem(existing.storageClass, existing.storageClass); // set elsewhere; kept as it is
    m_storageClass->setCurrentIndex(m_storageClass->findData(existing.storageClass));
    m_storageClass->setToolTip(tr("GLACIER and DEEP_ARCHIVE cost least to keep, but a backup stored there must be "
                                  "restored in the bucket (minutes to 48 hours) before it can be downloaded or "
                                  "restored. GLACIER_IR is read at once."));
    sf.row(tr("Storage &class:"), m_storageClass);
    m_pages->addWidget(s3);
    m_pages->setCurrentIndex(m_kind->currentIndex());
    layout->addWidget(m_pages);

    // The storage's own retention: replaces the source's rules for the copies on this storage.
    m_ownRules = new QGroupBox(tr("Keep this storage's copies by its own &rules"), this);
    m_ownRules->setCheckable(true);
    m_ownRules->setChecked(existing.hasRetention());
    m_ownRules->setToolTip(tr("Unchecked: copies here are kept as long as their source's retention keeps the "
                              "backup. Checked: these rules alone decide the copies here (a rule at 0 keeps nothing "
                              "by itself); pruning then removes only this storage's copy."));
    FormBuilder rf(m_ownRules, FormBuilder::Margins::Framed);
    // A new rule set starts from the usual 7 daily, 4 weekly, 12 monthly; an existing one shows what it keeps.
    const bool fresh = !existing.hasRetention();
    auto spin = [&](const QString &label, int value, int suggestion) {
        return rf.number(label, 0, RetentionPolicy::kMaxCount, fresh ? suggestion : std::max(0, value));
    };
    m_keepLast = spin(tr("Keep &last:"), existing.keepLast, 0);
    m_keepHourly = spin(tr("&Hourly:"), existing.keepHourly, 0);
    m_keepDaily = spin(tr("&Daily:"), existing.keepDaily, 7);
    m_keepWeekly = spin(tr("&Weekly:"), existing.keepWeekly, 4);
    m_keepMonthly = spin(tr("&Monthly:"), existing.keepMonthly, 12);
    m_keepYearly = spin(tr("&Yearly:"), existing.keepYearly, 0);
    m_keepWithin = rf.line(tr("Keep all &within:"),
                           existing.keepWithinSeconds > 0 ? RetentionPolicy::formatDuration(existing.keepWithinSeconds)
                                                          : QString(),
                           tr("e.g. 7d, 36h, 2w; empty: no such rule"));
    layout->addWidget(m_ownRules);

    FormBuilder archive(this, layout);
    m_archiveTo = new QComboBox(this);
    m_archiveTo->setAccessibleName(tr("Archive to"));
    m_archiveTo->addItem(tr("Nowhere: copies stay here"), QString());
    for (const StorageConfig &other : ctx->config().storages())
        if (other.name != existing.name)
            m_archiveTo->addItem(other.name, other.name);
    if (m_archiveTo->findData(existing.archiveTo) < 0)
        m_archiveTo->addItem(existing.archiveTo, existing.archiveTo);
    m_archiveTo->setCurrentIndex(m_archiveTo->findData(existing.archiveTo));
    m_archiveTo->setToolTip(tr("Copies here that are kept only by monthly or yearly rules move to this storage when "
                               "retention runs: copied, checked against their SHA-256, their manifest beside them, "
                               "and only then removed here."));
    archive.row(tr("&Archive to:"), m_archiveTo);

    addErrorLine();
    // Here the test's answer sits under the form and its button beside Save: it tries the whole form.
    m_testResult = FormBuilder::answerLabel(this);
    m_testResult->setAccessibleName(tr("Test result"));
    layout->addWidget(m_testResult);
    m_test = addSaveCancel()->addButton(tr("&Test"), QDialogButtonBox::ActionRole);
    m_test->setToolTip(tr("Try these settings now: list the bucket with these credentials, or check the folder is "
                          "writable. Nothing is saved."));
    connect(m_test, &QPushButton::clicked, this, &StorageDialog::test);
    // A result describes the settings it tried: an edit makes it stale.
    FormBuilder::onEdit({m_name, m_dir, m_endpoint, m_bucket, m_region, m_prefix, m_accessKey, m_secret, m_awsProfile},
                        this, [this] {
                            ++m_testGeneration;
                            m_testResult->clear();
                        });

    connect(m_kind, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(browse, &QPushButton::clicked, this, [this] {
        FileDialog::getExistingDirectory(this, tr("Folder for backups"), m_dir->text(), [this](const QString &d) {
            if (!d.isEmpty())
                m_dir->setText(QDir::toNativeSeparators(d));
        });
    });
}

void StorageDialog::test() {
    const StorageConfig s = storage();
    if (s.isS3() && s.bucket.isEmpty()) {
        m_testResult->setText(tr("Enter the bucket name first."));
        return;
    }
    const quint64 generation = ++m_testGeneration;
    m_test->setEnabled(false);
    m_testResult->setText(s.isS3() ? tr("Connecting to bucket %1…").arg(s.bucket) : tr("Checking the folder…"));
    const bool keychain = m_ctx->keychainKnown() && m_ctx->keychain().available();
    struct Outcome {
        Error error;
        QString summary;
    };
    runAsync(
        this,
        [s, secret = m_secret->text(), stored = m_originalName, keychain] {
            Outcome o;
            o.error = BucketOperations::testStorage(s, secret, stored, keychain, &o.summary);
            return o;
        },
        [this, generation](const Outcome &o) {
            m_test->setEnabled(true);
            if (generation != m_testGeneration)
                return;
            QPalette p = m_testResult->palette();
            p.setColor(QPalette::WindowText, o.error ? QColor(0xc6, 0x28, 0x28) : QColor(0x2e, 0x7d, 0x32));
            m_testResult->setPalette(p);
            m_testResult->setText(o.error ? tr("Test failed: %1").arg(o.error.message.simplified())
                                          : tr("Test passed. %1").arg(o.summary));
            emit tested(!o.error);
        });
}

StorageConfig StorageDialog::storage() const {
    StorageConfig s = m_base;
    s.name = m_name->text().trimmed();
    s.kind = m_kind->currentData().toString();
    s.localDir = s.isLocal() ? QDir::fromNativeSeparators(m_dir->text().trimmed()) : QString();
    s.endpoint = m_endpoint->text().trimmed();
    s.bucket = m_bucket->text().trimmed();
    s.region = m_region->text().trimmed().isEmpty() ? QStringLiteral("us-east-1") : m_region->text().trimmed();
    s.prefix = m_prefix->text().trimmed();
    s.pathStyle = m_pathStyle->isChecked();
    s.accessKeyId = m_accessKey->text().trimmed();
    s.awsProfile = m_awsProfile->text().trimmed();
    s.storageClass = s.isS3() ? m_storageClass->currentData().toString() : QString();
    const bool own = m_ownRules->isChecked();
    s.keepLast = own ? m_keepLast->value() : -1;
    s.keepHourly = own ? m_keepHourly->value() : -1;
    s.keepDaily = own ? m_keepDaily->value() : -1;
    s.keepWeekly = own ? m_keepWeekly->value() : -1;
    s.keepMonthly = own ? m_keepMonthly->value() : -1;
    s.keepYearly = own ? m_keepYearly->value() : -1;
    qint64 within = -1;
    if (own && !m_keepWithin->text().trimmed().isEmpty() &&
        !RetentionPolicy::parseDuration(m_keepWithin->text().trimmed(), &within))
        within = -1; // refused by accept()
    s.keepWithinSeconds = within;
    s.archiveTo = m_archiveTo->currentData().toString();
    return s;
}

void StorageDialog::accept() {
    const StorageConfig s = storage();
    if (!ConfigStore::isValidName(s.name))
        return refuse(invalidNameMessage());
    if (s.name != m_originalName && m_ctx->config().storage(s.name))
        return refuse(tr("A storage named “%1” already exists.").arg(s.name));
    if (s.isLocal() && (s.localDir.isEmpty() || QDir::isRelativePath(s.localDir)))
        return refuse(tr("Choose an absolute folder path for the backups."));
    if (s.isS3() && s.bucket.isEmpty())
        return refuse(tr("Enter the bucket name."));
    qint64 within = 0;
    if (m_ownRules->isChecked() && !m_keepWithin->text().trimmed().isEmpty() &&
        !RetentionPolicy::parseDuration(m_keepWithin->text().trimmed(), &within))
        return refuse(tr("“Keep all within” must be a duration such as 7d, 36h, 2w or 1d12h, not “%1”.")
                          .arg(m_keepWithin->text().trimmed()));
    if (s.archiveTo == s.name)
        return refuse(tr("A storage cannot archive to itself: choose another storage."));
    if (!replaceInSettings(s, &ConfigStore::removeStorage, &ConfigStore::upsertStorage))
        return;
    if (s.isS3())
        keepSecret(CredentialStore::storageSecretKey(s.name), m_secret->text(), tr("Secret not kept"));
    finish(s.name);
}

} // namespace lifeboat
