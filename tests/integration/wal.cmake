# Continuous WAL archiving (issue 17): wal push as a real cluster's archive_command into local and S3 storages,
# idempotence, wal fetch round trips (catalog and storage alone), damage and encryption.
lifeboat_add_test(tst_wal_push SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_wal_push.cpp
    LIBS Qt6::Sql Qt6::Network LABELS integration FIXTURES "s3" TIMEOUT 600)
add_dependencies(tst_wal_push lifeboatctl)
# wal receive: pg_receivewal through a slot into local and S3 storages, partial uploads, kill -9 and restart, SIGTERM.
lifeboat_add_test(tst_wal_receive SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_wal_receive.cpp
    LIBS Qt6::Sql Qt6::Network LABELS integration FIXTURES "s3" TIMEOUT 600)
add_dependencies(tst_wal_receive lifeboatctl)
