lifeboat_add_test(tst_retention_archive_safety SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_retention_archive_safety.cpp
    LIBS lifeboat_core lifeboat_catalog lifeboat_jobs lifeboat_pipeline LABELS unit)
