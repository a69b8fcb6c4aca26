lifeboat_add_test(tst_retention_archival SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_retention_archival.cpp
    LIBS lifeboat_jobs lifeboat_retention LABELS unit)
