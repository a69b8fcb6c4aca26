# Issue 16: restore progress of a zstd artifact stays within its total.
lifeboat_add_test(tst_restore_progress SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_restore_progress.cpp LIBS lifeboat_ops
    LABELS integration FIXTURES pg TIMEOUT 300)
add_dependencies(tst_restore_progress lifeboatctl)
