/* Building natsOptions for the respond/ NATS clients. */
#include "nats_opts.h"

#include <stdio.h>
#include <string.h>

int rp_nats_options(const rp_nats_conf *c, natsOptions **out, char *err, size_t errlen)
{
    natsOptions *o = NULL;
    natsStatus s = natsOptions_Create(&o);
    if (s == NATS_OK && c->nservers)
        s = natsOptions_SetServers(o, (const char **)c->servers, c->nservers);
    bool tls = c->tls.enabled || c->tls.ca || c->tls.cert;
    for (int i = 0; i < c->nservers; i++)
        if (!strncmp(c->servers[i], "tls://", 6)) tls = true;
    if (s == NATS_OK && tls) s = natsOptions_SetSecure(o, true);
    if (s == NATS_OK && c->tls.ca) s = natsOptions_LoadCATrustedCertificates(o, c->tls.ca);
    if (s == NATS_OK && (c->tls.cert || c->tls.key)) {
        if (!c->tls.cert || !c->tls.key) {
            snprintf(err, errlen, "tls needs both cert and key for mutual TLS");
            natsOptions_Destroy(o);
            return -1;
        }
        s = natsOptions_LoadCertificatesChain(o, c->tls.cert, c->tls.key);
    }
    if (s == NATS_OK && c->tls.server_name)
        s = natsOptions_SetExpectedHostname(o, c->tls.server_name);
    if (s == NATS_OK && c->credentials)
        s = natsOptions_SetUserCredentialsFromFiles(o, c->credentials, NULL);
    if (s == NATS_OK && c->user)
        s = natsOptions_SetUserInfo(o, c->user, c->password ? c->password : "");
    if (s == NATS_OK && c->token) s = natsOptions_SetToken(o, c->token);
    if (s == NATS_OK) s = natsOptions_SetMaxReconnect(o, -1);
    if (s == NATS_OK) s = natsOptions_SetReconnectWait(o, 250);
    if (s == NATS_OK) s = natsOptions_SetTimeout(o, 5000);
    if (s != NATS_OK) {
        snprintf(err, errlen, "nats options: %s: %s", natsStatus_GetText(s),
                 nats_GetLastError(NULL));
        natsOptions_Destroy(o);
        return -1;
    }
    *out = o;
    return 0;
}
