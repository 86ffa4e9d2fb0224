/* The artifact: round trip of the corpus rule sets (rules, resolved
 * conditions, engine verdicts, maps, BPF object), and refusal of damaged
 * files: a flipped byte in every region, truncation at many offsets, a
 * wrong version, trailing bytes, crafted manifests with valid checksums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <asm/unistd_64.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "artifact.h"
#include "artifact_build.h"
#include "artifact_bytes.h"
#include "cache.h"
#include "eval_fixture.h"
#include "frontend.h"
#include "loader.h"

#define N(a) ((int)(sizeof(a) / sizeof(a)[0]))

static const char *const corpus[] = {"falco_rules.yaml", "falco-incubating_rules.yaml",
                                     "falco-sandbox_rules.yaml"};

typedef struct built {
    const char *files[3];
    int nfiles;
    sgc_frontend fe;
    sgc_artifact *a;
    uint8_t *bytes;
    size_t len;
} built;

static void build(built *b, int first, int nfiles, bool no_pushdown)
{
    static char paths[3][1024];
    memset(b, 0, sizeof *b);
    for (int i = 0; i < nfiles; i++) {
        snprintf(paths[first + i], sizeof paths[0], "%s/%s", SGC_CORPUS_DIR, corpus[first + i]);
        b->files[i] = paths[first + i];
    }
    b->nfiles = nfiles;
    sgc_frontend_opts fo = {0};
    assert_int_equal(sgc_frontend_run(&b->fe, b->files, nfiles, &fo), 0);
    sgc_artifact_build_opts bo = {0};
    bo.no_pushdown = no_pushdown;
    char err[1024] = "";
    b->a = sgc_artifact_build(&b->fe, b->files, nfiles, &bo, NULL, err, sizeof err);
    if (!b->a) fail_msg("build: %s", err);
    assert_int_equal(sgc_artifact_serialize(b->a, &b->bytes, &b->len, err, sizeof err), 0);
}

static void unbuild(built *b)
{
    sgc_artifact_free(b->a);
    sgc_frontend_free(&b->fe);
    free(b->bytes);
}

static void assert_str_eq_or_null(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

/* The read-back artifact and the rule set rebuilt from it say what the
 * front end said. */
