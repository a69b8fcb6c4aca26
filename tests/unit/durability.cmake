# Issue 13: directory fsyncs after a rename and after creating a directory are checked.
lifeboat_add_test(tst_durability SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_durability.cpp
    LIBS lifeboat_pipeline lifeboat_jobs LABELS unit)
