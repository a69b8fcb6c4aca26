# Benchmarks run on demand (`ctest -L bench`), never as pass/fail timing in CI; results go to docs/performance.md.
add_test(NAME bench_backup COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/backup_bench.sh)
set_tests_properties(bench_backup PROPERTIES LABELS bench FIXTURES_REQUIRED "pg;s3" TIMEOUT 3600
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>")

add_test(NAME bench_restore COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/restore_bench.sh)
set_tests_properties(bench_restore PROPERTIES LABELS bench FIXTURES_REQUIRED "pg;s3" TIMEOUT 3600
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>")
