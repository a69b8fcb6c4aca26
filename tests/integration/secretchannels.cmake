# Issue 13: secrets only through the documented channels (keygen file mode, no dropped secrets, webhook URLs,
# --target and catalog URIs). Needs no fixture: every refusal happens before a server is contacted.
lifeboat_add_test(tst_secret_channels SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_secret_channels.cpp
    LIBS Qt6::Network lifeboat_catalog LABELS integration TIMEOUT 300)
