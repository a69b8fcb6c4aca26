lifeboat_add_test(tst_set_production SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_set_production.cpp
    LABELS integration FIXTURES pg TIMEOUT 600)
add_dependencies(tst_set_production lifeboatctl)
