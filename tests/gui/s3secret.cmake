# S3 secrets changed in the app take effect without a restart, the first Buckets visit waits for the keychain, and
# the storage editor's Test button reports a wrong secret or bucket (issue #20, items 4, 8, 12). Against the real S3
# fixture; the secret lives in a fresh gnome-keyring under its own dbus-run-session (the plain run skips itself
# when no keychain answers).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_s3secret SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_s3secret.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui lifeboat_secrets LABELS gui FIXTURES s3)
    add_test(NAME tst_gui_s3secret_keychain
             COMMAND dbus-run-session -- sh -c
                     "d=$(mktemp -d) && export XDG_DATA_HOME=$d && printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \"$0\"; rc=$?; rm -rf \"$d\"; exit $rc"
                     $<TARGET_FILE:tst_gui_s3secret>)
    set_tests_properties(tst_gui_s3secret_keychain PROPERTIES LABELS "gui;keychain" TIMEOUT 300
                         FIXTURES_REQUIRED s3
                         ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_SOURCE_DIR=${PROJECT_SOURCE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>;QT_QPA_PLATFORM=offscreen")
endif()
