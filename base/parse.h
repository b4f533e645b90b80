/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Strict parsing of numbers and words from kernel files and the command line. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parse all of @s as an unsigned number in @base (0: C prefixes).  One
 * trailing newline is allowed; signs, spaces and anything else are not.
 * Returns 0, -EINVAL (not a number) or -ERANGE.
 */
int kx_parse_u64(const char *s, int base, uint64_t *out);
/* The same for a signed decimal number. */
int kx_parse_s64(const char *s, int64_t *out);
/* Drop one trailing newline in place; returns the new length. */
size_t kx_chomp(char *s);
/* Is @word a whole whitespace-separated word of @list? */
bool kx_has_word(const char *list, const char *word);
/* Is @c a space that separates command-line words (space, tab, newline)? */
bool kx_is_cmdline_space(char c);
/*
 * Length of the kernel command-line word at @p: up to the next space
 * outside double quotes, which group spaces as the kernel's next_arg()
 * (lib/cmdline.c) does.
 */
size_t kx_word_len(const char *p);
