# Spin boxes and combo boxes take the mouse wheel only when focused (issue #20).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_wheel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_wheel.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui LABELS gui)
endif()
