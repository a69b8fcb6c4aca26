# Buckets page downloads and shared links in the audit trail (issue 18): a row per object with outcome and backup
# id, presign without the URL. Against the s3 fixture.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_downloadaudit SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_downloadaudit.cpp
                      LIBS lifeboat_ui LABELS gui FIXTURES s3 TIMEOUT 300)
endif()
