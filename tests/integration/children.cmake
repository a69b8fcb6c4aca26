# Issue 13: children die with lifeboatctl (PR_SET_PDEATHSIG), SIGHUP cancels like SIGTERM.
lifeboat_add_test(tst_children SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_children.cpp
    LABELS integration FIXTURES pg TIMEOUT 300)
