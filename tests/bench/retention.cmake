# Retention decided over 100,000 records (prints the median in ms; a measurement, not a pass/fail timing test).
add_executable(bench_retention ${CMAKE_CURRENT_LIST_DIR}/bench_retention.cpp)
target_link_libraries(bench_retention PRIVATE lifeboat_common lifeboat_retention)
add_test(NAME bench_retention COMMAND bench_retention 100000)
set_tests_properties(bench_retention PROPERTIES LABELS bench TIMEOUT 300)
