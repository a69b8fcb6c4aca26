# Issues 17/20: the desktop app's schedule runner runs a base backup schedule (kind "base") against a throwaway
# cluster with password authentication: the password comes from the keychain (SourceJobBuilder), the run is recorded
# and told like any scheduled backup; a server that is down gives a FAILED base record. The password lives in a fresh
# gnome-keyring under its own dbus-run-session (the plain run skips itself when no keychain answers).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_basetray SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_basetray.cpp
                      LIBS lifeboat_ui lifeboat_secrets LABELS gui TIMEOUT 600)
    add_test(NAME tst_gui_basetray_keychain
             COMMAND dbus-run-session -- sh -c
                     "d=$(mktemp -d) && export XDG_DATA_HOME=$d && printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \"$0\"; rc=$?; rm -rf \"$d\"; exit $rc"
                     $<TARGET_FILE:tst_gui_basetray>)
    set_tests_properties(tst_gui_basetray_keychain PROPERTIES LABELS "gui;keychain" TIMEOUT 600
                         ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_SOURCE_DIR=${PROJECT_SOURCE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>;QT_QPA_PLATFORM=offscreen")
endif()
