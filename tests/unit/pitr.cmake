# Issue 17: the recovery planner (which base backup, which segments, the window, gaps) and the base backup stream
# reader, without servers; the base_backups catalog table on SQLite.
lifeboat_add_test(tst_pitr_units SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_pitr_units.cpp LIBS lifeboat_pitr LABELS unit)
