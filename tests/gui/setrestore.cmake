# Whole-set restore in the desktop app (SetRestoreDialog): a database + bucket mirror set captured by lifeboatctl,
# checked (dry run) and restored through the dialog; refusals change nothing. Screenshot: LIFEBOAT_SCREENSHOT_DIR.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_setrestore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_setrestore.cpp
                      LIBS lifeboat_ui lifeboat_pipeline lifeboat_storage Qt6::Network LABELS gui FIXTURES pg s3
                      TIMEOUT 600)
endif()
