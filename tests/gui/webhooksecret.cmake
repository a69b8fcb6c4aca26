# The webhook editor keeps a webhook URL in the credential store, not the catalog (issue #13 follow-up). Two runs of
# one binary: without a session bus (the dialog must refuse, nothing saved), and under its own dbus-run-session with
# a fresh gnome-keyring in a throw-away XDG_DATA_HOME (the URL lands in the keychain, the catalog keeps only the
# reference). Each case skips itself in the other run.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_webhooksecret SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_webhooksecret.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui lifeboat_secrets LABELS gui
                      ENV "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/lifeboat-no-bus")
    add_test(NAME tst_gui_webhooksecret_keychain
             COMMAND dbus-run-session -- sh -c
                     "d=$(mktemp -d) && export XDG_DATA_HOME=$d && printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \"$0\"; rc=$?; rm -rf \"$d\"; exit $rc"
                     $<TARGET_FILE:tst_gui_webhooksecret>)
    set_tests_properties(tst_gui_webhooksecret_keychain PROPERTIES LABELS "gui;keychain" TIMEOUT 300
                         ENVIRONMENT "LIFEBOAT_SOURCE_DIR=${PROJECT_SOURCE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>;QT_QPA_PLATFORM=offscreen")
endif()
