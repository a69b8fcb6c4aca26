# The Buckets page's Download of a catalogued artifact holds a lease on the backup (real S3 fixture).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_bucketlease SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_bucketlease.cpp
                      LIBS lifeboat_ui Qt6::Network LABELS gui FIXTURES s3 TIMEOUT 300)
endif()
