lifeboat_add_test(tst_storagelow_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_storagelow_cli.cpp
    LIBS Qt6::Network LABELS integration TIMEOUT 300)
