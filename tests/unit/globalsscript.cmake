# Issue 18 item 5: reading pg_dumpall --globals-only output and planning "create the missing roles first".
lifeboat_add_test(tst_globals_script SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_globals_script.cpp
    LIBS lifeboat_pg lifeboat_jobs LABELS unit)
