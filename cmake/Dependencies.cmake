# Third-party libraries, all from Debian packages (installed by ci/setup).
find_package(PkgConfig REQUIRED)

if(ENTSIG_PUGIXML_FROM_SOURCE)
  # Fuzz builds compile pugixml with the fuzz flags so coverage reaches its tokenizer.
  if(NOT EXISTS "${ENTSIG_PUGIXML_SOURCE_DIR}/src/pugixml.cpp")
    message(FATAL_ERROR "pugixml source not found in ${ENTSIG_PUGIXML_SOURCE_DIR}; run ci/fetch-pugixml-source")
  endif()
  add_library(entsig_pugixml STATIC "${ENTSIG_PUGIXML_SOURCE_DIR}/src/pugixml.cpp")
  target_include_directories(entsig_pugixml SYSTEM PUBLIC "${ENTSIG_PUGIXML_SOURCE_DIR}/src")
  set_target_properties(entsig_pugixml PROPERTIES POSITION_INDEPENDENT_CODE ON)
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
