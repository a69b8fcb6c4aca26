lifeboat_add_test(tst_usecase_backup SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_usecase_backup.cpp
    LIBS lifeboat_ops lifeboat_secrets lifeboat_catalog LABELS unit FIXTURES pg TIMEOUT 300)
