# Crashes and kills leave nothing behind: SIGKILL of lifeboatctl mid-backup (local, S3) and mid-verify --sandbox,
# then the next run's start-up recovery (services/jobs/StartupRecovery).
lifeboat_add_test(tst_crash_recovery SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_crash_recovery.cpp
    LIBS lifeboat_core lifeboat_storage Qt6::Sql LABELS integration FIXTURES "pg;s3" TIMEOUT 900)