static void check_roundtrip(built *b)
{
    char err[1024] = "";
    sgc_artifact *back = sgc_artifact_parse(b->bytes, b->len, err, sizeof err);
    if (!back) fail_msg("parse: %s", err);
    const sgc_ruleset *rs = b->fe.rs;
    assert_int_equal(back->nrules, rs->nrules);
    assert_int_equal(back->flags, b->a->flags);
    assert_int_equal(back->cand_words, b->a->cand_words);
    assert_int_equal(back->nsyscalls, b->a->nsyscalls);
    assert_memory_equal(back->syscalls, b->a->syscalls, sizeof(int) * (size_t)back->nsyscalls);
    assert_int_equal(back->bpf_obj_size, b->a->bpf_obj_size);
    assert_memory_equal(back->bpf_obj, b->a->bpf_obj, back->bpf_obj_size);
    assert_int_equal(back->nmaps, b->a->nmaps);
    for (int i = 0; i < back->nmaps; i++) {
        const sgc_artifact_map *x = &back->maps[i], *y = &b->a->maps[i];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->nentries, y->nentries);
        assert_int_equal(x->key_size, y->key_size);
        assert_int_equal(x->value_size, y->value_size);
        assert_null(x->data); /* read back: the stored (packed) form */
        size_t rec = (size_t)x->key_size + x->value_size;
        uint8_t *rx = malloc(rec), *ry = malloc(rec);
        sgc_artifact_map_iter ix, iy;
        sgc_artifact_map_iter_init(&ix, x);
        sgc_artifact_map_iter_init(&iy, y);
        uint32_t n = 0;
        while (sgc_artifact_map_next(&ix, rx, rx + x->key_size)) {
            assert_true(sgc_artifact_map_next(&iy, ry, ry + y->key_size));
            assert_memory_equal(rx, ry, rec);
            n++;
        }
        assert_false(sgc_artifact_map_next(&iy, ry, ry + y->key_size));
        assert_int_equal(n, x->nentries);
        free(rx);
        free(ry);
    }
    /* the named lists (the LISTS section): read back packed */
    assert_int_equal(back->nlists, b->a->nlists);
    for (int i = 0; i < back->nlists; i++) {
        const sgc_artifact_list *x = &back->lists[i], *y = &b->a->lists[i];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->nitems, y->nitems);
        assert_non_null(x->pack);
        assert_null(x->items);
        for (int k = 0; k < x->nitems; k++) {
            sgc_value tmp;
            const sgc_value *it = sgc_list_item(&(sgc_value){.pack = x->pack}, k, &tmp);
            assert_string_equal(it->str, y->items[k]);
            assert_int_equal(it->quoted, y->quoted[k]);
        }
    }
    assert_int_equal(back->ninputs, b->nfiles);
    for (int i = 0; i < b->nfiles; i++) {
        char h[65];
        assert_int_equal(sgc_file_sha256(b->files[i], h, NULL), 0);
        assert_string_equal(back->inputs[i].sha256, h);
        assert_string_equal(back->inputs[i].name, b->files[i]);
    }

    sgc_ruleset *rebuilt = sgc_artifact_ruleset(back, err, sizeof err);
    if (!rebuilt) fail_msg("rebuild: %s", err);
    assert_int_equal(rebuilt->nrules, rs->nrules);
    int with_condition = 0;
    for (int i = 0; i < rs->nrules; i++) {
        const sgc_rule *x = rs->rules[i], *y = rebuilt->rules[i];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->priority, y->priority);
        assert_int_equal(x->enabled, y->enabled);
        assert_int_equal(y->index, i);
        assert_str_eq_or_null(x->output_src ? x->output_src->text : NULL,
                              y->output_src ? y->output_src->text : NULL);
        assert_str_eq_or_null(x->desc, y->desc);
        assert_int_equal(x->ntags, y->ntags);
        for (int t = 0; t < x->ntags; t++) assert_string_equal(x->tags[t], y->tags[t]);
        assert_int_equal(x->resolved != NULL, y->resolved != NULL);
        if (!x->resolved) continue;
        with_condition++;
        char *cx = sgc_node_to_condition(x->resolved), *cy = sgc_node_to_condition(y->resolved);
        assert_string_equal(cx, cy);
        free(cx);
        free(cy);
        /* the structure too, not only the rendering */
        char *sx = sgc_node_to_sexpr(x->resolved), *sy = sgc_node_to_sexpr(y->resolved);
        if (strcmp(sx, sy))
            fail_msg("rule '%s': resolved tree differs after the round trip:\n  %s\n  %s", x->name,
                     sx, sy);
        free(sx);
        free(sy);
    }
    assert_true(with_condition > 10);
    sgc_ruleset_free(rebuilt);
    sgc_artifact_free(back);
}

static void test_roundtrip_each_corpus_file(void **state)
{
    for (int f = 0; f < 3; f++) {
        built b;
        build(&b, f, 1, true);
        check_roundtrip(&b);
        unbuild(&b);
    }
}

static void test_roundtrip_union_with_pushdown(void **state)
{
    if (!sgc_bpf_find_clang(NULL)) skip();
    built b;
    build(&b, 0, 3, false);
    assert_true(b.a->flags & SGC_ARTF_PUSHDOWN);
    assert_true(b.a->cand_words >= 1);
    assert_true(b.a->nmaps >= 1);
    assert_true(b.a->nsyscalls > 10);
    check_roundtrip(&b);
    unbuild(&b);
}

/* ---- engine verdicts: the rebuilt rule set matches what the original does */

typedef struct {
    int n;
    const char *names[64];
} hits;

static void on_match(const sgc_rule *r, sgc_extract_ctx *cx, void *ud)
{
    hits *h = ud;
    if (h->n < 64) h->names[h->n++] = r->name;
}

