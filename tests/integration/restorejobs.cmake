# Issue 16: a default restore of a .dump.zst runs pg_restore --jobs 2 from a decompressed scratch copy; --jobs 1 streams.
add_test(NAME tst_restore_jobs COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/restore_jobs.sh)
set_tests_properties(tst_restore_jobs PROPERTIES LABELS integration FIXTURES_REQUIRED pg TIMEOUT 600
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>")
