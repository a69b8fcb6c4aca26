# Stale messages are cleared (issue #20, item 10): the server editor's refusal of Save goes once the field is filled
# in and Test connection succeeds. Typed through the focus chain against the real pg fixture.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_stalemessages SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_stalemessages.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui LABELS gui FIXTURES pg)
endif()