static const char *const paths[] = {"/etc/shadow",
                                    "/etc/passwd",
                                    "/etc/sudoers.d/x",
                                    "/root/.bash_history",
                                    "/usr/bin/ls",
                                    "/bin/sh",
                                    "/tmp/x",
                                    "/dev/shm/a",
                                    "/home/u/.ssh/authorized_keys",
                                    "../etc/shadow",
                                    "/etc/cron.d/x",
                                    "/root/.ssh/id_rsa",
                                    "/var/run/docker.sock",
                                    "/proc/1/environ"};
static const char *const comms[] = {"bash", "sshd", "cat", "python3", "nginx", "sudo", "curl"};

static void test_engine_verdicts_survive(void **state)
{
    built b;
    build(&b, 0, 3, true);
    char err[1024] = "";
    sgc_artifact *back = sgc_artifact_parse(b.bytes, b.len, err, sizeof err);
    assert_non_null(back);
    sgc_ruleset *rebuilt = sgc_artifact_ruleset(back, err, sizeof err);
    assert_non_null(rebuilt);

    sgc_engine_opts o = sgc_engine_default_opts();
    o.mode = SGC_MATCH_ALL;
    o.ignore_candidates = true;
    sgc_engine *e1 = sgc_engine_build(b.fe.rs, &o, NULL), *e2 = sgc_engine_build(rebuilt, &o, NULL);
    assert_int_equal(sgc_engine_nrules(e1), sgc_engine_nrules(e2));
    /* as sgc run does once the engine is built: the conditions, the lists
     * and the artifact's texts go; the engine's sets keep the packed lists */
    assert_true(back->nlists > 0);
    sgc_artifact_ruleset_drop_conditions(rebuilt);
    sgc_artifact_drop_lists(back);
    sgc_artifact_drop_rule_texts(back);
    for (int i = 0; i < rebuilt->nrules; i++) {
        assert_null(rebuilt->rules[i]->resolved);
        assert_null(rebuilt->rules[i]->cond_src);
        assert_non_null(rebuilt->rules[i]->name);
    }
    sgc_proctable *pt1 = sgc_proctable_new(NULL), *pt2 = sgc_proctable_new(NULL);
    sgc_arena arena;
    sgc_arena_init(&arena, 0);
    static fx_event E;
    static const int nrs[] = {__NR_openat,     __NR_open,   __NR_connect,   __NR_socket,
                              __NR_ptrace,     __NR_execve, __NR_symlinkat, __NR_linkat,
                              __NR_dup2,       __NR_setuid, __NR_unlinkat,  __NR_memfd_create,
                              __NR_init_module};
    srand(7);
    long matches = 0;
    for (int it = 0; it < 20000; it++) {
        int nr = nrs[rand() % N(nrs)];
        struct sgc_event_hdr *h = fx_begin(&E, SGC_REC_SYSCALL, (uint32_t)nr,
                                           rand() % 4 == 0 ? -(rand() % 20) : rand() % 5);
        h->uid = h->euid = rand() % 3 ? 0 : 1000;
        h->pid = h->tid = (uint32_t)(100 + rand() % 50);
        snprintf(h->comm, sizeof h->comm, "%s", comms[rand() % N(comms)]);
        snprintf(h->pcomm, sizeof h->pcomm, "%s", comms[rand() % N(comms)]);
        for (int a = 0; a < SGC_NARGS; a++)
            h->args[a] = rand() % 2 ? (uint64_t)(rand() % 8) : (uint64_t)rand();
        if (rand() % 2)
            h->args[2] = (uint64_t)(rand() % 2 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC);
        for (int a = 0; a < 3; a++)
            if (rand() % 2) fx_str(&E, SGC_BLOB_ARG0 + (unsigned)a, paths[rand() % N(paths)]);
        if (nr == __NR_connect && rand() % 2)
            fx_tuple(&E, AF_INET, IPPROTO_TCP, "10.0.0.1", 40000, "169.254.169.254", 80);
        const sgc_evt *ev = fx_done(&E);

        hits h1 = {0}, h2 = {0};
        sgc_extract_ctx cx;
        sgc_arena_reset(&arena);
        memset(&cx, 0, sizeof cx);
        cx.scratch = &arena;
        cx.pt = pt1;
        sgc_extract_ctx_reset(&cx, ev, sgc_proctable_apply(pt1, ev));
        sgc_engine_match(e1, &cx, on_match, &h1);
        sgc_arena_reset(&arena);
        memset(&cx, 0, sizeof cx);
        cx.scratch = &arena;
        cx.pt = pt2;
        sgc_extract_ctx_reset(&cx, ev, sgc_proctable_apply(pt2, ev));
        sgc_engine_match(e2, &cx, on_match, &h2);
        assert_int_equal(h1.n, h2.n);
        for (int i = 0; i < h1.n; i++) assert_string_equal(h1.names[i], h2.names[i]);
        matches += h1.n;
    }
    assert_true(matches > 100); /* the sample exercises the rules */
    sgc_arena_free(&arena);
    sgc_proctable_free(pt1);
    sgc_proctable_free(pt2);
    sgc_engine_free(e1);
    sgc_engine_free(e2);
    sgc_ruleset_free(rebuilt);
    sgc_artifact_free(back);
    unbuild(&b);
}

