#include "TestEnv.h"

#include "models/BucketModel.h"
#include "storage/S3Client.h"
#include "storage/S3Session.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace lifeboat;

namespace {

S3Config fixtureConfig() {
    const auto env = TestEnv::fixture(QStringLiteral("s3"));
    S3Config c;
    c.endpoint = QUrl(env.value(QStringLiteral("S3_ENDPOINT")));
    c.bucket = env.value(QStringLiteral("S3_BUCKET"));
    c.region = env.value(QStringLiteral("S3_REGION"));
    c.accessKeyId = env.value(QStringLiteral("S3_ACCESS_KEY"));
    c.secretAccessKey = env.value(QStringLiteral("S3_SECRET_KEY"));
    c.pathStyle = true;
    return c;
}

// Fetches every page of parent, waiting for each answer with the event loop (this is a test, not the GUI).
// QAbstractItemModelTester itself calls fetchMore() on the root after a reset, so a page may be in flight already.
bool fetchAll(BucketModel &model, const QModelIndex &parent, int *pages = nullptr) {
    int n = 0;
    for (;;) {
        QSignalSpy loaded(&model, &BucketModel::pageLoaded);
        QSignalSpy failed(&model, &BucketModel::loadFailed);
        if (!model.isLoading()) {
            if (!model.canFetchMore(parent))
                break;
            model.fetchMore(parent);
            if (model.canFetchMore(parent))
                return false; // no second fetch while one is in flight
        }
        if (!loaded.wait(30000) || !failed.isEmpty())
            return false;
        ++n;
    }
    if (pages)
        *pages = n;
    return true;
}

} // namespace

class TstBucketModel : public QObject {
    Q_OBJECT

    QString m_root;

private slots:
    void initTestCase() {
        const S3Config c = fixtureConfig();
        QVERIFY2(!c.endpoint.isEmpty(), "the s3 fixture is not running (run through ctest)");
        m_root = QStringLiteral("model%1/").arg(QDateTime::currentMSecsSinceEpoch());
        S3Session session(c);
        for (int i = 0; i < 25; ++i) // sizes 1..25 bytes, names in reverse size order
            QVERIFY(!session.putObject(m_root + QStringLiteral("top-%1.dump").arg(99 - i), QByteArray(i + 1, 'x')));
        for (int i = 0; i < 7; ++i)
            QVERIFY(!session.putObject(m_root + QStringLiteral("daily/2026-11-%1.dump").arg(10 + i), "d"));
        for (int i = 0; i < 3; ++i)
            QVERIFY(!session.putObject(m_root + QStringLiteral("daily/old/%1.dump").arg(i), "o"));
        QVERIFY(!session.putObject(m_root + QStringLiteral("weekly/w1.dump"), "w"));
        for (const char *key : {"art/a.dump", "art/a.dump.manifest.json", "art/b.dump", "art/c.dump"})
            QVERIFY(!session.putObject(m_root + QString::fromLatin1(key), "{}"));
    }

