// RestorePlanModel on a real archive's TOC (tests/data/restore): tree shape, check cascading, the -L selection,
// and the model contract under QAbstractItemModelTester.
#include "models/RestorePlanModel.h"

#include "TestEnv.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

using lifeboat::RestorePlan;

namespace {
RestorePlan fidelityPlan() {
    auto read = [](const QString &name) {
        QFile f(TestEnv::sourceDir() + QStringLiteral("/tests/data/restore/") + name);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    };
    QString err;
    RestorePlan plan = RestorePlan::fromList(read(QStringLiteral("fidelity.list")), &err);
    plan.attachDefinitions(read(QStringLiteral("fidelity.schema.sql")));
    return plan;
}
} // namespace

class TestRestorePlanModel : public QObject {
    Q_OBJECT
private slots:
    void treeAndContract() {
        RestorePlanModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const RestorePlan plan = fidelityPlan();
        QCOMPARE(plan.entries().size(), 65);
        model.setPlan(plan);
        QCOMPARE(model.columnCount(), 4);
        int total = 0;
        QModelIndex customer;
        for (int r = 0; r < model.rowCount(); ++r) {
            const QModelIndex i = model.index(r, 0);
            total += 1 + model.rowCount(i);
            if (i.data(RestorePlanModel::EntryTypeRole) == QStringLiteral("TABLE") &&
                i.data(RestorePlanModel::RawValueRole) == QStringLiteral("Customer"))
                customer = i;
            for (int c = 0; c < model.rowCount(i); ++c)
                QCOMPARE(model.parent(model.index(c, 2, i)), i);
        }
        QCOMPARE(total, 65);
        QVERIFY(customer.isValid());
        QCOMPARE(model.index(customer.row(), RestorePlanModel::SchemaColumn).data(RestorePlanModel::RawValueRole),
                 QVariant(QStringLiteral("Sales")));
        QCOMPARE(model.index(customer.row(), RestorePlanModel::TypeColumn).data(), QVariant(QStringLiteral("table")));
        QStringList childTypes;
        for (int c = 0; c < model.rowCount(customer); ++c)
            childTypes << model.index(c, 0, customer).data(RestorePlanModel::EntryTypeRole).toString();
        childTypes.sort();
        QCOMPARE(childTypes, (QStringList{QStringLiteral("COMMENT"), QStringLiteral("CONSTRAINT"),
                                          QStringLiteral("CONSTRAINT"), QStringLiteral("DEFAULT"),
                                          QStringLiteral("SEQUENCE"), QStringLiteral("SEQUENCE OWNED BY"),
                                          QStringLiteral("SEQUENCE SET"), QStringLiteral("TABLE DATA")}));
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Name"));
    }

    void checkingCascades() {
        RestorePlanModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPlan(fidelityPlan());
        QCOMPARE(model.selectedDumpIds().size(), 65);
        model.setAllChecked(false);
        QVERIFY(model.selectedDumpIds().isEmpty());

        const int entry = model.plan().indexOfTable(QStringLiteral("Sales"), QStringLiteral("Order Lines"));
        const QModelIndex table = model.indexForEntry(entry);
        QVERIFY(table.isValid());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.setData(table, Qt::Checked, Qt::CheckStateRole));
        QVERIFY(changed.count() > 1); // the table and each child
        QCOMPARE(table.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        const int n = model.rowCount(table);
        QVERIFY(n >= 6);
        QCOMPARE(model.selectedDumpIds().size(), n + 1);
        // One child off: the table shows partially checked.
        const QModelIndex child = model.index(0, 0, table);
        QVERIFY(model.setData(child, Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(table.data(Qt::CheckStateRole).toInt(), int(Qt::PartiallyChecked));
        QCOMPARE(model.selectedDumpIds().size(), n);
        // Only column 0 is checkable.
        QVERIFY(!model.setData(model.index(table.row(), 1), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(!(model.flags(model.index(table.row(), 1)) & Qt::ItemIsUserCheckable));

        // selectTables gives what a --tables restore would restore.
        QString err;
        QVERIFY(model.selectTables({QStringLiteral("Sales.Customer")}, &err));
        QCOMPARE(model.selectedDumpIds(), model.plan().selectionForTables({QStringLiteral("Sales.Customer")}, &err));
        QVERIFY(!model.selectTables({QStringLiteral("nope.nope")}, &err));
        QVERIFY(err.contains(QStringLiteral("nope")));
    }
};

QTEST_GUILESS_MAIN(TestRestorePlanModel)
#include "tst_gui_restoreplanmodel.moc"
