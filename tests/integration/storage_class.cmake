lifeboat_add_test(tst_storage_class SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_storage_class.cpp
    LABELS integration FIXTURES "s3" TIMEOUT 300)
add_dependencies(tst_storage_class lifeboatctl)
