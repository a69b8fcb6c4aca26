# The Buckets page's catalog import refuses a manifest whose signature does not verify (real S3 fixture).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_bucketsignature SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_bucketsignature.cpp
                      LIBS lifeboat_ui Qt6::Network LABELS gui FIXTURES s3 TIMEOUT 300)
endif()
