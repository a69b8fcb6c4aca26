if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_background SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_background.cpp LIBS lifeboat_ui
                      LABELS gui)
endif()
