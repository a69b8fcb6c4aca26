#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace lifeboat {

// Every file dialog goes through here (the KeePassXC pattern): tests call setNextFileName() and the next dialog
// answers with it without being shown. Dialogs open with open(), never exec(); the choice arrives in a callback
// (an empty string when cancelled), so no nested event loop runs on the GUI thread.
class FileDialog {
public:
    using Callback = std::function<void(const QString &)>;

    static void setNextFileName(const QString &name);

    static void getExistingDirectory(QWidget *parent, const QString &caption, const QString &dir, Callback then);
    static void getOpenFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter,
                                Callback then);
    // Asks for a file to write; `defaultSuffix` (no dot) is appended when the user types a bare name.
    static void getSaveFileName(QWidget *parent, const QString &caption, const QString &path, const QString &filter,
                                const QString &defaultSuffix, Callback then);
};

} // namespace lifeboat
