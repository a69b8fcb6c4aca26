lifeboat_add_test(tst_restore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_restore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RestoreFixture.h LIBS lifeboat_restore
    LABELS integration FIXTURES pg TIMEOUT 600)
add_dependencies(tst_restore lifeboatctl)
