lifeboat_add_test(tst_restore_safety SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_restore_safety.cpp
    LIBS lifeboat_restore lifeboat_pg Qt6::Network LABELS integration FIXTURES pg TIMEOUT 600)
add_dependencies(tst_restore_safety lifeboatctl)
