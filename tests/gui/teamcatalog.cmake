# The desktop app on a shared PostgreSQL catalog (catalogUri) and the tray runner with a file source's schedule.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_teamcatalog SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_teamcatalog.cpp
                      LIBS lifeboat_ui LABELS gui FIXTURES pg TIMEOUT 600)
endif()
