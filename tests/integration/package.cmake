# Packaging and operator-documentation checks (issue 9). Scripts live in tests/package/.
find_package(Python3 COMPONENTS Interpreter)
if(NOT Python3_FOUND)
    message(WARNING "python3 not found: the package and documentation tests are not registered")
    return()
endif()
set(_pkgtests ${CMAKE_CURRENT_LIST_DIR}/../package)

# The CLI reference in docs/cli.md covers every command and option of `lifeboatctl ... --help`.
add_test(NAME docs_cli_reference
         COMMAND ${Python3_EXECUTABLE} ${_pkgtests}/cli_reference.py $<TARGET_FILE:lifeboatctl>
                 ${PROJECT_SOURCE_DIR}/docs/cli.md)
# No broken relative link or missing screenshot in README.md, CHANGELOG.md and docs/.
add_test(NAME docs_links COMMAND ${Python3_EXECUTABLE} ${_pkgtests}/doc_links.py ${PROJECT_SOURCE_DIR})
set_tests_properties(docs_cli_reference docs_links PROPERTIES LABELS "package;integration" TIMEOUT 120)

if(UNIX AND NOT APPLE)
    # installer/container/Dockerfile installs every library lifeboatctl links; the CronJob's config.json loads.
    add_test(NAME package_container
             COMMAND ${Python3_EXECUTABLE} ${_pkgtests}/container_check.py $<TARGET_FILE:lifeboatctl>
                     ${PROJECT_SOURCE_DIR})
    set_tests_properties(package_container PROPERTIES LABELS "package;integration" TIMEOUT 120)
endif()

if(UNIX AND NOT APPLE AND LIFEBOAT_BUILD_GUI)
    # cpack -G DEB, then file list, control fields, extracted binaries, desktop/AppStream validation, lintian.
    add_test(NAME package_deb COMMAND ${Python3_EXECUTABLE} ${_pkgtests}/deb_check.py ${CMAKE_BINARY_DIR}
                                      ${PROJECT_VERSION})
    set_tests_properties(package_deb PROPERTIES LABELS "package;integration" TIMEOUT 600
                         FIXTURES_SETUP lifeboat_deb RESOURCE_LOCK lifeboat_cpack)
    # apt-get install ./lifeboat_*.deb, run both programs, remove. Root + LIFEBOAT_PACKAGE_INSTALL_TEST=1 only.
    add_test(NAME package_install COMMAND bash ${_pkgtests}/deb_install.sh ${CMAKE_BINARY_DIR} ${PROJECT_VERSION})
    set_tests_properties(package_install PROPERTIES LABELS "package;integration" TIMEOUT 600
                         FIXTURES_REQUIRED lifeboat_deb SKIP_RETURN_CODE 77)
    # TGZ always, RPM when rpmbuild is installed.
    add_test(NAME package_archives COMMAND ${Python3_EXECUTABLE} ${_pkgtests}/archives_check.py ${CMAKE_BINARY_DIR}
                                           ${PROJECT_VERSION})
    set_tests_properties(package_archives PROPERTIES LABELS "package;integration" TIMEOUT 600
                         RESOURCE_LOCK lifeboat_cpack)
endif()