/* ---- damaged files -------------------------------------------------------- */

static void expect_refused(const uint8_t *p, size_t len, const char *msg_part)
{
    char err[1024] = "";
    sgc_artifact *a = sgc_artifact_parse(p, len, err, sizeof err);
    if (a) fail_msg("accepted a damaged artifact (expected: %s)", msg_part);
    if (!strstr(err, msg_part)) fail_msg("message '%s' does not say '%s'", err, msg_part);
}

/* Fix both checksums and the total size after an edit (a crafted file). */
static void reseal(uint8_t *p, size_t len)
{
    sgc_put_le64(p + 24, len);
    sgc_put_le32(p + 32, sgc_crc32(p + SGC_ARTIFACT_HEADER_SIZE, len - SGC_ARTIFACT_HEADER_SIZE));
    sgc_put_le32(p + 36, sgc_crc32(p, 36));
}

static void small_rules_artifact(built *b) { build(b, 0, 1, true); }

static void test_flipped_byte_in_every_region(void **state)
{
    built b;
    small_rules_artifact(&b);
    uint8_t *p = malloc(b.len);
    /* the header, byte by byte */
    for (size_t off = 0; off < SGC_ARTIFACT_HEADER_SIZE; off++) {
        memcpy(p, b.bytes, b.len);
        p[off] ^= 0x5a;
        expect_refused(p, b.len,
                       off < 8    ? "bad magic"
                       : off < 12 ? "unsupported artifact format version"
                                  : "header checksum mismatch");
    }
    /* the section table and every section: first, last and spread bytes */
    uint32_t nsec = sgc_le32(b.bytes + 16);
    for (uint32_t s = 0; s < nsec; s++) {
        const uint8_t *e = b.bytes + SGC_ARTIFACT_HEADER_SIZE + 24 * s;
        for (int k = 0; k < 24; k++) {
            memcpy(p, b.bytes, b.len);
            p[e - b.bytes + k] ^= 0x01;
            expect_refused(p, b.len, "checksum mismatch");
        }
        uint64_t off = sgc_le64(e + 8), size = sgc_le64(e + 16);
        assert_true(size > 0);
        for (int k = 0; k <= 64; k++) {
            size_t at = (size_t)(off + (size - 1) * (uint64_t)k / 64);
            memcpy(p, b.bytes, b.len);
            p[at] ^= 0x80;
            expect_refused(p, b.len, "artifact corrupt: checksum mismatch");
        }
    }
    free(p);
    unbuild(&b);
}

static void test_truncated_at_many_offsets(void **state)
{
    built b;
    small_rules_artifact(&b);
    char want[128];
    for (size_t len = 0; len < b.len; len += len < 128 ? 1 : b.len / 300 + 1) {
        if (len < SGC_ARTIFACT_HEADER_SIZE)
            snprintf(want, sizeof want, "artifact truncated: expected at least %d bytes, got %zu",
                     SGC_ARTIFACT_HEADER_SIZE, len);
        else
            snprintf(want, sizeof want, "artifact truncated: expected %zu bytes, got %zu", b.len,
                     len);
        expect_refused(b.bytes, len, want);
    }
    expect_refused(b.bytes, b.len - 1, "artifact truncated");
    unbuild(&b);
}

