# Third-party dependencies. Natively they come from Debian's packages. When
# cross-compiling (WebAssembly, aarch64), the header-only ones are exposed
# through a build-tree folder that holds only them: putting /usr/include on
# such a compiler's include path would shadow its own libc headers.
if(EMSCRIPTEN OR CMAKE_CROSSCOMPILING)
  set(VMARGIN_SYSDEPS ${CMAKE_BINARY_DIR}/sysdeps/include)
  file(MAKE_DIRECTORY ${VMARGIN_SYSDEPS})
  foreach(dir nlohmann doctest)
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
else()
  find_package(nlohmann_json 3.11 REQUIRED)
  if(VMARGIN_TESTS)
    find_package(doctest 2.4 REQUIRED)
  endif()
endif()
