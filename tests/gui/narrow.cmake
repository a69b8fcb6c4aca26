# A small window keeps the Jobs status on screen; cut-short cells show their text as a tooltip (issue #20, item 11).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_narrow SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_narrow.cpp LIBS lifeboat_ui LABELS gui)
endif()
