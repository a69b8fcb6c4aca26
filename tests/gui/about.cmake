# Help ▸ About (issue 9): versions, licence, copy button.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_about SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_about.cpp LIBS lifeboat_ui
                      LABELS gui package)
    target_compile_definitions(tst_gui_about PRIVATE LIFEBOAT_LICENSE_FOR_TEST="${LIFEBOAT_LICENSE}")
endif()
