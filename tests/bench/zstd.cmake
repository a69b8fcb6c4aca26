# Issue 16: Lifeboat's zstd against bare pg_dump -Fc (on demand, `ctest -L bench -R bench_zstd -V`).
add_test(NAME bench_zstd COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/zstd_bench.sh)
set_tests_properties(bench_zstd PROPERTIES LABELS bench FIXTURES_REQUIRED pg TIMEOUT 3600
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>")
# Issue 16: lifeboatctl restore of a .dump.zst against bare pg_restore, with its phase split.
add_test(NAME bench_zstd_restore COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/zstd_restore_bench.sh)
set_tests_properties(bench_zstd_restore PROPERTIES LABELS bench FIXTURES_REQUIRED pg TIMEOUT 3600
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>")
