lifeboat_add_test(tst_foundation SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_foundation.cpp
    LIBS lifeboat_core lifeboat_pg lifeboat_catalog lifeboat_jobs LABELS unit)
lifeboat_add_test(tst_catalog SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_catalog.cpp
    LIBS lifeboat_catalog LABELS unit)
