# The dashboard's recovery point per continuously protected profile (issue #20, PITR in the app).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_recoverypoint SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_recoverypoint.cpp
                      LIBS lifeboat_ui LABELS gui)
endif()
