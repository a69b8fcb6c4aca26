lifeboat_add_test(tst_retention_periods SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_retention_periods.cpp LIBS lifeboat_retention LABELS unit)
