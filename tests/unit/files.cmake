lifeboat_add_test(tst_files_units SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_files_units.cpp
    LIBS lifeboat_files lifeboat_redis LABELS unit)
