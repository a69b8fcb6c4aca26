# Needs a real Secret Service: run as
#   dbus-run-session -- sh -c 'printf %s "$PW" | gnome-keyring-daemon --unlock --components=secrets; ctest -L keychain'
lifeboat_add_test(tst_keychain SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_keychain.cpp LIBS lifeboat_secrets
    LABELS keychain TIMEOUT 120)
