lifeboat_add_test(tst_mirror_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_mirror_cli.cpp
    LIBS lifeboat_pipeline lifeboat_storage LABELS integration FIXTURES s3 TIMEOUT 900)
