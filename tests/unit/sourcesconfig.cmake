lifeboat_add_test(tst_sources_config SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_sources_config.cpp LIBS lifeboat_catalog
                  LABELS unit)
