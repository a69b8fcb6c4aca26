lifeboat_add_test(tst_zstd SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_zstd.cpp LIBS lifeboat_pipeline LABELS unit)
