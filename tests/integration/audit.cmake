lifeboat_add_test(tst_audit_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_audit_cli.cpp
    LIBS lifeboat_catalog LABELS integration FIXTURES pg TIMEOUT 600)
