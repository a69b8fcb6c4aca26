# Issue 13 follow-up: a dead reader of lifeboatctl's stdout/stderr does not kill it (SIGPIPE is caught).
lifeboat_add_test(tst_sigpipe SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_sigpipe.cpp
    LABELS integration FIXTURES pg TIMEOUT 300)
