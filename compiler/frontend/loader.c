/* Reading a rules file: the whole YAML stream is parsed first (so a syntax
 * error keeps nothing from the file), then each document's items are read in
 * order and applied to the rule set. */
#include "loader_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* File names live as long as the rule set: positions point at them. */
static const char *intern_file(sgc_ruleset *rs, const char *name)
{
    for (int i = 0; i < rs->nfiles; i++)
        if (!strcmp(rs->files[i], name)) return rs->files[i];
    rs->files = realloc(rs->files, (size_t)(rs->nfiles + 1) * sizeof *rs->files);
    rs->files[rs->nfiles] = strdup(name);
    return rs->files[rs->nfiles++];
}

int sgc_ruleset_load_file(sgc_ruleset *rs, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        sgc_diag_add(&rs->diags, SGC_SEV_ERROR, "LOAD_ERR_FILE_READ", path, 0, 0,
                     "Could not read rules file: %s", strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap + 1);
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    bool err = ferror(f);
    fclose(f);
    if (err) {
        sgc_diag_add(&rs->diags, SGC_SEV_ERROR, "LOAD_ERR_FILE_READ", path, 0, 0,
                     "Could not read rules file: read error");
        free(buf);
        return -1;
    }
    int rc = sgc_ruleset_load_buffer(rs, path, buf, len);
    free(buf);
    return rc;
}

static void read_item(sgc_ld *ld, yaml_node_t *item)
{
    ld->item_failed = false;
    if (item->type != YAML_MAPPING_NODE) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", item,
                    "Unexpected element type. Each element should be a yaml associative array.");
        return;
    }
    /* Falco's order of precedence between item kinds */
    if (sgc_ld_get(ld, item, "required_engine_version", NULL))
        sgc_ld_read_engine_version(ld, item);
    else if (sgc_ld_get(ld, item, "required_plugin_versions", NULL))
        sgc_ld_read_plugin_versions(ld, item);
    else if (sgc_ld_get(ld, item, "list", NULL))
        sgc_ld_read_list(ld, item);
    else if (sgc_ld_get(ld, item, "macro", NULL))
        sgc_ld_read_macro(ld, item);
    else if (sgc_ld_get(ld, item, "rule", NULL))
        sgc_ld_read_rule(ld, item);
    else {
        yaml_node_t *k = item->data.mapping.pairs.start < item->data.mapping.pairs.top
                             ? sgc_ld_node(ld, item->data.mapping.pairs.start->key)
                             : NULL;
        const char *kn = sgc_ld_str(k);
        sgc_ld_diag(ld, SGC_SEV_WARNING, "LOAD_UNKNOWN_ITEM", item,
                    "Unknown top level item%s%s%s: ignored", kn ? " '" : "", kn ? kn : "",
                    kn ? "'" : "");
    }
}

static void read_document(sgc_ld *ld, yaml_document_t *doc)
{
    ld->doc = doc;
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root || sgc_ld_is_null(root)) return; /* empty document */
    if (root->type != YAML_SEQUENCE_NODE) {
        sgc_ld_diag(ld, SGC_SEV_ERROR, "LOAD_ERR_YAML_VALIDATE", root,
                    root->type == YAML_MAPPING_NODE ? "Rules content is not yaml array of objects"
                                                    : "Rules content is not yaml");
        return;
    }
    for (int i = 0; i < sgc_ld_seq_len(root); i++) {
        yaml_node_t *item = sgc_ld_seq_at(ld, root, i);
        if (item && !sgc_ld_is_null(item)) read_item(ld, item);
    }
}

int sgc_ruleset_load_buffer(sgc_ruleset *rs, const char *name, const char *buf, size_t len)
{
    sgc_ld ld = {.rs = rs};
    ld.file = intern_file(rs, name ? name : "<buffer>");

    /* 1. parse every document; on a syntax error keep nothing */
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    /* a UTF-8 byte-order mark is skipped here; marks then count from after
     * it, which sgc_yfile accounts for */
    size_t bom = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf + bom, len - bom);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    yaml_document_t *docs = NULL;
    int ndocs = 0;
    int rc = 0;
    for (;;) {
        docs = realloc(docs, (size_t)(ndocs + 1) * sizeof *docs);
        if (!yaml_parser_load(&parser, &docs[ndocs])) {
            sgc_yfile_init(&ld.yf, ld.file, buf, len);
            yaml_mark_t m = parser.problem_mark;
            int line = (int)m.line + 1, col = (int)m.column + 1;
            if (m.index || m.line || m.column) {
                sgc_pos p = {0};
                sgc_yfile_pos(&ld.yf, sgc_yfile_mark_byte(&ld.yf, m), &p.line, &p.col);
                line = p.line;
                col = p.col;
            }
            sgc_diag_add(&rs->diags, SGC_SEV_ERROR, "LOAD_ERR_YAML_PARSE", ld.file, line, col,
                         "%s%s%s", parser.problem ? parser.problem : "invalid YAML",
                         parser.context ? " " : "", parser.context ? parser.context : "");
            sgc_yfile_free(&ld.yf);
            rc = -1;
            break;
        }
        if (!yaml_document_get_root_node(&docs[ndocs])) { /* end of stream */
            yaml_document_delete(&docs[ndocs]);
            break;
        }
        ndocs++;
    }
    yaml_parser_delete(&parser);

    /* 2. read the items */
    if (rc == 0) {
        sgc_yfile_init(&ld.yf, ld.file, buf, len);
        for (int i = 0; i < ndocs; i++) read_document(&ld, &docs[i]);
        sgc_yfile_free(&ld.yf);
        sgc_ld_parse_dirty(rs);
    }
    for (int i = 0; i < ndocs; i++) yaml_document_delete(&docs[i]);
    free(docs);
    return rc;
}
