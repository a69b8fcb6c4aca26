lifeboat_add_test(tst_secrets_file SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_secrets_file.cpp LIBS lifeboat_secrets LABELS unit)
