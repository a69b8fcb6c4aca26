# config.json shared by the desktop app and lifeboatctl: the app shows CLI changes at once and its own saves merge
# instead of overwriting (issue #20).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_configsync SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_configsync.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui LABELS gui)
endif()
