# sgc_layer(NAME DIR [DEPS lib...] [LIBS lib...] [SOURCES src...]
#           [INCLUDES dir...] [PRIVATE_INCLUDES dir...])
#
# One part of sgc as a static library: the .c files of DIR (relative to the
# source tree) plus SOURCES. DIR (and INCLUDES) are its public include
# directories; DEPS are the sgc layers it may use, LIBS the system libraries.
# Both are linked PUBLIC, so a part sees the headers of the layers below it
# and nothing else: a header of a layer above, or of a sibling it does not
# depend on, is simply not on its include path and fails to compile.
include_guard(GLOBAL)

function(sgc_layer name dir)
  cmake_parse_arguments(L "" "" "DEPS;LIBS;SOURCES;INCLUDES;PRIVATE_INCLUDES" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${dir}/*.c)
  add_library(${name} STATIC ${srcs} ${L_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/${dir} ${L_INCLUDES})
  if(L_PRIVATE_INCLUDES)
    target_include_directories(${name} PRIVATE ${L_PRIVATE_INCLUDES})
  endif()
  target_link_libraries(${name} PUBLIC ${L_DEPS} ${L_LIBS})
  target_compile_options(${name} PRIVATE ${SGC_WARN})
endfunction()
