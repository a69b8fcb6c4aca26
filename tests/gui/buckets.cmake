# The bucket browser against the real S3 fixture: paging through > 1,000 objects, breadcrumb navigation, verified
# downloads, delete with confirmation, import into the catalog, Restore…, presigned links and a screenshot
# (LIFEBOAT_SCREENSHOT_DIR=…/docs/screenshots refreshes the documentation's copy).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_buckets SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_buckets.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/BucketTestData.h
                      LIBS lifeboat_ui Qt6::Network LABELS gui FIXTURES s3 TIMEOUT 300)
endif()
