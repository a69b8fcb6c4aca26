# Continuous capture alerts (issue 17 item 6, issue 18 item 2): wal.slot, wal.lag (run-due --as-of), wal.gap against
# a throwaway cluster with `wal receive` and `wal push`, told once each to a real webhook; `check` shows the lag.
lifeboat_add_test(tst_walalerts_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_walalerts_cli.cpp
    LIBS Qt6::Network LABELS integration TIMEOUT 600)
add_dependencies(tst_walalerts_cli lifeboatctl)