    // A manifest listed beside an object makes it a recognized artifact, even when it arrives in a later page; the
    // catalog index names records; removed keys leave without a new listing.
    void recognizesArtifactsAndCatalogRecords() {
        S3Client client(fixtureConfig());
        BucketModel model(&client);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(1); // a.dump and its manifest come in different pages
        model.setRootPrefix(m_root + QStringLiteral("art/"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(fetchAll(model, {}));
        QCOMPARE(model.rowCount(), 4);
        auto row = [&](const QString &name) {
            for (int r = 0; r < model.rowCount(); ++r)
                if (model.index(r, 0).data().toString() == name)
                    return r;
            return -1;
        };
        const QModelIndex a = model.index(row(QStringLiteral("a.dump")), 0);
        const QModelIndex am = model.index(row(QStringLiteral("a.dump.manifest.json")), 0);
        const QModelIndex b = model.index(row(QStringLiteral("b.dump")), 0);
        bool announced = false; // the later page told views that a.dump's catalog cell changed
        for (const auto &args : changed)
            announced = announced || (args.at(0).toModelIndex().row() == a.row() &&
                                      args.at(0).toModelIndex().column() <= BucketModel::CatalogColumn &&
                                      args.at(1).toModelIndex().column() >= BucketModel::CatalogColumn);
        QVERIFY(announced);
        QVERIFY(model.hasManifest(a));
        QVERIFY(a.data(BucketModel::IsArtifactRole).toBool());
        QCOMPARE(a.siblingAtColumn(BucketModel::CatalogColumn).data().toString(), QStringLiteral("Not in catalog"));
        QCOMPARE(a.siblingAtColumn(BucketModel::CatalogColumn).data(BucketModel::RawValueRole).toLongLong(), 0);
        QVERIFY(!model.hasManifest(am));
        QCOMPARE(am.siblingAtColumn(BucketModel::CatalogColumn).data().toString(), QStringLiteral("Manifest"));
        QVERIFY(!model.isArtifact(b));
        QCOMPARE(b.siblingAtColumn(BucketModel::CatalogColumn).data(BucketModel::RawValueRole).toLongLong(), -1);

        model.setCatalogIndex({{m_root + QStringLiteral("art/b.dump"), 7}});
        QCOMPARE(model.recordId(b), 7);
        QVERIFY(model.isArtifact(b));
        QCOMPARE(b.data(BucketModel::RecordIdRole).toLongLong(), 7);
        QCOMPARE(b.siblingAtColumn(BucketModel::CatalogColumn).data().toString(), QStringLiteral("Backup #7"));

        model.removeKeys({m_root + QStringLiteral("art/a.dump.manifest.json")});
        QCOMPARE(model.rowCount(), 3);
        const QModelIndex a2 = model.index(row(QStringLiteral("a.dump")), 0);
        QVERIFY(!model.hasManifest(a2));
        QVERIFY(!model.isArtifact(a2));
        QCOMPARE(row(QStringLiteral("a.dump.manifest.json")), -1);
    }

    void pagesFoldersAndColumns() {
        S3Client client(fixtureConfig());
        BucketModel model(&client);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(10);
        QSignalSpy pagesSpy(&model, &BucketModel::pageLoaded);
        model.setRootPrefix(m_root);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.hasChildren());
        QVERIFY(model.canFetchMore({}) || model.isLoading());

        QVERIFY(fetchAll(model, {}));
        int rootPages = 0;
        for (const auto &args : pagesSpy)
            rootPages += args.at(0).toString() == m_root;
        QVERIFY2(rootPages >= 3, qPrintable(QString::number(rootPages))); // 25 objects + 3 folders, pages of 10
        QCOMPARE(model.rowCount(), 28);                                   // 25 objects + daily/, weekly/, art/
        QVERIFY(!model.isLoading());

        QModelIndex daily, weekly;
        int objects = 0;
        for (int r = 0; r < model.rowCount(); ++r) {
            const QModelIndex i = model.index(r, 0);
            if (model.isFolder(i)) {
                if (i.data().toString() == QLatin1String("daily/"))
                    daily = i;
                if (i.data().toString() == QLatin1String("weekly/"))
                    weekly = i;
                QVERIFY(model.hasChildren(i));
                QCOMPARE(model.index(r, BucketModel::SizeColumn).data(BucketModel::RawValueRole).toLongLong(), -1);
            } else {
                ++objects;
                const QString name = i.data().toString();
                QVERIFY(name.startsWith(QLatin1String("top-")));
                QCOMPARE(i.data(BucketModel::KeyRole).toString(), m_root + name);
                const qint64 size =
                    model.index(r, BucketModel::SizeColumn).data(BucketModel::RawValueRole).toLongLong();
                QCOMPARE(size, 99 - name.mid(4, 2).toInt() + 1);
                QVERIFY(
                    model.index(r, BucketModel::ModifiedColumn).data(BucketModel::RawValueRole).toDateTime().isValid());
                QVERIFY(!model.index(r, BucketModel::ModifiedColumn).data().toString().isEmpty());
                QCOMPARE(model.index(r, BucketModel::StorageClassColumn).data().toString(), QStringLiteral("STANDARD"));
            }
        }
        QCOMPARE(objects, 25);
        QVERIFY(daily.isValid() && weekly.isValid());

        // Folders load on demand (the tester already asked for them), with their own nested folders.
        QVERIFY(fetchAll(model, daily));
        QCOMPARE(model.rowCount(daily), 8); // 7 objects + "old/"
        QModelIndex old;
        for (int r = 0; r < model.rowCount(daily); ++r)
            if (model.isFolder(model.index(r, 0, daily)))
                old = model.index(r, 0, daily);
        QCOMPARE(old.data().toString(), QStringLiteral("old/"));
        QCOMPARE(old.data(BucketModel::KeyRole).toString(), m_root + QStringLiteral("daily/old/"));
        QCOMPARE(model.parent(old), daily);
        QVERIFY(fetchAll(model, old));
        QCOMPARE(model.rowCount(old), 3);
        QVERIFY(!model.canFetchMore(old));

        // Sorting a proxy on the raw role orders by bytes, not by the formatted text.
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(BucketModel::RawValueRole);
        proxy.sort(BucketModel::SizeColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, BucketModel::SizeColumn).data(BucketModel::RawValueRole).toLongLong(), 25);
        QCOMPARE(proxy.index(0, BucketModel::NameColumn).data().toString(), QStringLiteral("top-75.dump"));
    }

    void failuresAreReportedNotRetriedForever() {
        S3Config bad = fixtureConfig();
        bad.secretAccessKey = QStringLiteral("wrong-secret");
        S3Client client(bad);
        BucketModel model(&client);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy failed(&model, &BucketModel::loadFailed);
        model.setRootPrefix(m_root);
        if (model.canFetchMore({}))
            model.fetchMore({});
        QVERIFY(failed.wait(30000));
        QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("signature does not match")));
        QVERIFY(!failed.first().at(1).toString().contains(QStringLiteral("wrong-secret")));
        QVERIFY(!model.canFetchMore({})); // a failed folder is not fetched again and again
        QVERIFY(!model.isLoading());
        QTest::qWait(200);
        QCOMPARE(failed.size(), 1);
        model.refresh(); // ...until asked to
        QVERIFY(model.canFetchMore({}) || model.isLoading());
        if (model.canFetchMore({}))
            model.fetchMore({});
        QVERIFY(failed.wait(30000));
        QCOMPARE(failed.size(), 2);
    }

    void resetWhileLoadingDropsTheOldAnswer() {
        S3Client client(fixtureConfig());
        BucketModel model(&client);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRootPrefix(m_root);
        if (model.canFetchMore({}))
            model.fetchMore({});
        QVERIFY(model.isLoading());
        model.setRootPrefix(m_root + QStringLiteral("weekly/")); // before the first answer arrives
        QVERIFY(fetchAll(model, {}));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("w1.dump"));
    }

    void cleanupTestCase() {
        S3Session session(fixtureConfig());
        S3ListResult all;
        if (!session.listAll(m_root, {}, &all))
            for (const auto &o : std::as_const(all.objects))
                session.deleteObject(o.key);
    }
};

QTEST_GUILESS_MAIN(TstBucketModel)
#include "tst_bucketmodel.moc"
