# Listing a bucket of 10,000 objects through ListObjectsV2 pages (prints timings; a measurement, not pass/fail).
add_executable(bench_s3_list ${CMAKE_CURRENT_LIST_DIR}/bench_s3_list.cpp)
target_link_libraries(bench_s3_list PRIVATE lifeboat_common lifeboat_storage lifeboat_testsupport)
add_test(NAME bench_s3_list COMMAND bench_s3_list 10000)
set_tests_properties(bench_s3_list PROPERTIES LABELS bench TIMEOUT 1800 FIXTURES_REQUIRED s3
    ENVIRONMENT "LIFEBOAT_FIXTURE_DIR=${LIFEBOAT_FIXTURE_DIR}")
