# Issue 16 in the desktop app: the schedule editor's compression choice and History's size (ratio). No fixture.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_compression SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_compression.cpp
                      LIBS lifeboat_ui LABELS gui)
endif()
