# Issue 14: one copy, the bytes that were hashed — a damaged local copy falls back to the bucket's, for every reader;
# delete waits for a running restore (catalog lease).
lifeboat_add_test(tst_one_copy SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_one_copy.cpp LIBS lifeboat_pipeline lifeboat_storage Qt6::Sql
    LABELS integration FIXTURES "pg;s3" TIMEOUT 900)
add_dependencies(tst_one_copy lifeboatctl)
