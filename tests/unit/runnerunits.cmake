lifeboat_add_test(tst_runner_units SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_runner_units.cpp LIBS lifeboat_schedule LABELS unit)
