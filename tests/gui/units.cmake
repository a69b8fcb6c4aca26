# Chart axes without exponents (issue #20, item 11).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_units SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_units.cpp LIBS lifeboat_ui
                      LABELS gui)
endif()
