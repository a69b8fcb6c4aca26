# Every started backup attempt leaves a record from the CLI too: a storage without credentials makes backup, files
# backup and run-due record FAILED with the reason (issue #20, item 3).
lifeboat_add_test(tst_unopenable_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_unopenable_cli.cpp
    LABELS integration FIXTURES pg TIMEOUT 300)
