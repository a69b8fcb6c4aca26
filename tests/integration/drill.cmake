lifeboat_add_test(tst_drill_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_drill_cli.cpp
    LIBS Qt6::Network LABELS integration FIXTURES pg TIMEOUT 900)
