# One INTERFACE target carries the language level, warnings and Qt strictness for every target.
option(LIFEBOAT_WERROR "Treat warnings as errors (on by default under CI)" "$ENV{CI}")

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

add_library(lifeboat_common INTERFACE)
target_compile_features(lifeboat_common INTERFACE cxx_std_20)
target_compile_definitions(lifeboat_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CAST_TO_ASCII
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    LIFEBOAT_VERSION="${PROJECT_VERSION}")
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(lifeboat_common INTERFACE -Wall -Wextra -Wpedantic)
    if(LIFEBOAT_WERROR)
        target_compile_options(lifeboat_common INTERFACE -Werror)
    endif()
elseif(MSVC)
    target_compile_options(lifeboat_common INTERFACE /W4 /permissive- /utf-8)
    if(LIFEBOAT_WERROR)
        target_compile_options(lifeboat_common INTERFACE /WX)
    endif()
endif()

# lifeboat_add_service_lib(NAME SOURCES ... LIBS ...): one static library per services/ area, so areas build and
# test independently; lifeboat_services aggregates them.
function(lifeboat_add_service_lib name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    add_library(${name} STATIC ${ARG_SOURCES})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/services)
    target_link_libraries(${name} PUBLIC lifeboat_common ${ARG_LIBS})
endfunction()
