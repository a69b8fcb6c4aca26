# Issues 17/20: the schedule editor offers "Base backup (point-in-time recovery)" for a database profile; typed
# through the focus chain, stored as kind "base" in a real SQLite catalog and shown as such when edited. No fixture.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_basescheduledialog SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_basescheduledialog.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui LABELS gui)
endif()
