if(TARGET lifeboat_models)
    lifeboat_add_test(tst_gui_restoreplanmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_restoreplanmodel.cpp
                      LIBS lifeboat_models LABELS gui)
endif()
