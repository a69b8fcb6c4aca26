# Desktop-app benchmarks (issue 7): History with 100,000 records, event-loop latency during a ~1 GB backup.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(bench_gui SOURCES ${CMAKE_CURRENT_LIST_DIR}/bench_gui.cpp
                      ${PROJECT_SOURCE_DIR}/tests/gui/GuiTestData.h ${PROJECT_SOURCE_DIR}/tests/gui/GuiTestData.cpp
                      LIBS lifeboat_ui LABELS bench FIXTURES pg TIMEOUT 7200
                      ENV QTEST_FUNCTION_TIMEOUT=7200000)
    target_include_directories(bench_gui PRIVATE ${PROJECT_SOURCE_DIR}/tests/gui)
endif()
