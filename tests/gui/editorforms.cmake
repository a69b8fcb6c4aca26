# The profile, storage and notification editors keep their fields, tab order, mnemonics and size on the shared
# FormBuilder (issue 19).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_editorforms SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_editorforms.cpp
                      LIBS lifeboat_ui LABELS gui)
endif()
