lifeboat_add_test(tst_psqlscriptfilter SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_psqlscriptfilter.cpp
    LIBS lifeboat_restore LABELS unit)
