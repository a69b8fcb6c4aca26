# Point-in-time recovery from the desktop app (issue #20) against real throwaway clusters, as tst_pitr_cli does for
# the CLI: the Recover dialog refuses a target outside the window before writing anything and recovers to a moment.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_recover SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_recover.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui LABELS gui TIMEOUT 900)
    add_dependencies(tst_gui_recover lifeboatctl)
endif()
