# The restore use case's resolution (ops/Restore, ops/ProductionServers): target profile or URI, secrets through the
# CredentialStore, the production profiles from the settings; no server needed.
lifeboat_add_test(tst_ops_restore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_ops_restore.cpp LIBS lifeboat_ops
    lifeboat_secrets LABELS unit)
