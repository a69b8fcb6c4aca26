# Secret changes in the audit trail from the CLI (issue 18): secret.set / secret.remove rows name the key, never
# the value. The encrypted-file secret store: no keychain, no server.
lifeboat_add_test(tst_secret_audit_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_secret_audit_cli.cpp
    LIBS Qt6::Sql LABELS integration TIMEOUT 300)
