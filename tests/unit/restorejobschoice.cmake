# Issue 16: which pg_restore jobs a restore without --jobs runs.
lifeboat_add_test(tst_restorejobschoice SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_restorejobschoice.cpp
    LIBS lifeboat_restore LABELS unit)
