/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CONFIG_SAVE_H
#define LB_CONFIG_SAVE_H

/*
 * `config save`: write runtime changes (ipvsadm edits, --set timeouts,
 * drains, VRRP priorities) back into a native config file as edits of its
 * text. Only the settings and list elements that differ are rewritten,
 * added or removed; comments, blank lines, order and the formatting of
 * everything else stay byte for byte. The result is parsed and compared
 * with what was asked for before anything is written. Control code only;
 * not thread-safe.
 */
#include <stdio.h>

#include "config/config.h"

/*
 * The native config text (read from name, used in messages) edited so that
 * it loads to want's virtual services and real servers (address, port,
 * scheduler, persistence, netmask, flags, weight, forward, thresholds),
 * connection timeouts and VRRP instance priorities, everything else as the
 * text has it. *out (caller frees) is the new text; *changes the number of
 * edits (0: the text already says all that). Every problem goes to msgs
 * as "NAME[:LINE]: config save: ...". Returns 0, -EINVAL (the text does
 * not load, cannot be edited, or the edit would not load to want) or
 * -ENOMEM.
 */
int lb_cfg_save_text(const char *name, const char *text, const struct lb_config *want,
		     char **out, unsigned int *changes, FILE *msgs);

/*
 * Read the native config file src, edit it as lb_cfg_save_text does and
 * write the result to dst (NULL: src itself) atomically: a temporary file
 * in dst's directory, with dst's mode and owner (src's when dst is new),
 * flushed, then renamed over dst (through a symbolic link to its target).
 * Nothing is written when the edit fails or changes nothing in place.
 * Returns 0 or -errno, with a message to msgs either way.
 */
int lb_cfg_save_file(const char *src, const char *dst, const struct lb_config *want,
		     FILE *msgs);

#endif
