# Third-party libraries, all from Debian: packages, and pugixml's source package (ci/setup).
find_package(PkgConfig REQUIRED)

if(ENTSIG_PUGIXML_FROM_SOURCE)
  # pugixml's source compiled into the XML reader (header-only mode): its accessors inline into
  # the DOM walk instead of being calls into the shared library, and fuzz builds instrument its
  # tokenizer with everything else. ci/fetch-pugixml-source puts the source there.
  if(NOT EXISTS "${ENTSIG_PUGIXML_SOURCE_DIR}/src/pugixml.cpp")
    message(FATAL_ERROR "pugixml source not found in ${ENTSIG_PUGIXML_SOURCE_DIR}: run ci/fetch-pugixml-source "
                        "(ci/setup does), or configure with -DENTSIG_PUGIXML_FROM_SOURCE=OFF to link Debian's libpugixml")
  endif()
  add_library(entsig_pugixml INTERFACE)
  target_include_directories(entsig_pugixml SYSTEM INTERFACE "${ENTSIG_PUGIXML_SOURCE_DIR}/src")
  target_compile_definitions(entsig_pugixml INTERFACE PUGIXML_HEADER_ONLY)
  add_library(entsig::pugixml ALIAS entsig_pugixml)
else()
  find_package(pugixml REQUIRED)
  add_library(entsig::pugixml ALIAS pugixml::pugixml)
endif()

find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
pkg_check_modules(LIBPLIST IMPORTED_TARGET libplist-2.0)

# LIEF 0.9 ships no CMake config: find the library and headers by hand. The shared
# library comes first: Debian's libLIEF.a needs mbedtls archives that no package here installs.
find_path(LIEF_INCLUDE_DIR LIEF/LIEF.hpp)
find_library(LIEF_STATIC_LIBRARY NAMES LIEF libLIEF.a)
if(LIEF_INCLUDE_DIR AND LIEF_STATIC_LIBRARY)
  add_library(entsig_lief INTERFACE)
  target_include_directories(entsig_lief SYSTEM INTERFACE "${LIEF_INCLUDE_DIR}")
  target_link_libraries(entsig_lief INTERFACE "${LIEF_STATIC_LIBRARY}")
  add_library(entsig::lief ALIAS entsig_lief)
  set(ENTSIG_HAVE_LIEF ON)
else()
  set(ENTSIG_HAVE_LIEF OFF)
endif()
