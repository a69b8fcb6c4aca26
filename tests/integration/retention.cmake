lifeboat_add_test(tst_retention_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_retention_cli.cpp
    LIBS lifeboat_catalog LABELS integration FIXTURES "pg;s3" TIMEOUT 900)
