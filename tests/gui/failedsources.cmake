# Every started Redis, files and database backup attempt leaves a FAILED record with its error — an unreachable
# Redis, a folder that is gone, a storage that cannot be opened — from the app and from lifeboatctl (issue #20).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_failedsources SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_failedsources.cpp
                      LIBS lifeboat_ui LABELS gui FIXTURES pg)
endif()
