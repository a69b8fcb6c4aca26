# Issue 16: bytes read and the compression ratio (manifest, catalog, show/list), schedules' --compress with run-due.
add_test(NAME tst_compression_cli COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/compression_cli.sh)
set_tests_properties(tst_compression_cli PROPERTIES LABELS integration FIXTURES_REQUIRED pg TIMEOUT 600
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>")
