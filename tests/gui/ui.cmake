# Desktop application tests (label gui; QT_QPA_PLATFORM=offscreen comes from lifeboat_add_test).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_historymodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_historymodel.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTestData.h ${CMAKE_CURRENT_LIST_DIR}/GuiTestData.cpp
                      LIBS lifeboat_models LABELS gui)
    lifeboat_add_test(tst_gui_joblistmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_joblistmodel.cpp
                      LIBS lifeboat_models LABELS gui)
    lifeboat_add_test(tst_gui_mainwindow SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_mainwindow.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTestData.h ${CMAKE_CURRENT_LIST_DIR}/GuiTestData.cpp
                      LIBS lifeboat_ui LABELS gui)
    # A real backup from the Back-up-now dialog, a cancel from the Jobs page, and the screenshots of every page
    # (set LIFEBOAT_SCREENSHOT_DIR=…/docs/screenshots to refresh the documentation's copies).
    lifeboat_add_test(tst_gui_backupflow SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_backupflow.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTestData.h ${CMAKE_CURRENT_LIST_DIR}/GuiTestData.cpp
                      LIBS lifeboat_ui LABELS gui FIXTURES pg TIMEOUT 600)
endif()
