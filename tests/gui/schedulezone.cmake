# Schedule times on the Schedules page and the Dashboard are shown in the schedule's own zone, labelled (issue #20).
# The computer's zone is UTC so that a schedule in Europe/Berlin reads differently in the two.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_schedulezone SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_schedulezone.cpp
                      LIBS lifeboat_ui LABELS gui ENV "TZ=UTC")
endif()
