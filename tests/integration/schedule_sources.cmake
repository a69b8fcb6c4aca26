lifeboat_add_test(tst_schedule_sources SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_schedule_sources.cpp
    LIBS lifeboat_catalog lifeboat_restore LABELS integration FIXTURES pg TIMEOUT 600)
