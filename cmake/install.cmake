# What `cmake --install` puts where, under any prefix, and the Debian
# package CPack makes of it (`cpack -G DEB` in the build tree):
#   bin/sentinel
#   share/man/man1/sentinel.1, share/man/man5/sentinel.toml.5   (doc/*.scd, scdoc)
#   share/bash-completion/completions/sentinel                   (sentinel completion bash)
#   share/zsh/vendor-completions/_sentinel                       (sentinel completion zsh)
#   share/fish/vendor_completions.d/sentinel.fish                (sentinel completion fish)
#   share/sentinel/tmux/sentinel.tmux
#   share/sentinel/wrappers/{psql,kubectl,helm,terraform}
#   lib/systemd/user/sentinel-agent.service                      (ExecStart: this prefix's bin/sentinel)
#   share/doc/sentinel/config.toml.example

# Man pages: written in scdoc's markup (doc/*.scd) and rendered at build
# time. SENTINEL_MANPAGES=OFF builds without them (and installs none).
option(SENTINEL_MANPAGES "Build the man pages with scdoc" ON)
set(man_dir ${CMAKE_BINARY_DIR}/man)
if(SENTINEL_MANPAGES)
  find_program(SCDOC scdoc)
  if(NOT SCDOC)
    message(FATAL_ERROR "scdoc not found: install it (Debian: apt-get install scdoc), "
                        "or configure with -DSENTINEL_MANPAGES=OFF to build without man pages")
  endif()
  set(man_pages)
  foreach(page sentinel.1 sentinel.toml.5)
    # The version goes into each page's footer.
    configure_file(doc/${page}.scd ${man_dir}/${page}.scd @ONLY)
    add_custom_command(
      OUTPUT ${man_dir}/${page}
      COMMAND ${CMAKE_COMMAND} -DSCDOC=${SCDOC} -DIN=${man_dir}/${page}.scd -DOUT=${man_dir}/${page}
              -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/run_to_file.cmake
      DEPENDS ${man_dir}/${page}.scd ${CMAKE_CURRENT_SOURCE_DIR}/cmake/run_to_file.cmake
      COMMENT "Rendering man page ${page} with scdoc")
    list(APPEND man_pages ${man_dir}/${page})
  endforeach()
  add_custom_target(man_pages ALL DEPENDS ${man_pages})
  install(FILES ${man_dir}/sentinel.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${man_dir}/sentinel.toml.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
endif()

# Completions: the built binary prints them from its own command tables.
set(completion_dir ${CMAKE_BINARY_DIR}/completions)
set(completion_files)
foreach(shell bash zsh fish)
  set(file_bash sentinel.bash)
  set(file_zsh _sentinel)
  set(file_fish sentinel.fish)
  add_custom_command(
    OUTPUT ${completion_dir}/${file_${shell}}
    COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:sentinel> -DSHELL_NAME=${shell} -DOUT=${completion_dir}/${file_${shell}}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/run_to_file.cmake
    DEPENDS sentinel ${CMAKE_CURRENT_SOURCE_DIR}/cmake/run_to_file.cmake
    COMMENT "Generating the ${shell} completion")
  list(APPEND completion_files ${completion_dir}/${file_${shell}})
endforeach()
add_custom_target(completions ALL DEPENDS ${completion_files})

install(TARGETS sentinel RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${completion_dir}/sentinel.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME sentinel)
install(FILES ${completion_dir}/_sentinel DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${completion_dir}/sentinel.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(PROGRAMS contrib/tmux/sentinel.tmux DESTINATION ${CMAKE_INSTALL_DATADIR}/sentinel/tmux)
# kubectl, helm and terraform are symlinks to psql (one script serves them all).
install(PROGRAMS contrib/wrappers/psql DESTINATION ${CMAKE_INSTALL_DATADIR}/sentinel/wrappers)
install(FILES contrib/wrappers/kubectl contrib/wrappers/helm contrib/wrappers/terraform contrib/wrappers/README
        DESTINATION ${CMAKE_INSTALL_DATADIR}/sentinel/wrappers)
install(FILES contrib/config.toml.example DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The systemd user unit names the installed binary. The prefix is the one
# of the install (`cmake --install build --prefix ~/.local`, or /usr for the
# package), known only at install time; DESTDIR is not part of it.
# systemd reads user units from PREFIX/lib/systemd/user for /usr and
# /usr/local; GNUInstallDirs' multiarch LIBDIR would hide it.
install(CODE "set(SENTINEL_UNIT_IN \"${CMAKE_CURRENT_SOURCE_DIR}/contrib/systemd/sentinel-agent.service.in\")
              set(SENTINEL_BINDIR \"${CMAKE_INSTALL_BINDIR}\")")
install(SCRIPT cmake/install_unit.cmake)

# The Debian package: `cpack -G DEB` gives sentinel_VERSION_ARCH.deb.
# dpkg-shlibdeps computes the dependencies of what is linked; libpq is
# loaded with dlopen (sentinel/core/pg/libpq.hpp), so it is named here.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sentinel)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "shows what a command typed in a terminal would act on, and guards production")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "sentinel knows, for every terminal, which Kubernetes context, PostgreSQL server\n"
       "and environment a command typed there would act on, shows it in the prompt, a\n"
       "status line and tmux, and makes psql, kubectl and helm ask before they act on\n"
       "production.")
set(SENTINEL_PACKAGE_MAINTAINER "sentinel maintainers <sentinel@localhost>" CACHE STRING
    "The Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT ${SENTINEL_PACKAGE_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libpq5")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "tmux, postgresql-client, kubernetes-client, bash-completion")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_SOURCE_DIR}/cmake/cpack_man_gzip.cmake)
include(CPack)
