# Issue 17: a base backup's recorded SHA-256 (hashed on its own thread) equals the stored file's, locally and in S3.
lifeboat_add_test(tst_basebackup_hash_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_basebackup_hash_cli.cpp LIBS Qt6::Network
    LABELS integration FIXTURES "s3" TIMEOUT 600)
add_dependencies(tst_basebackup_hash_cli lifeboatctl)
