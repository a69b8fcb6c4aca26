# Installers. One version (project(VERSION)) flows into --version, the About dialog, manifests and every package.
#   Linux:   cpack -G DEB | RPM | TGZ       (docs/install.md; tests/integration/package.cmake checks the .deb)
#   Windows: cpack -G NSIS (after windeployqt, see LIFEBOAT_WINDEPLOYQT below)
#   macOS:   cpack -G DragNDrop (after macdeployqt, see LIFEBOAT_MACDEPLOYQT below)
# Included from the top-level CMakeLists.txt after the app targets exist.

include(GNUInstallDirs)

set(LIFEBOAT_LICENSE "GPL-3.0-or-later" CACHE STRING "SPDX licence expression shown in packages and About")
set(LIFEBOAT_HOMEPAGE "https://github.com/lifeboat-backup/lifeboat" CACHE STRING "Project home page")
set(LIFEBOAT_MAINTAINER "Lifeboat maintainers <maintainers@lifeboat-backup.org>" CACHE STRING "Package maintainer")
string(TIMESTAMP LIFEBOAT_BUILD_DATE_RFC2822 "%a, %d %b %Y %H:%M:%S +0000" UTC)
string(TIMESTAMP LIFEBOAT_BUILD_DATE "%Y-%m-%d" UTC)

set(_pkgdata ${CMAKE_BINARY_DIR}/package-data)
file(MAKE_DIRECTORY ${_pkgdata})

# --- Files generated at build time: PNG icons from the SVG, compressed man pages, Debian changelog -------------
find_program(LIFEBOAT_GZIP gzip)
set(_generated)
# lifeboatctl.1 is generated from the program's own --help (installer/linux/lifeboatctl-man.cmake).
add_custom_command(OUTPUT ${_pkgdata}/lifeboatctl.1
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_pkgdata}/man-home
    COMMAND ${CMAKE_COMMAND} -DCTL=$<TARGET_FILE:lifeboatctl> -DTEMPLATE=${PROJECT_SOURCE_DIR}/docs/man/lifeboatctl.1.in
            -DOUT=${_pkgdata}/lifeboatctl.1 -DHOME_DIR=${_pkgdata}/man-home
            -P ${PROJECT_SOURCE_DIR}/installer/linux/lifeboatctl-man.cmake
    DEPENDS lifeboatctl ${PROJECT_SOURCE_DIR}/docs/man/lifeboatctl.1.in
            ${PROJECT_SOURCE_DIR}/installer/linux/lifeboatctl-man.cmake
    VERBATIM)
set(_man_lifeboatctl ${_pkgdata}/lifeboatctl.1)
set(_man_lifeboat ${PROJECT_SOURCE_DIR}/docs/man/lifeboat.1)
foreach(page lifeboatctl lifeboat)
    set(_out ${_pkgdata}/${page}.1.gz)
    if(LIFEBOAT_GZIP)
        # -n: no name or timestamp in the header, so the package is reproducible (lintian checks this).
        add_custom_command(OUTPUT ${_out}
            COMMAND ${CMAKE_COMMAND} -E copy ${_man_${page}} ${_pkgdata}/${page}.1.tmp
            COMMAND ${LIFEBOAT_GZIP} -9n -c ${_pkgdata}/${page}.1.tmp > ${_out}
            DEPENDS ${_man_${page}})
        list(APPEND _generated ${_out})
    else()
        list(APPEND _generated ${_man_${page}})
    endif()
endforeach()

configure_file(${PROJECT_SOURCE_DIR}/installer/linux/changelog.in ${_pkgdata}/changelog @ONLY)
if(LIFEBOAT_GZIP)
    add_custom_command(OUTPUT ${_pkgdata}/changelog.gz
        COMMAND ${LIFEBOAT_GZIP} -9n -c ${_pkgdata}/changelog > ${_pkgdata}/changelog.gz
        DEPENDS ${_pkgdata}/changelog)
    list(APPEND _generated ${_pkgdata}/changelog.gz)
endif()

