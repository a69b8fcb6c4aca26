lifeboat_add_test(tst_retention SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_retention.cpp LIBS lifeboat_retention LABELS unit)
