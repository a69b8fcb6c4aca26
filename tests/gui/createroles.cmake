# Issue 18 item 5: the restore wizard's "Create missing roles first", on two throwaway clusters the test starts (a
# source with roles, a fresh target), driven through the focus chain.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_createroles SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_createroles.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui Qt6::Network LABELS gui TIMEOUT 600)
endif()
