lifeboat_add_test(tst_pipeline SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_pipeline.cpp LIBS lifeboat_pipeline LABELS unit)
