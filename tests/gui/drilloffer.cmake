# The schedule editor offers a weekly drill after a profile's first backup schedule (issue 18). No fixture.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_drilloffer SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_drilloffer.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui LABELS gui)
endif()
