# Issue 17: lifeboatctl basebackup vs bare pg_basebackup -Ft -D DIR on a >= 1 GB cluster of its own (the pg fixture
# has no replication line). On demand (`ctest -L bench`); results in docs/performance.md.
add_test(NAME bench_basebackup COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/basebackup_bench.sh)
set_tests_properties(bench_basebackup PROPERTIES LABELS bench FIXTURES_REQUIRED "s3" TIMEOUT 3600
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>")
