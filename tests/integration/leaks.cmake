lifeboat_add_test(tst_secret_leaks SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_secret_leaks.cpp
    LIBS lifeboat_core LABELS integration FIXTURES "pg;s3" TIMEOUT 600)
