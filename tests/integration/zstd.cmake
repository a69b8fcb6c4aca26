# Issue 16: zstd compression in Lifeboat's pipeline, every format x encryption end to end, with the stock zstd CLI.
add_test(NAME tst_zstd_pipeline COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/zstd_pipeline.sh)
set_tests_properties(tst_zstd_pipeline PROPERTIES LABELS integration FIXTURES_REQUIRED pg TIMEOUT 900
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR};LIFEBOAT_CTL=$<TARGET_FILE:lifeboatctl>")
