lifeboat_add_test(tst_restore_scriptguard SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_restore_scriptguard.cpp
    LIBS lifeboat_restore lifeboat_pg LABELS integration FIXTURES pg TIMEOUT 600)
add_dependencies(tst_restore_scriptguard lifeboatctl)
