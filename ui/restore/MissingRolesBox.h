#pragma once

#include <QCheckBox>

namespace lifeboat {

// "Create missing roles first" (restore --create-missing-roles), as the wizard's Target page and the set restore
// dialog offer it: enabled only for a backup that kept its server's roles (profile --globals), unticked and saying
// why otherwise.
class MissingRolesBox : public QCheckBox {
    Q_OBJECT
public:
    explicit MissingRolesBox(QWidget *parent);
    // kept: the backup kept its server's roles. noneKept: the tooltip's first words when it did not ("This backup").
    void setAvailable(bool kept, const QString &noneKept);
    bool wanted() const { return isEnabled() && isChecked(); }
};

} // namespace lifeboat
