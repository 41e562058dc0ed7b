# Runs one generator at build time and writes its output to OUT, replacing
# OUT only when the run succeeded:
#   -DSCDOC=scdoc -DIN=page.scd -DOUT=page      a man page (scdoc reads stdin)
#   -DBIN=sentinel -DSHELL_NAME=bash -DOUT=f    `sentinel completion SHELL_NAME`
get_filename_component(out_dir ${OUT} DIRECTORY)
file(MAKE_DIRECTORY ${out_dir})
if(DEFINED SCDOC)
  execute_process(COMMAND ${SCDOC} INPUT_FILE ${IN} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc ERROR_VARIABLE err)
else()
  execute_process(COMMAND ${BIN} completion ${SHELL_NAME} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc ERROR_VARIABLE err)
endif()
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "generating ${OUT} failed (${rc}): ${err}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
