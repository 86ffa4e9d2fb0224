# Embed the default rules (stdlib-rules/*.yaml, concatenated as YAML documents)
# into the binary as a C array, regenerated when a rules file changes.
file(GLOB SGC_STDLIB_RULES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/stdlib-rules/*.yaml)
set(SGC_EMBED_SRC ${CMAKE_BINARY_DIR}/gen/embedded_rules.c)
add_custom_command(
  OUTPUT ${SGC_EMBED_SRC}
  COMMAND ${CMAKE_COMMAND} -DOUT=${SGC_EMBED_SRC} "-DINPUTS=${SGC_STDLIB_RULES}"
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_rules.cmake
  DEPENDS ${SGC_STDLIB_RULES} ${CMAKE_SOURCE_DIR}/cmake/embed_rules.cmake
  COMMENT "Embedding default rules")
