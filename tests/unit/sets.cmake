lifeboat_add_test(tst_setretention SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_setretention.cpp LIBS lifeboat_retention
    LABELS unit)