static void test_wrong_version_names_both(void **state)
{
    built b;
    small_rules_artifact(&b);
    uint8_t *p = malloc(b.len);
    memcpy(p, b.bytes, b.len);
    sgc_put_le32(p + 8, SGC_ARTIFACT_VERSION + 1);
    reseal(p, b.len);
    char want[128];
    snprintf(want, sizeof want,
             "unsupported artifact format version %d (this sgc reads version %d)",
             SGC_ARTIFACT_VERSION + 1, SGC_ARTIFACT_VERSION);
    expect_refused(p, b.len, want);
    free(p);
    unbuild(&b);
}

static void test_trailing_bytes_refused(void **state)
{
    built b;
    small_rules_artifact(&b);
    uint8_t *p = calloc(1, b.len + 5);
    memcpy(p, b.bytes, b.len);
    expect_refused(p, b.len + 5, "5 bytes of trailing data");
    free(p);
    unbuild(&b);
}

/* Valid checksums over bad contents: the parser's own checks. */
static void test_crafted_contents_refused(void **state)
{
    built b;
    small_rules_artifact(&b);
    char err[1024];
    uint8_t *p;
    size_t len;
    sgc_artifact *a = b.a;

    /* a candidate bit out of order */
    a->rules[1].bit += 1;
    assert_int_equal(sgc_artifact_serialize(a, &p, &len, err, sizeof err), 0);
    expect_refused(p, len, "candidate bit out of order");
    free(p);
    a->rules[1].bit -= 1;

    /* records of another event layout */
    a->event_version += 1;
    assert_int_equal(sgc_artifact_serialize(a, &p, &len, err, sizeof err), 0);
    expect_refused(p, len, "recompile the rules");
    free(p);
    a->event_version -= 1;

    /* the BPF object is not ELF */
    a->bpf_obj[1] ^= 0xff;
    assert_int_equal(sgc_artifact_serialize(a, &p, &len, err, sizeof err), 0);
    expect_refused(p, len, "not an ELF file");
    free(p);
    a->bpf_obj[1] ^= 0xff;

    /* a manifest that is not JSON, sealed */
    assert_int_equal(sgc_artifact_serialize(a, &p, &len, err, sizeof err), 0);
    const uint8_t *e = p + SGC_ARTIFACT_HEADER_SIZE + 24; /* section 2: the manifest */
    assert_int_equal(sgc_le32(e), SGC_ARTS_MANIFEST);
    p[sgc_le64(e + 8)] = '[';
    p[sgc_le64(e + 8) + 1] = '[';
    reseal(p, len);
    expect_refused(p, len, "manifest is not valid JSON");
    free(p);
    /* a list item longer than the lists section */
    assert_true(a->nlists > 0);
    assert_int_equal(sgc_artifact_serialize(a, &p, &len, err, sizeof err), 0);
    e = p + SGC_ARTIFACT_HEADER_SIZE + 3 * 24; /* section 4: the lists */
    assert_int_equal(sgc_le32(e), SGC_ARTS_LISTS);
    uint8_t *l0 = p + sgc_le64(e + 8) + 4;               /* after the list count */
    sgc_put_le32(l0 + 4 + sgc_le32(l0) + 4, 0x7fffffff); /* item 0's length */
    reseal(p, len);
    expect_refused(p, len, "a bad item in list 0 of the lists section");
    free(p);
    /* a section that points outside the file */
    assert_int_equal(sgc_artifact_serialize(a, &p, &len, err, sizeof err), 0);
    sgc_put_le64(p + SGC_ARTIFACT_HEADER_SIZE + 24 + 16, (uint64_t)len);
    reseal(p, len);
    expect_refused(p, len, "lies outside the file");
    free(p);

    /* conditions that no longer load: read, but no rule set is built */
    static const struct {
        const char *cond, *why;
    } broken[] = {
        {"proc.name = (", "stored condition does not load"},
        {"proc.name = bash and some_macro", "unexpanded macro 'some_macro'"},
        /* a list the artifact does not store (the lists it stores load) */
        {"proc.name in no_such_list_i18", "unexpanded list 'no_such_list_i18'"},
        {"proc.no_such_field = bash", "stored condition does not load"},
    };
    char *saved = a->rules[0].condition;
    for (int i = 0; i < N(broken); i++) {
        a->rules[0].condition = (char *)broken[i].cond;
        assert_int_equal(sgc_artifact_serialize(a, &p, &len, err, sizeof err), 0);
        sgc_artifact *back = sgc_artifact_parse(p, len, err, sizeof err);
        assert_non_null(back);
        sgc_ruleset *rs = sgc_artifact_ruleset(back, err, sizeof err);
        assert_null(rs);
        assert_non_null(strstr(err, a->rules[0].name));
        if (!strstr(err, broken[i].why))
            fail_msg("'%s' refused with '%s', expected '%s'", broken[i].cond, err, broken[i].why);
        sgc_artifact_free(back);
        free(p);
    }
    a->rules[0].condition = saved;
    unbuild(&b);
}

