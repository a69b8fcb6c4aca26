#pragma once

#include <QList>
#include <QWidget>

class QHBoxLayout;
class QToolButton;

namespace lifeboat {

// The prefix being browsed as clickable segments: "bucket › daily › 2026-11-20". The first segment is the
// storage's root (its configured prefix); clicking a segment opens that folder. Segments are tab-reachable buttons.
class BucketBreadcrumb : public QWidget {
    Q_OBJECT
public:
    explicit BucketBreadcrumb(QWidget *parent = nullptr);

    // rootLabel names `root` (the storage's base prefix, "" or ending in '/'); prefix starts with root.
    void setPath(const QString &rootLabel, const QString &root, const QString &prefix);

    int segmentCount() const { return int(m_buttons.size()); }
    QToolButton *segment(int i) const { return m_buttons.value(i); }
    QString segmentPrefix(int i) const { return m_prefixes.value(i); }

signals:
    void prefixActivated(const QString &prefix);

private:
    QHBoxLayout *m_layout;
    QList<QToolButton *> m_buttons;
    QList<QWidget *> m_separators;
    QStringList m_prefixes;
};

} // namespace lifeboat
