# WAL names, paths and the archive window (issue 17): pure functions of services/wal.
lifeboat_add_test(tst_wal_window SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_wal_window.cpp LIBS lifeboat_wal LABELS unit)
