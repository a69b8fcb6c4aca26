lifeboat_add_test(tst_bucketartifacts SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_bucketartifacts.cpp
    LIBS lifeboat_jobs lifeboat_catalog lifeboat_storage LABELS integration FIXTURES s3)
