# The storage editor's S3 storage class, own retention rules and archive storage, and the Buckets page's message for
# a download of an archived (GLACIER) object (issue 15). Real S3 fixture.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_storageclass SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_storageclass.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui Qt6::Network LABELS gui FIXTURES s3 TIMEOUT 300)
endif()