/* Constants of a resolved condition print as bare true/false and come
 * back as constants, not as macro references. */
static void test_constants_come_back(void **state)
{
    built b;
    small_rules_artifact(&b);
    char err[1024];
    uint8_t *p;
    size_t len;
    char *saved = b.a->rules[0].condition;
    b.a->rules[0].condition = "proc.name = bash and not false or true";
    assert_int_equal(sgc_artifact_serialize(b.a, &p, &len, err, sizeof err), 0);
    b.a->rules[0].condition = saved;
    sgc_artifact *back = sgc_artifact_parse(p, len, err, sizeof err);
    assert_non_null(back);
    sgc_ruleset *rs = sgc_artifact_ruleset(back, err, sizeof err);
    if (!rs) fail_msg("%s", err);
    char *sx = sgc_node_to_sexpr(rs->rules[0]->resolved);
    assert_string_equal(sx, "(or (and (= proc.name \"bash\") (not (const false))) (const true))");
    free(sx);
    sgc_ruleset_free(rs);
    sgc_artifact_free(back);
    free(p);
    unbuild(&b);
}

static void test_files_and_sniffing(void **state)
{
    built b;
    small_rules_artifact(&b);
    char dir[] = "/tmp/sgc-art-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], yaml[256], missing[256];
    snprintf(path, sizeof path, "%s/rules.sgca", dir);
    snprintf(yaml, sizeof yaml, "%s/rules.yaml", dir);
    snprintf(missing, sizeof missing, "%s/no/such/dir/x.sgca", dir);
    char err[1024];
    assert_int_equal(sgc_artifact_write(b.a, path, err, sizeof err), 0);
    assert_int_equal(sgc_artifact_is_artifact(path), 1);
    FILE *f = fopen(yaml, "w");
    fputs("- rule: x\n", f);
    fclose(f);
    assert_int_equal(sgc_artifact_is_artifact(yaml), 0);
    assert_int_equal(sgc_artifact_is_artifact(missing), 0);
    sgc_artifact *a = sgc_artifact_read(path, err, sizeof err);
    assert_non_null(a);
    sgc_artifact_free(a);
    assert_null(sgc_artifact_read(yaml, err, sizeof err));
    assert_non_null(strstr(err, "bad magic"));
    /* a failed write leaves nothing behind */
    assert_int_equal(sgc_artifact_write(b.a, missing, err, sizeof err), -1);
    assert_int_equal(access(missing, F_OK), -1);
    unlink(path);
    unlink(yaml);
    rmdir(dir);
    unbuild(&b);
}

/* The compile cache: a miss compiles and stores, a hit reads, a changed
 * file or a damaged entry compiles again, rule errors store nothing. */