set(LIFEBOAT_ICON_SIZES 16 24 32 48 64 128 256)
if(LIFEBOAT_BUILD_GUI)
    find_package(Qt6 6.4 REQUIRED COMPONENTS Svg)
    add_executable(lifeboat_svg2png ${PROJECT_SOURCE_DIR}/installer/tools/svg2png.cpp)
    target_link_libraries(lifeboat_svg2png PRIVATE lifeboat_common Qt6::Gui Qt6::Svg)
    foreach(size ${LIFEBOAT_ICON_SIZES})
        set(_png ${_pkgdata}/icons/${size}x${size}/lifeboat.png)
        add_custom_command(OUTPUT ${_png}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${_pkgdata}/icons/${size}x${size}
            COMMAND lifeboat_svg2png ${PROJECT_SOURCE_DIR}/resources/icons/lifeboat.svg ${_png} ${size}
            DEPENDS lifeboat_svg2png ${PROJECT_SOURCE_DIR}/resources/icons/lifeboat.svg VERBATIM)
        list(APPEND _generated ${_png})
    endforeach()
    configure_file(${PROJECT_SOURCE_DIR}/resources/lifeboat.metainfo.xml.in
                   ${_pkgdata}/io.github.lifeboat_backup.Lifeboat.metainfo.xml @ONLY)
endif()
add_custom_target(lifeboat_package_data ALL DEPENDS ${_generated})

# --- Install rules that are not a target's own (the binaries install from app/gui and app/cli) -------------------
set(_docdir ${CMAKE_INSTALL_DATAROOTDIR}/doc/lifeboat)
install(FILES ${PROJECT_SOURCE_DIR}/installer/linux/copyright DESTINATION ${_docdir})
# The operator documents, for the bad day without network access.
install(FILES ${PROJECT_SOURCE_DIR}/docs/runbook.md ${PROJECT_SOURCE_DIR}/docs/cli.md
              ${PROJECT_SOURCE_DIR}/docs/security.md ${PROJECT_SOURCE_DIR}/docs/install.md
              ${PROJECT_SOURCE_DIR}/docs/containers.md DESTINATION ${_docdir})
if(LIFEBOAT_GZIP)
    install(FILES ${_pkgdata}/changelog.gz DESTINATION ${_docdir})
    install(FILES ${_pkgdata}/lifeboatctl.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
if(LIFEBOAT_BUILD_GUI)
    if(LIFEBOAT_GZIP)
        install(FILES ${_pkgdata}/lifeboat.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
    endif()
    foreach(size ${LIFEBOAT_ICON_SIZES})
        install(FILES ${_pkgdata}/icons/${size}x${size}/lifeboat.png
                DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
    install(FILES ${_pkgdata}/io.github.lifeboat_backup.Lifeboat.metainfo.xml
            DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/metainfo)
endif()

# --- CPack: common ---------------------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME "lifeboat")
set(CPACK_PACKAGE_VENDOR "Lifeboat")
set(CPACK_PACKAGE_CONTACT "${LIFEBOAT_MAINTAINER}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${LIFEBOAT_HOMEPAGE}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "PostgreSQL backup and disaster recovery")
# Lines under 80 columns: dpkg shows them as they are (lintian: extended-description-line-too-long).
set(CPACK_PACKAGE_DESCRIPTION
    "Lifeboat backs up PostgreSQL databases to local disks and S3-compatible
buckets, encrypts them with age, checks every backup by restoring it into a
sandbox, and restores whole databases or single tables after safety checks.
.
It ships a desktop application (lifeboat) and a command-line tool for
servers, cron jobs and containers (lifeboatctl).")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Lifeboat")
set(CPACK_PACKAGE_EXECUTABLES "lifeboat;Lifeboat")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/installer/linux/copyright)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_SOURCE_IGNORE_FILES "/build[^/]*/;/\\\\.git/;/\\\\.sandbox/;/node_modules/")

# --- Linux: DEB, RPM, TGZ ----------------------------------------------------------------------------------------
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # lifeboat_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LIFEBOAT_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "database")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${LIFEBOAT_HOMEPAGE}")
# Linked libraries (Qt, libpq, OpenSSL, qtkeychain, libcurl, libarchive) come from dpkg-shlibdeps. The rest are
# run, not linked: pg_dump/pg_restore/psql, and the Qt plugins loaded at run time (SQLite and PostgreSQL catalog
# drivers, the SVG icon engine).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "postgresql-client, libqt6sql6-sqlite, libqt6sql6-psql, libqt6svg6")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager, qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "age")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "${LIFEBOAT_LICENSE}")
set(CPACK_RPM_PACKAGE_GROUP "Applications/Databases")
set(CPACK_RPM_PACKAGE_URL "${LIFEBOAT_HOMEPAGE}")
string(REPLACE "\n.\n" "\n\n" CPACK_RPM_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
# Fedora/RHEL names: postgresql is the client package; the Qt plugins are in qt6-qtbase-{mysql,postgresql} etc.
set(CPACK_RPM_PACKAGE_REQUIRES "postgresql, qt6-qtbase-postgresql, qt6-qtsvg")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/share/applications /usr/share/icons /usr/share/icons/hicolor /usr/share/metainfo /usr/share/man
    /usr/share/man/man1 /usr/share/doc)
foreach(size ${LIFEBOAT_ICON_SIZES})
    list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
         /usr/share/icons/hicolor/${size}x${size} /usr/share/icons/hicolor/${size}x${size}/apps)
endforeach()
list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
     /usr/share/icons/hicolor/scalable /usr/share/icons/hicolor/scalable/apps)

