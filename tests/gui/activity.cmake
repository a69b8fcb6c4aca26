# The Activity page (issue 18, audit trail): desktop actions are rows with the OS user and "desktop"; 100,000 rows
# page in as the view scrolls; the filter line narrows them. No fixture (a config change is the desktop action).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_activity SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_activity.cpp
                      LIBS lifeboat_ui Qt6::Sql LABELS gui)
endif()
