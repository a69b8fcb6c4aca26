# Schedules page, part two (label gui): the cron editor, schedules added, edited and removed through the page,
# "Run now" as a real backup of a database profile and of a directory source (needs the pg fixture), and the team
# catalog location applied at restart (a PostgreSQL catalog on the fixture). Part one is tst_gui_schedules.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_schedules_run SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_schedules_run.cpp
                      LIBS lifeboat_ui Qt6::Network LABELS gui FIXTURES pg TIMEOUT 600)
endif()
