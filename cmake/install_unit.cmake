# Runs at install time (install(SCRIPT) in cmake/install.cmake), when the
# prefix is known: writes the systemd user unit with ExecStart naming the
# installed binary. SENTINEL_UNIT_IN and SENTINEL_BINDIR are set before it.
set(bindir "${SENTINEL_BINDIR}")
if(NOT IS_ABSOLUTE "${bindir}")
  set(bindir "${CMAKE_INSTALL_PREFIX}/${bindir}")
endif()
set(exe "${bindir}/sentinel")
# systemd.service(5) command lines: % starts a specifier; a path with spaces,
# quotes or backslashes is written in double quotes with C-style escapes.
string(REPLACE "%" "%%" exe "${exe}")
if(exe MATCHES "[ \t\"'\\\\]")
  string(REPLACE "\\" "\\\\" exe "${exe}")
  string(REPLACE "\"" "\\\"" exe "${exe}")
  set(exe "\"${exe}\"")
endif()
file(READ "${SENTINEL_UNIT_IN}" unit)
string(REPLACE "@SENTINEL_BIN@" "${exe}" unit "${unit}")
set(dir "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/lib/systemd/user")
file(MAKE_DIRECTORY "${dir}")
message(STATUS "Installing: ${dir}/sentinel-agent.service")
file(WRITE "${dir}/sentinel-agent.service" "${unit}")
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${dir}/sentinel-agent.service")
