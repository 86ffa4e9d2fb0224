# Script mode: write OUT as a C file holding the concatenation of INPUTS.
set(content "")
foreach(f ${INPUTS})
  file(READ ${f} text HEX)
  string(APPEND content "${text}")
  # separate files as YAML documents
  string(APPEND content "0a2d2d2d0a")
endforeach()
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
string(LENGTH "${content}" hexlen)
math(EXPR len "${hexlen} / 2")
file(WRITE ${OUT} "/* generated from stdlib-rules/: do not edit */\n"
  "const char sgc_embedded_rules[] = {${bytes} 0};\n"
  "const unsigned long sgc_embedded_rules_len = ${len};\n"
  "const char sgc_embedded_rules_name[] = \"<embedded>/stdlib-rules.yaml\";\n")
