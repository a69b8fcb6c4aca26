# The retention panel edits hourly, yearly, last and keep-within (issue 15).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_retentionrules SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_retentionrules.cpp
                      LIBS lifeboat_ui LABELS gui)
endif()
