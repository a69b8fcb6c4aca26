lifeboat_add_test(tst_age_backup_interop SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_age_backup_interop.cpp
    LIBS lifeboat_core LABELS integration FIXTURES pg TIMEOUT 600)
