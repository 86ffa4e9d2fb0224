/* The web server of `sgc run` (Falco's `webserver` section), on
 * libmicrohttpd's own thread:
 *   GET <k8s_healthz_endpoint>  (default /healthz)  200 {"status": "ok"}
 *   GET /metrics  Prometheus text format 0.0.4 (with
 *                 prometheus_metrics_enabled): the last snapshot the
 *                 detection thread published (metrics.h), at most ~1 s old.
 * It never touches detection state: it serves copies. Listens on
 * listen_address (default 127.0.0.1) : listen_port (default 8765), over
 * HTTPS with ssl_enabled (the key and certificate in one PEM file, as
 * Falco's ssl_certificate), with `threadiness` threads. */
#ifndef SGC_WEBSERVER_H
#define SGC_WEBSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sgc_webserver sgc_webserver;

typedef struct sgc_webserver_opts {
    const char *address; /* an IP address (v4 or v6) */
    uint16_t port;       /* 0: an ephemeral one */
    const char *healthz_path;
    bool metrics; /* serve /metrics */
    int threads;  /* threadiness: 0 or 1 one thread, n a pool of n */
    /* ssl_enabled: HTTPS with the key and the certificate (chain) read from
     * this one PEM file (Falco's ssl_certificate); NULL: plain HTTP */
    const char *ssl_pem;
} sgc_webserver_opts;

/* NULL with a message when the address is bad, the port is taken or the
 * PEM file cannot be read or used. */
sgc_webserver *sgc_webserver_start(const sgc_webserver_opts *o, char *err, size_t errlen);
/* Replace the /metrics body (copied). */
void sgc_webserver_publish(sgc_webserver *w, const char *text, size_t len);
/* The port actually bound (listen_port 0: an ephemeral one). */
uint16_t sgc_webserver_port(const sgc_webserver *w);
void sgc_webserver_stop(sgc_webserver *w);

#endif
