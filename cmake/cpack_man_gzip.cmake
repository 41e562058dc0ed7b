# CPack runs this after installing into its staging directory and before
# packaging (CPACK_PRE_BUILD_SCRIPTS): man pages in a Debian package are
# compressed with gzip -9n (Debian Policy 12.1), which man reads as well.
file(GLOB_RECURSE pages "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*/share/man/man[1-9]/*.[1-9]")
foreach(page ${pages})
  execute_process(COMMAND gzip -9nf "${page}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed")
  endif()
endforeach()
