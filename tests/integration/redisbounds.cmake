# Issue 13: bulk lengths and array counts from a Redis server are bounded (a fake server; no real one sends them).
lifeboat_add_test(tst_redis_bounds SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_redis_bounds.cpp
    LIBS lifeboat_redis Qt6::Network LABELS integration TIMEOUT 120)
