lifeboat_add_test(tst_stallwatch SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_stallwatch.cpp LIBS lifeboat_jobs LABELS unit)
