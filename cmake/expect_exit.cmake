# Runs PROG with ARGS (a ;-list) and fails unless it exits with EXPECT and,
# when MATCH is given, prints MATCH. Used for the --help and bad-argument tests.
execute_process(COMMAND ${PROG} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL "${EXPECT}")
  message(FATAL_ERROR "${PROG} ${ARGS}: exit code ${rc}, expected ${EXPECT}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(DEFINED MATCH AND NOT "${out}${err}" MATCHES "${MATCH}")
  message(FATAL_ERROR "${PROG} ${ARGS}: output does not contain '${MATCH}'\n${out}${err}")
endif()
message(STATUS "${PROG} ${ARGS}: exit ${rc} as expected")
