/* SPDX-License-Identifier: BSD-3-Clause */
/* Salted SHA-256 CLI passwords. See password.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "cli/password.h"

static bool
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

bool
lb_cli_hash_valid(const char *s)
{
	return strlen(s) == LB_CLI_HASH_LEN && strncmp(s, "sha256$", 7) == 0 &&
	       is_hex(s + 7, 32) && s[39] == '$' && is_hex(s + 40, 64);
}

/* hex of SHA-256(salt bytes || password) into out (65 bytes). */
static int
digest(const char *salt_hex, const char *password, char *out)
{
	unsigned char salt[16], md[32];
	unsigned int i, mdlen = 0;
	EVP_MD_CTX *ctx;
	int ok;

	for (i = 0; i < 16; i++)
		if (sscanf(salt_hex + 2 * i, "%2hhx", &salt[i]) != 1)
			return -EINVAL;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, salt, sizeof(salt)) &&
	     EVP_DigestUpdate(ctx, password, strlen(password)) &&
	     EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (!ok || mdlen != 32)
		return -EIO;
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int
lb_cli_hash_new(const char *password, char *out, size_t len)
{
	unsigned char salt[16];
	char salt_hex[33], md[65];
	unsigned int i;

	if (len <= LB_CLI_HASH_LEN || RAND_bytes(salt, sizeof(salt)) != 1)
		return -EIO;
	for (i = 0; i < 16; i++)
		snprintf(salt_hex + 2 * i, 3, "%02x", salt[i]);
	if (digest(salt_hex, password, md) != 0)
		return -EIO;
	snprintf(out, len, "sha256$%s$%s", salt_hex, md);
	return 0;
}

bool
lb_cli_password_ok(const char *hash, const char *password)
{
	char md[65];

	if (!lb_cli_hash_valid(hash) || digest(hash + 7, password, md) != 0)
		return false;
	return CRYPTO_memcmp(md, hash + 40, 64) == 0;
}
