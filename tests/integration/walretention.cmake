# Retention of WAL and base backups (issue 17 item 5): prune counts base backups like database backups and removes
# exactly the WAL older than the oldest kept base backup from local disk, the S3 fixture and the catalog; dry run,
# a hole in the archive, wal status and recover --to latest after each prune, on a throwaway cluster.
lifeboat_add_test(tst_wal_retention SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_wal_retention.cpp
    LIBS Qt6::Sql Qt6::Network LABELS integration FIXTURES "s3" TIMEOUT 900)
add_dependencies(tst_wal_retention lifeboatctl)
