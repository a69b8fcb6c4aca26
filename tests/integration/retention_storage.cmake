lifeboat_add_test(tst_retention_storage SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_retention_storage.cpp
    LIBS lifeboat_catalog LABELS integration FIXTURES "pg;s3" TIMEOUT 900)
add_dependencies(tst_retention_storage lifeboatctl)
