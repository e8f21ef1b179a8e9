/* SPDX-License-Identifier: BSD-3-Clause */
/* Captured parser messages for the config tests. See unit.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "test/unit/unit.h"

static char *msgs;
static size_t msgs_len;

FILE *
lb_test_msgs_begin(void)
{
	free(msgs);
	msgs = NULL;
	return open_memstream(&msgs, &msgs_len);
}

const char *
lb_test_msgs(void)
{
	return msgs != NULL ? msgs : "";
}

int
lb_test_has_msg(const char *needle)
{
	if (msgs != NULL && strstr(msgs, needle) != NULL)
		return 1;
	fprintf(stderr, "\nexpected \"%s\" in:\n%s", needle, lb_test_msgs());
	return 0;
}

void
lb_test_msgs_free(void)
{
	free(msgs);
	msgs = NULL;
}

void
lb_test_expect_error(lb_test_parse_fn parse, const char *text, const char *needle)
{
	struct lb_config *cfg = malloc(sizeof(*cfg));	/* large: not on the stack */

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(parse(text, cfg, NULL), -EINVAL);
	CU_ASSERT(lb_test_has_msg(needle));
	free(cfg);
}
