/*
 * pwcost.h - the cost of every argon2id password hash: tongband's accounts
 * and the client's copy for offline login (libsodium crypto_pwhash_str).
 *
 * 19 MiB of memory, 2 passes, one lane: the first of the OWASP Password
 * Storage Cheat Sheet's argon2id settings.  libsodium's "interactive" cost
 * (64 MiB) took 85 ms a check on a 2-core PC, most of an online login and
 * 64 MiB on a low-end machine for each one; this one takes about 17 ms.
 * A hash made at another cost still verifies; tongband makes it again at
 * this cost at the account's next successful login.
 */
#ifndef TB_CORE_PWCOST_H
#define TB_CORE_PWCOST_H

#define TB_PWHASH_OPSLIMIT 2u
#define TB_PWHASH_MEMLIMIT (19456u * 1024u)

#endif
