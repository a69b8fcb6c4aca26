lifeboat_add_test(tst_s3_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_s3_cli.cpp
    LIBS lifeboat_pipeline LABELS integration FIXTURES "pg;s3" TIMEOUT 900)
