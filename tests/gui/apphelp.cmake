# `lifeboat --help` and `--version` print without a display; started without one, the app says so and exits 2
# instead of aborting in Qt's platform plugin (issue #20, item 11).
if(LIFEBOAT_BUILD_GUI)
    add_test(NAME tst_gui_app_help
             COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/app_help.sh $<TARGET_FILE:lifeboat>)
    set_tests_properties(tst_gui_app_help PROPERTIES LABELS gui TIMEOUT 60)
endif()
