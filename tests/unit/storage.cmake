lifeboat_add_test(tst_sigv4 SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_sigv4.cpp LIBS lifeboat_storage LABELS unit)
