# The schedule editor offers a recovery drill (issue 18, part 1): kind "verify", where it restores, stored and read
# back from a reopened catalog. No fixture: nothing runs.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_drilldialog SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_drilldialog.cpp
                      LIBS lifeboat_ui LABELS gui)
endif()
