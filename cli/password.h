/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CLI_PASSWORD_H
#define LB_CLI_PASSWORD_H

/*
 * The CLI password, stored hashed in the config as
 * "sha256$SALT$DIGEST": SALT 16 random bytes and DIGEST the SHA-256 of
 * salt followed by the password, both lowercase hex (libcrypto).
 * `dplb --hash-password` prints one for a password read from stdin.
 */
#include <stdbool.h>
#include <stddef.h>

#define LB_CLI_HASH_LEN (7 + 32 + 1 + 64)	/* "sha256$" salt "$" digest */

/* True when s has the form sha256$<32 hex>$<64 hex>. Pure. */
bool lb_cli_hash_valid(const char *s);

/* Hash password with a new random salt into out (> LB_CLI_HASH_LEN). 0 or -EIO. */
int lb_cli_hash_new(const char *password, char *out, size_t len);

/* True when password matches hash (a constant-time compare). */
bool lb_cli_password_ok(const char *hash, const char *password);

#endif
