# The desktop app's schedule runner, tray behaviour, stall marking and dashboard refresh, against the pg fixture.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_tray SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_tray.cpp
                      LIBS lifeboat_ui LABELS gui FIXTURES pg TIMEOUT 600)
endif()
