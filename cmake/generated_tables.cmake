# System tables derived at build time from the kernel and libc headers
# (package linux-libc-dev and libc6-dev). See cmake/gen_systables.cmake.
#
# Sets SGC_GENERATED_SRC (C files added to sgccore) and SGC_GENERATED_DEPS.

set(SGC_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
set(SGC_SYSTABLE_SETS
  sgc_gen_syscalls sgc_gen_errnos sgc_gen_open_flags sgc_gen_caps sgc_gen_clone_flags
  sgc_gen_socket_families sgc_gen_socket_types sgc_gen_ptrace_requests sgc_gen_mode_bits
  sgc_gen_signals)

# Where the headers live: the multiarch directory first (asm/, bits/), then
# the common one. CMAKE_LIBRARY_ARCHITECTURE is x86_64-linux-gnu on Debian.
set(SGC_SYSTABLE_INCLUDE_DIRS "")
foreach(dir ${CMAKE_C_IMPLICIT_INCLUDE_DIRECTORIES} /usr/include/${CMAKE_LIBRARY_ARCHITECTURE}
            /usr/include)
  if(IS_DIRECTORY ${dir})
    list(APPEND SGC_SYSTABLE_INCLUDE_DIRS ${dir})
  endif()
endforeach()
list(REMOVE_DUPLICATES SGC_SYSTABLE_INCLUDE_DIRS)

# Headers the generator reads, so that a header upgrade regenerates the tables.
set(SGC_SYSTABLE_HEADERS "")
foreach(rel asm/unistd_64.h asm-generic/errno-base.h asm-generic/errno.h bits/errno.h
            asm-generic/fcntl.h linux/capability.h linux/sched.h bits/socket.h
            bits/socket_type.h linux/ptrace.h asm/ptrace-abi.h linux/stat.h
            bits/signum-generic.h bits/signum-arch.h)
  set(found "")
  foreach(dir ${SGC_SYSTABLE_INCLUDE_DIRS})
    if(NOT found AND EXISTS ${dir}/${rel})
      set(found ${dir}/${rel})
    endif()
  endforeach()
  if(NOT found)
    message(FATAL_ERROR "sgc: system header ${rel} not found (install linux-libc-dev and libc6-dev)")
  endif()
  list(APPEND SGC_SYSTABLE_HEADERS ${found})
endforeach()

set(SGC_GENERATED_SRC "")
foreach(set ${SGC_SYSTABLE_SETS})
  list(APPEND SGC_GENERATED_SRC ${SGC_GEN_DIR}/${set}.c)
endforeach()

# Lists cannot cross the command line intact: join with "|".
string(REPLACE ";" "|" _sgc_inc_arg "${SGC_SYSTABLE_INCLUDE_DIRS}")
add_custom_command(
  OUTPUT ${SGC_GENERATED_SRC}
  COMMAND ${CMAKE_COMMAND} -DOUT_DIR=${SGC_GEN_DIR} "-DINCLUDE_DIRS=${_sgc_inc_arg}"
          -P ${CMAKE_SOURCE_DIR}/cmake/gen_systables.cmake
  DEPENDS ${CMAKE_SOURCE_DIR}/cmake/gen_systables.cmake ${SGC_SYSTABLE_HEADERS}
  COMMENT "Generating system tables from the kernel and libc headers"
  VERBATIM)
add_custom_target(sgc_systables DEPENDS ${SGC_GENERATED_SRC})
set(SGC_GENERATED_DEPS sgc_systables)

# docs/fields.md is generated from the catalog and committed; regenerate with
#   cmake --build BUILD --target docs-fields
# (tests/scripts/fields_doc.sh fails when the committed page is stale).
add_custom_target(docs-fields
  COMMAND $<TARGET_FILE:sgc> list-fields --markdown > ${CMAKE_SOURCE_DIR}/docs/fields.md
  COMMENT "Writing docs/fields.md from the field catalog"
  VERBATIM)
add_dependencies(docs-fields sgc)
