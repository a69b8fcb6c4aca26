lifeboat_add_test(tst_backup_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_backup_cli.cpp ${CMAKE_CURRENT_LIST_DIR}/ProcTree.h
    LIBS lifeboat_catalog lifeboat_pipeline LABELS integration FIXTURES pg TIMEOUT 900)