static void test_cache(void **state)
{
    char dir[] = "/tmp/sgc-cache-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cache_dir[256], rules[256], bad[256];
    snprintf(cache_dir, sizeof cache_dir, "%s/cache/sgc", dir);
    snprintf(rules, sizeof rules, "%s/r.yaml", dir);
    snprintf(bad, sizeof bad, "%s/bad.yaml", dir);
    FILE *f = fopen(rules, "w");
    fputs("- rule: R\n  desc: d\n  condition: evt.type = openat and fd.name = /etc/shadow\n"
          "  output: o %fd.name\n  priority: WARNING\n",
          f);
    fclose(f);
    f = fopen(bad, "w");
    fputs("- rule: B\n  desc: d\n  condition: proc.name = (\n  output: o\n  priority: WARNING\n",
          f);
    fclose(f);
    FILE *devnull = fopen("/dev/null", "w");
    sgc_cache_opts o = {.dir = cache_dir, .diag_out = devnull};
    o.build.no_pushdown = true;
    const char *files[] = {rules};
    sgc_cache_result res;
    char err[1024];

    sgc_artifact *a = sgc_cache_load(files, 1, &o, &res, err, sizeof err);
    assert_non_null(a);
    assert_false(res.hit);
    assert_true(res.stored);
    assert_int_equal(access(res.path, R_OK), 0);
    char first[4096];
    snprintf(first, sizeof first, "%s", res.path);
    sgc_artifact_free(a);

    a = sgc_cache_load(files, 1, &o, &res, err, sizeof err);
    assert_non_null(a);
    assert_true(res.hit);
    assert_string_equal(res.path, first);
    assert_string_equal(a->rules[0].name, "R");
    sgc_artifact_free(a);

    /* a damaged entry is rebuilt in place */
    f = fopen(first, "r+b");
    fseek(f, 100, SEEK_SET);
    fputc('X', f);
    fclose(f);
    a = sgc_cache_load(files, 1, &o, &res, err, sizeof err);
    assert_non_null(a);
    assert_false(res.hit);
    assert_true(res.stored);
    sgc_artifact_free(a);
    a = sgc_artifact_read(first, err, sizeof err);
    assert_non_null(a);
    sgc_artifact_free(a);

    /* a changed rules file is another key */
    f = fopen(rules, "a");
    fputs("  tags: [x]\n", f);
    fclose(f);
    a = sgc_cache_load(files, 1, &o, &res, err, sizeof err);
    assert_non_null(a);
    assert_false(res.hit);
    assert_string_not_equal(res.path, first);
    assert_int_equal(a->rules[0].ntags, 1);
    sgc_artifact_free(a);

    /* rule errors: refused, nothing stored */
    const char *badfiles[] = {bad};
    char key[65], path[512];
    assert_int_equal(sgc_cache_key(badfiles, 1, true, key), 0);
    snprintf(path, sizeof path, "%s/%s.sgca", cache_dir, key);
    assert_null(sgc_cache_load(badfiles, 1, &o, &res, err, sizeof err));
    assert_non_null(strstr(err, "error"));
    assert_int_equal(access(path, F_OK), -1);

    /* the same through a compiling child: stored by it, read back here */
    o.compile_in_child = true;
    f = fopen(rules, "a");
    fputs("  enabled: true\n", f);
    fclose(f);
    a = sgc_cache_load(files, 1, &o, &res, err, sizeof err);
    assert_non_null(a);
    assert_false(res.hit);
    assert_true(res.stored);
    assert_string_equal(a->rules[0].name, "R");
    sgc_artifact_free(a);
    a = sgc_cache_load(files, 1, &o, &res, err, sizeof err);
    assert_non_null(a);
    assert_true(res.hit);
    sgc_artifact_free(a);
    err[0] = 0;
    assert_null(sgc_cache_load(badfiles, 1, &o, &res, err, sizeof err));
    assert_non_null(strstr(err, "error"));
    assert_int_equal(access(path, F_OK), -1);
    fclose(devnull);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_each_corpus_file),
        cmocka_unit_test(test_roundtrip_union_with_pushdown),
        cmocka_unit_test(test_engine_verdicts_survive),
        cmocka_unit_test(test_flipped_byte_in_every_region),
        cmocka_unit_test(test_truncated_at_many_offsets),
        cmocka_unit_test(test_wrong_version_names_both),
        cmocka_unit_test(test_trailing_bytes_refused),
        cmocka_unit_test(test_crafted_contents_refused),
        cmocka_unit_test(test_constants_come_back),
        cmocka_unit_test(test_files_and_sniffing),
        cmocka_unit_test(test_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
