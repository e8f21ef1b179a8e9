/* SPDX-License-Identifier: BSD-3-Clause */
/* Captured parser messages for the config tests. See unit.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
