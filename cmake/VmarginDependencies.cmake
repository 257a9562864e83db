# Third-party dependencies. Natively they come from Debian's packages. When
# cross-compiling (WebAssembly, aarch64), the header-only ones are exposed
# through a build-tree folder that holds only them: putting /usr/include on
# such a compiler's include path would shadow its own libc headers.
if(EMSCRIPTEN OR CMAKE_CROSSCOMPILING)
  set(VMARGIN_SYSDEPS ${CMAKE_BINARY_DIR}/sysdeps/include)
  file(MAKE_DIRECTORY ${VMARGIN_SYSDEPS})
  foreach(dir nlohmann doctest CLI)
    if(NOT EXISTS ${VMARGIN_SYSDEPS}/${dir})
      file(CREATE_LINK /usr/include/${dir} ${VMARGIN_SYSDEPS}/${dir} SYMBOLIC)
    endif()
  endforeach()
  add_library(vmargin_nlohmann_json INTERFACE)
  target_include_directories(vmargin_nlohmann_json SYSTEM INTERFACE ${VMARGIN_SYSDEPS})
  add_library(nlohmann_json::nlohmann_json ALIAS vmargin_nlohmann_json)
  add_library(vmargin_doctest INTERFACE)
  target_include_directories(vmargin_doctest SYSTEM INTERFACE ${VMARGIN_SYSDEPS})
  add_library(doctest::doctest ALIAS vmargin_doctest)
  add_library(vmargin_cli11 INTERFACE)
  target_include_directories(vmargin_cli11 SYSTEM INTERFACE ${VMARGIN_SYSDEPS})
  add_library(CLI11::CLI11 ALIAS vmargin_cli11)
else()
  find_package(nlohmann_json 3.11 REQUIRED)
  # The CLI's parser (native/ only): Debian's libcli11-dev, header-only.
  find_package(CLI11 2.1 CONFIG QUIET)
  if(NOT TARGET CLI11::CLI11)
    if(NOT EXISTS /usr/include/CLI/CLI.hpp)
      message(FATAL_ERROR "CLI11 is missing: apt-get install libcli11-dev (scripts/setup.sh native does)")
    endif()
    add_library(vmargin_cli11 INTERFACE)
    target_include_directories(vmargin_cli11 SYSTEM INTERFACE /usr/include)
    add_library(CLI11::CLI11 ALIAS vmargin_cli11)
  endif()
  if(VMARGIN_TESTS)
    find_package(doctest 2.4 REQUIRED)
  endif()
endif()

# libsodium (vmargin::signing only). Natively: Debian's libsodium-dev. For
# wasm32 and aarch64: the same Debian-patched 1.0.18 built from source by
# scripts/build_libsodium.sh into build/deps (the archive has no binaries).
set(VMARGIN_DEPS_DIR ${CMAKE_SOURCE_DIR}/build/deps CACHE PATH "Where scripts/build_libsodium.sh puts its builds")
if(EMSCRIPTEN)
  set(vmargin_sodium_prefix ${VMARGIN_DEPS_DIR}/libsodium-wasm)
  set(vmargin_sodium_target wasm)
elseif(CMAKE_CROSSCOMPILING)
  set(vmargin_sodium_prefix ${VMARGIN_DEPS_DIR}/libsodium-aarch64)
  set(vmargin_sodium_target aarch64)
endif()
if(vmargin_sodium_prefix)
  if(NOT EXISTS ${vmargin_sodium_prefix}/lib/libsodium.a)
    message(FATAL_ERROR "libsodium for ${vmargin_sodium_target} is missing: run scripts/build_libsodium.sh "
                        "${vmargin_sodium_target} (make test and make demo do)")
  endif()
  add_library(vmargin_sodium STATIC IMPORTED GLOBAL)
  set_target_properties(vmargin_sodium PROPERTIES
    IMPORTED_LOCATION ${vmargin_sodium_prefix}/lib/libsodium.a
    INTERFACE_INCLUDE_DIRECTORIES ${vmargin_sodium_prefix}/include)
  add_library(sodium::sodium ALIAS vmargin_sodium)
else()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET GLOBAL libsodium>=1.0.18)
  add_library(sodium::sodium ALIAS PkgConfig::SODIUM)
endif()
