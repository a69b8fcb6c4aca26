lifeboat_add_test(tst_redis_backup SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_redis_backup.cpp
    LIBS lifeboat_catalog lifeboat_pipeline Qt6::Network LABELS integration TIMEOUT 600)
