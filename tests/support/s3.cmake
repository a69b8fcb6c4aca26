# The S3-compatible test server (s3rver, pinned in tests/support/s3/package-lock.json) as the CTest fixture "s3".
add_test(NAME fixture_s3_start COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/s3_fixture.sh start ${LIFEBOAT_FIXTURE_DIR})
add_test(NAME fixture_s3_stop COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/s3_fixture.sh stop ${LIFEBOAT_FIXTURE_DIR})
set_tests_properties(fixture_s3_start PROPERTIES FIXTURES_SETUP s3 LABELS fixture TIMEOUT 180)
set_tests_properties(fixture_s3_stop PROPERTIES FIXTURES_CLEANUP s3 LABELS fixture TIMEOUT 60)
