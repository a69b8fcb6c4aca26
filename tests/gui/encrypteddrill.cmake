# Issue 18 item 1: the desktop app's schedule runner drills an age-encrypted backup with a key this installation
# keeps (an identity file in the key list, as `keygen --out` records it), and fails the drill by name when no kept
# key opens it — as run-due does (tst_drill_encrypted_cli), against the pg fixture.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_encrypteddrill SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_encrypteddrill.cpp
                      LIBS lifeboat_ui LABELS gui FIXTURES pg TIMEOUT 600)
    add_dependencies(tst_gui_encrypteddrill lifeboatctl)
endif()
