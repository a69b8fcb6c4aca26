# The restore wizard walked end to end against the pg fixture, its refusal and cancel paths, and History's Verify /
# Restore… actions. Screenshots of every step go to LIFEBOAT_SCREENSHOT_DIR when set (docs/screenshots).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_restorewizard SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_restorewizard.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/RestoreWizardFixture.h
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui Qt6::Network LABELS gui FIXTURES pg s3 TIMEOUT 600)
endif()
