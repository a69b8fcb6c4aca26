# Issue 18 item 5: the server's roles. Two throwaway clusters the test starts itself: a source with roles that own
# objects, hold grants and belong to each other, backed up with the profile's --globals; a fresh target where
# restore --create-missing-roles --keep-owner brings owners and grants back as on the source.
lifeboat_add_test(tst_globals_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_globals_cli.cpp LIBS Qt6::Network
    LABELS integration TIMEOUT 600)
add_dependencies(tst_globals_cli lifeboatctl)
