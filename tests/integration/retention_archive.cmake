lifeboat_add_test(tst_retention_archive SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_retention_archive.cpp
    LIBS lifeboat_catalog lifeboat_pipeline LABELS integration FIXTURES "pg;s3" TIMEOUT 900)
add_dependencies(tst_retention_archive lifeboatctl)
