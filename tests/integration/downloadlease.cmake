if(TARGET lifeboat_models)
    lifeboat_add_test(tst_download_lease SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_download_lease.cpp
        LIBS lifeboat_models lifeboat_catalog LABELS integration TIMEOUT 600)
    add_dependencies(tst_download_lease lifeboatctl)
endif()
