# Issue 17 review: WAL pushes interrupted between storing and recording (a partial replaced before its row; an
# encrypted segment stored but not recorded on a file system without user extended attributes, forced with an
# LD_PRELOAD shim), then fetched and pushed again. Local storage only, no servers.
add_library(lifeboat_test_noxattr SHARED ${CMAKE_CURRENT_LIST_DIR}/noxattr_preload.cpp)
lifeboat_add_test(tst_wal_interrupted SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_wal_interrupted.cpp LIBS Qt6::Sql
    LABELS integration ENV "LIFEBOAT_NOXATTR_LIB=$<TARGET_FILE:lifeboat_test_noxattr>")
add_dependencies(tst_wal_interrupted lifeboatctl lifeboat_test_noxattr)
