# Schedules page retention preview/prune, notification channels and encryption keys (label gui); the cron editor
# and "Run now" are in tst_gui_schedules_run (schedules_run.cmake). Needs the pg fixture; the webhook sink and the
# SMTP server (tests/support/smtp_server.py, python3-aiosmtpd) run inside the test. LIFEBOAT_SCREENSHOT_DIR=…/docs/screenshots refreshes
# schedules.png and settings.png.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_schedules SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_schedules.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTestData.h ${CMAKE_CURRENT_LIST_DIR}/GuiTestData.cpp
                      LIBS lifeboat_ui Qt6::Network LABELS gui FIXTURES pg TIMEOUT 600)
endif()
