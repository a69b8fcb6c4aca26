lifeboat_add_test(tst_schedule SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_schedule.cpp LIBS lifeboat_schedule LABELS unit)
