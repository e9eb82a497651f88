# Warnings for the project's own targets. Third-party headers come in through imported targets,
# whose include directories CMake marks as SYSTEM, so their warnings stay out.
function(cdnet_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
  if(CDNET_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
