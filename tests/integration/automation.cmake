lifeboat_add_test(tst_schedule_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_schedule_cli.cpp
    LIBS lifeboat_catalog LABELS integration FIXTURES "pg;s3" TIMEOUT 900)
lifeboat_add_test(tst_notify_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_notify_cli.cpp
    LIBS Qt6::Network LABELS integration FIXTURES pg TIMEOUT 600)
lifeboat_add_test(tst_missed_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_missed_cli.cpp
    LIBS Qt6::Network LABELS integration FIXTURES pg TIMEOUT 600)