# --- Windows: NSIS (run windeployqt into the install tree first; docs/install.md) --------------------------------
if(WIN32)
    set(CPACK_GENERATOR "NSIS;ZIP")
    set(CPACK_NSIS_DISPLAY_NAME "Lifeboat ${PROJECT_VERSION}")
    set(CPACK_NSIS_PACKAGE_NAME "Lifeboat")
    set(CPACK_NSIS_MUI_ICON ${PROJECT_SOURCE_DIR}/installer/windows/lifeboat.ico)
    set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\lifeboat.exe")
    set(CPACK_NSIS_URL_INFO_ABOUT "${LIFEBOAT_HOMEPAGE}")
    set(CPACK_NSIS_MODIFY_PATH ON) # offers to put lifeboatctl on PATH
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
    # windeployqt copies Qt DLLs and plugins (platforms, sqldrivers, iconengines, imageformats) beside the exe.
    find_program(LIFEBOAT_WINDEPLOYQT windeployqt HINTS "${QT6_INSTALL_PREFIX}/bin")
    if(LIFEBOAT_WINDEPLOYQT AND LIFEBOAT_BUILD_GUI)
        install(CODE "execute_process(COMMAND \"${LIFEBOAT_WINDEPLOYQT}\" --release --no-translations
                      --dir \"\${CMAKE_INSTALL_PREFIX}/bin\" \"\${CMAKE_INSTALL_PREFIX}/bin/lifeboat.exe\"
                      COMMAND_ERROR_IS_FATAL ANY)")
    endif()
elseif(APPLE)
    # --- macOS: DragNDrop .dmg of lifeboat.app (macdeployqt bundles Qt; lifeboatctl lives inside the bundle) ----
    set(CPACK_GENERATOR "DragNDrop")
    set(CPACK_DMG_VOLUME_NAME "Lifeboat ${PROJECT_VERSION}")
    set(CPACK_DMG_FORMAT "UDZO")
    find_program(LIFEBOAT_MACDEPLOYQT macdeployqt HINTS "${QT6_INSTALL_PREFIX}/bin")
    if(LIFEBOAT_MACDEPLOYQT AND LIFEBOAT_BUILD_GUI)
        install(CODE "execute_process(COMMAND \"${LIFEBOAT_MACDEPLOYQT}\" \"\${CMAKE_INSTALL_PREFIX}/lifeboat.app\"
                      -executable=\"\${CMAKE_INSTALL_PREFIX}/lifeboat.app/Contents/MacOS/lifeboatctl\"
                      COMMAND_ERROR_IS_FATAL ANY)")
    endif()
else()
    find_program(LIFEBOAT_RPMBUILD rpmbuild)
    set(CPACK_GENERATOR "DEB;TGZ")
    if(LIFEBOAT_RPMBUILD)
        list(APPEND CPACK_GENERATOR RPM)
    endif()
endif()

include(CPack)

# The About dialog shows the same licence and home page as the packages.
if(TARGET lifeboat_ui)
    target_compile_definitions(lifeboat_ui PRIVATE LIFEBOAT_LICENSE="${LIFEBOAT_LICENSE}"
                                                   LIFEBOAT_HOMEPAGE="${LIFEBOAT_HOMEPAGE}")
endif()
