lifeboat_add_test(tst_set_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_set_cli.cpp
    LIBS lifeboat_pipeline lifeboat_storage lifeboat_catalog Qt6::Network LABELS integration FIXTURES "pg;s3" TIMEOUT 900)
