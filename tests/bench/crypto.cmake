# age encrypt/decrypt throughput on one core (prints MB/s; a measurement, not a pass/fail timing test).
add_executable(bench_age ${CMAKE_CURRENT_LIST_DIR}/bench_age.cpp)
target_link_libraries(bench_age PRIVATE lifeboat_common lifeboat_crypto)
add_test(NAME bench_age COMMAND bench_age 512)
set_tests_properties(bench_age PROPERTIES LABELS bench TIMEOUT 900)
