# WAL retention (issue 17 item 5): WalPruner::plan, pure — the cutoff at the oldest kept base backup's start on every
# timeline, runs split at gaps, history files kept, nothing without a known base backup.
lifeboat_add_test(tst_wal_pruner SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_wal_pruner.cpp LIBS lifeboat_wal LABELS unit)
