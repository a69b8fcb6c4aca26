lifeboat_add_test(tst_s3storageclass SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_s3storageclass.cpp LIBS lifeboat_storage LABELS unit)
