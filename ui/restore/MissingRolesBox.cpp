#include "ui/restore/MissingRolesBox.h"

namespace lifeboat {

MissingRolesBox::MissingRolesBox(QWidget *parent)
    : QCheckBox(tr("Create &missing roles first (from the roles kept with the backup)"), parent) {
    setAccessibleName(tr("Create missing roles first"));
}

void MissingRolesBox::setAvailable(bool kept, const QString &noneKept) {
    setEnabled(kept);
    if (!kept)
        setChecked(false);
    setToolTip(kept ? tr("Roles the target server lacks are created before the database; existing roles are left "
                         "alone and listed.")
                    : tr("%1 kept no roles: turn on “Keep the server's roles” for the profile (lifeboatctl profile "
                         "add … --globals).")
                          .arg(noneKept));
}

} // namespace lifeboat
