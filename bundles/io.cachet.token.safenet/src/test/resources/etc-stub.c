/*
 * Stand-in for the ETC_* functions of SafeNet's library, for testing how JnaEtcFunctions passes its arguments:
 * each call appends what it received to a log the test reads back through stub_log().
 * CK_ULONG is the platform's unsigned long, as in every PKCS#11 header.
 */
#include <stdio.h>
#include <string.h>

typedef unsigned long CK_ULONG;
typedef unsigned char CK_BYTE;

static char log_text[4096];

static void append(const char *text) {
    strncat(log_text, text, sizeof(log_text) - strlen(log_text) - 1);
}

CK_ULONG ETC_InitTokenInit(CK_ULONG slot, CK_BYTE *pin, CK_ULONG pinLen, CK_ULONG retries, CK_BYTE *label,
        CK_ULONG *session) {
    char line[256];
    snprintf(line, sizeof(line), "init slot=%lu pin=%.*s pinLen=%lu retries=%lu label=[%.32s];", slot,
            pin == NULL ? 6 : (int) pinLen, pin == NULL ? "(null)" : (const char *) pin, pinLen, retries,
            (const char *) label);
    append(line);
    *session = 4242;
    return 0;
}

CK_ULONG ETC_InitPIN(CK_ULONG session, CK_BYTE *pin, CK_ULONG pinLen, CK_ULONG retries, CK_BYTE toBeChanged) {
    char line[256];
    snprintf(line, sizeof(line), "pin session=%lu pin=%.*s retries=%lu change=%u;", session, (int) pinLen,
            (const char *) pin, retries, (unsigned) toBeChanged);
    append(line);
    /* a retry counter of 14 plays a token that refuses the PIN */
    return retries == 14 ? 0xA1 : 0;
}

CK_ULONG ETC_InitTokenFinal(CK_ULONG session) {
    char line[64];
    snprintf(line, sizeof(line), "final session=%lu;", session);
    append(line);
    return 0;
}

const char *stub_log(void) {
    return log_text;
}

void stub_reset(void) {
    log_text[0] = 0;
}
