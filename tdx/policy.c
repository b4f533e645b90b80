// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /etc/kexec-tdx.conf: the host's TDX handover policy.  One "key = value"
 * per line; blank lines and lines starting with '#' are ignored; anything
 * else is an error naming the line.  Keys:
 *   min_module_version = M.m.u   first TDX module version with TDH.SYS.DISABLE
 *   tdx_lost = warn | no-go       verdict when the new kernel cannot use TDX
 *   preflight = auto | explicit   on a TDX host: check every load (auto), or only
 *                                 those given --tdx-disable (explicit)
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/iface.h"
#include "tdx/tdx-internal.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

struct conf_state {
	bool have_min, have_lost, have_preflight;
};

/* A key that takes one of two words; 0, or -EBADMSG naming the line. */
static int conf_choice(struct tdx_fact *conf, bool *seen, unsigned int no, const char *key,
		       const char *val, const char *off, const char *on, bool *out)
{
	if (*seen) {
		tdx_fact_malformed(conf, "line %u: %s is set twice", no, key);
		return -EBADMSG;
	}
	if (strcmp(val, off) != 0 && strcmp(val, on) != 0) {
		tdx_fact_malformed(conf, "line %u: %s = '%.40s'; expected %s or %s", no, key, val,
				   off, on);
		return -EBADMSG;
	}
	*seen = true;
	*out = strcmp(val, on) == 0;
	return 0;
}

static int conf_pair(struct tdx_facts *f, struct conf_state *cs, unsigned int no, const char *key,
		     const char *val)
{
	if (strcmp(key, "min_module_version") == 0) {
		if (cs->have_min || tdx_parse_version(val, &f->min_module_version) < 0)
			goto bad;
		cs->have_min = true;
		tdx_fact_known(&f->min_module_version.f);
		return 0;
	}
	if (strcmp(key, "tdx_lost") == 0)
		return conf_choice(&f->conf, &cs->have_lost, no, key, val, "warn", "no-go",
				   &f->tdx_lost_nogo);
	if (strcmp(key, "preflight") == 0)
		return conf_choice(&f->conf, &cs->have_preflight, no, key, val, "auto", "explicit",
				   &f->preflight_explicit);
	tdx_fact_malformed(&f->conf, "line %u: unknown key '%.40s'; expected min_module_version, "
			   "tdx_lost or preflight", no, key);
	return -EBADMSG;
bad:
	if (cs->have_min)
		tdx_fact_malformed(&f->conf, "line %u: %s is set twice", no, key);
	else
		tdx_fact_malformed(&f->conf, "line %u: min_module_version = '%.40s'; expected a "
				   "version major.minor.update such as 1.5.16", no, val);
	return -EBADMSG;
}

static int conf_line(struct tdx_facts *f, struct conf_state *cs, unsigned int no, char *line)
{
	char *eq, *key, *val;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq) {
		tdx_fact_malformed(&f->conf, "line %u: expected 'key = value', found '%.40s'",
				   no, line);
		return -EBADMSG;
	}
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	if (!*key || !*val) {
		tdx_fact_malformed(&f->conf, "line %u: expected 'key = value' with both parts", no);
		return -EBADMSG;
	}
	return conf_pair(f, cs, no, key, val);
}

static void conf_parse(struct tdx_facts *f, char *text, size_t len)
{
	struct conf_state cs = { false, false, false };
	unsigned int no = 1;
	char *line = text, *nl;

	if (strlen(text) != len) {
		tdx_fact_malformed(&f->conf, "expected text, found a NUL byte");
		return;
	}
	for (; *line; line = nl + 1, no++) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (conf_line(f, &cs, no, line) < 0)
			return;
		if (!nl)
			break;
	}
	tdx_fact_known(&f->conf);
}

void tdx_read_conf(struct tdx_ctx *t, struct tdx_facts *f)
{
	char *buf;
	size_t len;

	tdx_fact_init(&f->conf, kx_if(KX_IF_POLICY));
	tdx_fact_init(&f->min_module_version.f, kx_if(KX_IF_POLICY));
	f->tdx_lost_nogo = false;
	f->preflight_explicit = false;
	if (tdx_read_text(t, kx_if(KX_IF_POLICY), 64 * 1024, &buf, &len, &f->conf) < 0) {
		tdx_fact_copy(&f->min_module_version.f, &f->conf);
		return;
	}
	conf_parse(f, buf, len);
	free(buf);
	if (f->conf.state != TDX_KNOWN) {
		tdx_fact_copy(&f->min_module_version.f, &f->conf);
		f->tdx_lost_nogo = false;
		f->preflight_explicit = false;	/* an invalid file never turns the check off */
	} else if (f->min_module_version.f.state != TDX_KNOWN) {
		tdx_fact_errno(&f->min_module_version.f, ENOENT);	/* not configured */
	}
}
