lifeboat_add_test(tst_lease_renewal SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_lease_renewal.cpp
    LIBS lifeboat_catalog LABELS unit)
