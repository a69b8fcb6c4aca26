# Issues 17/20: scheduled base backups (schedule add --base, run-due) against a throwaway cluster the test starts
# itself (tests/integration/WalTestCluster.h), local storage, a webhook sink for backup.completed/backup.failed.
lifeboat_add_test(tst_base_schedule_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_base_schedule_cli.cpp
    LIBS lifeboat_catalog Qt6::Network LABELS integration TIMEOUT 600)
add_dependencies(tst_base_schedule_cli lifeboatctl)
