# Drills of age-encrypted backups (issue 18): the key from the credential store or an identity file the settings
# list, and a clear verify.failed when the identity is kept nowhere. Real pg fixture.
lifeboat_add_test(tst_drill_encrypted_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_drill_encrypted_cli.cpp
    LIBS Qt6::Network LABELS integration FIXTURES pg TIMEOUT 900)
