#pragma once

#include <QDateTime>
#include <QList>
#include <QWidget>

namespace lifeboat {

// The recoverable window of a continuously protected profile, drawn: a bar from the oldest base backup's end to the
// newest archived WAL, each base backup as a mark, a missing segment as a red end ("gap"), the chosen target as a
// line (red when it falls outside the window). Painted from RecoverPlan's figures; no data of its own.
class RecoveryTimeline : public QWidget {
    Q_OBJECT
public:
    explicit RecoveryTimeline(QWidget *parent = nullptr);

    void setWindow(const QDateTime &start, const QDateTime &end, const QList<QDateTime> &baseBackups, bool gap);
    void setTarget(const QDateTime &target); // invalid: "latest"
    void clear();

    bool hasWindow() const { return m_start.isValid() && m_end.isValid(); }
    QDateTime windowStart() const { return m_start; }
    QDateTime windowEnd() const { return m_end; }
    bool targetInside() const;

    QSize sizeHint() const override { return {480, 64}; }
    QSize minimumSizeHint() const override { return {240, 56}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QDateTime m_start, m_end, m_target;
    QList<QDateTime> m_bases;
    bool m_gap = false;
};

} // namespace lifeboat
