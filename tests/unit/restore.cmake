lifeboat_add_test(tst_restoreparsing SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_restoreparsing.cpp LIBS lifeboat_restore
    LABELS unit)
