# Issue 17: what `wal push` costs per 16 MiB segment as archive_command, to local disk and to S3 (on demand,
# `ctest -L bench -R bench_wal_push -V`).
add_test(NAME bench_wal_push COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/wal_push_bench.sh)
set_tests_properties(bench_wal_push PROPERTIES LABELS bench FIXTURES_REQUIRED s3 TIMEOUT 1800
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>")
# Issue 17: recovery point after a total loss under steady pgbench load, and recover --to latest time from S3, on a
# throwaway cluster (`ctest -L bench -R bench_recovery -V`; results in docs/performance.md).
add_test(NAME bench_recovery COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/recovery_bench.sh)
set_tests_properties(bench_recovery PROPERTIES LABELS bench FIXTURES_REQUIRED s3 TIMEOUT 3600
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>")
