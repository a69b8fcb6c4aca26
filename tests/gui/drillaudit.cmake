# Issue 18 in the desktop app: the dashboard opens the last drill report, a password typed into the profile editor is
# a secret.set audit row. No fixture. Two runs of one binary: plain (the keychain case skips itself) and under its own dbus-run-session with a
# fresh gnome-keyring in a throw-away XDG_DATA_HOME.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_drillaudit SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_drillaudit.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui LABELS gui
                      ENV "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/lifeboat-no-bus")
    add_test(NAME tst_gui_drillaudit_keychain
             COMMAND dbus-run-session -- sh -c
                     "d=$(mktemp -d) && export XDG_DATA_HOME=$d && printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \"$0\"; rc=$?; rm -rf \"$d\"; exit $rc"
                     $<TARGET_FILE:tst_gui_drillaudit>)
    set_tests_properties(tst_gui_drillaudit_keychain PROPERTIES LABELS "gui;keychain" TIMEOUT 300
                         ENVIRONMENT "LIFEBOAT_SOURCE_DIR=${PROJECT_SOURCE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>;QT_QPA_PLATFORM=offscreen")
endif()
