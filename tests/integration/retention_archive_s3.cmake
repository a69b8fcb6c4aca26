lifeboat_add_test(tst_retention_archive_s3 SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_retention_archive_s3.cpp
    LIBS lifeboat_core lifeboat_catalog lifeboat_jobs lifeboat_pipeline lifeboat_storage LABELS integration
    FIXTURES "s3" TIMEOUT 300)
