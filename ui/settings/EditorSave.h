#pragma once

#include "catalog/ConfigStore.h"

#include <QString>

#include <functional>

class QLabel;
class QWidget;

namespace lifeboat {

class AppContext;

// What the settings editors do on Save once their fields are valid, the same way in each: write the settings, then
// keep a typed secret in the keychain. The secret goes second so that a refused save keeps nothing, and on a worker
// (as every keychain access) so that a slow keychain never holds the window.
class EditorSave {
public:
    // Writes `change` to the settings. Refused (the file not writable, changed by lifeboatctl meanwhile), the reason
    // goes to `error` and false comes back: the editor stays open with everything typed.
    static bool settings(AppContext *ctx, const std::function<void(ConfigStore &)> &change, QLabel *error);
    // Saves `item` (a profile, a storage) that was called `original` when the editor opened: a rename removes the
    // old entry in the same write, so no second entry is left behind under the old name.
    template <typename Item>
    static bool replace(AppContext *ctx, const QString &original, const Item &item,
                        bool (ConfigStore::*remove)(const QString &), void (ConfigStore::*upsert)(const Item &),
                        QLabel *error) {
        return settings(
            ctx,
            [original, item, remove, upsert](ConfigStore &c) {
                if (!original.isEmpty() && original != item.name)
                    (c.*remove)(original);
                (c.*upsert)(item);
            },
            error);
    }
    // Keeps `secret` under `key`; nothing typed keeps what is stored. The editor has closed by the time the keychain
    // answers, so a failure is told over `owner` (the editor's parent) under `failureTitle`.
    static void secret(AppContext *ctx, QWidget *owner, const QString &key, const QString &secret,
                       const QString &failureTitle);
};

} // namespace lifeboat
