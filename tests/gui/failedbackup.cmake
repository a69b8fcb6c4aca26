# Every started backup attempt leaves a record: an unreachable server gives a FAILED record in History, the
# dashboard and `lifeboatctl list` (issue #20).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_failedbackup SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_failedbackup.cpp
                      LIBS lifeboat_ui LABELS gui)
endif()
