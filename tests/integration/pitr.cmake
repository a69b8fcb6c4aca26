# Issue 17: base backups (pg_basebackup through the pipeline) and point-in-time recovery, on throwaway clusters the
# test starts itself (archive_mode on), with the archive pushed through `wal push` to local disk and the S3 fixture.
lifeboat_add_test(tst_pitr_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_pitr_cli.cpp
    ${CMAKE_CURRENT_LIST_DIR}/PitrCluster.h LIBS Qt6::Network
    LABELS integration FIXTURES "s3" TIMEOUT 900)
add_dependencies(tst_pitr_cli lifeboatctl)
