# The weekly drill hint of `schedule add` for a profile's first backup schedule (issue 18). No server.
lifeboat_add_test(tst_drill_hint_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_drill_hint_cli.cpp
    LIBS lifeboat_schedule LABELS integration TIMEOUT 120)
