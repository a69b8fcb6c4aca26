# The restore wizard's production guard for a typed connection string, against the pg fixture.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_wizardproduction SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_wizardproduction.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui LABELS gui FIXTURES pg TIMEOUT 600)
    add_dependencies(tst_gui_wizardproduction lifeboatctl)
endif()
