# The restore wizard on other sources (label gui): an archive from a newer pg_dump, an encrypted backup with an
# identity file, a backup only in S3 (History's presigned link, then restored), and History's Verify / Restore…
# actions, against the pg and s3 fixtures. The walk, refusals and cancels are in tst_gui_restorewizard (wizard.cmake).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_restorewizard_sources SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_restorewizard_sources.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/RestoreWizardFixture.h
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui Qt6::Network LABELS gui FIXTURES pg s3 TIMEOUT 600)
endif()
