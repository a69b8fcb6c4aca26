lifeboat_add_test(tst_check_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_check_cli.cpp
    LIBS lifeboat_ops LABELS integration FIXTURES "pg" TIMEOUT 600)
