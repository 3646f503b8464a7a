/*
 * cmdline.c - parse the kernel command line given by the boot loader.
 * Words of the form key=value are options; the first word (the kernel's
 * own path, which GRUB and QEMU put there) and other bare words are
 * ignored.  Everything after a lone "--" is passed to init as argv[1..],
 * as Linux does.  A word in double quotes may contain spaces.
 */
#include "kernel.h"
#include "cmdline.h"

#define MAX_OPTS 32

static char buf[CMDLINE_MAX];
static const char *keys[MAX_OPTS], *vals[MAX_OPTS];
static int nopts;
const char *cmdline_raw = "";
char *init_argv[INIT_ARGS_MAX + 2];
static int init_argc;             /* init_argv ends with a NULL */

void cmdline_parse(const char *s)
{
	static char raw[CMDLINE_MAX];
	strlcpy(raw, s ? s : "", sizeof raw);
	cmdline_raw = raw;
	strlcpy(buf, raw, sizeof buf);
	bool init_args = false;
	char *p = buf;
	init_argc = 1;                  /* argv[0] is filled in by kmain */
	while (*p) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		/* A word may be quoted, as in Linux: `-- -c "echo a b"` gives
		 * init the one argument `echo a b`, without the quotes. */
		char *word = p;
		if (*p == '"') {
			word = ++p;
			while (*p && *p != '"')
				p++;
		} else {
			while (*p && *p != ' ')
				p++;
		}
		if (*p)
			*p++ = 0;
		if (init_args) {
			if (init_argc < INIT_ARGS_MAX + 1)
				init_argv[init_argc++] = word;
			continue;
		}
		if (strcmp(word, "--") == 0) {
			init_args = true;
			continue;
		}
		char *eq = strchr(word, '=');
		if (!eq || nopts == MAX_OPTS)
			continue;
		*eq = 0;
		keys[nopts] = word;
		vals[nopts++] = eq + 1;
	}
	init_argv[init_argc] = NULL;
}

const char *cmdline_get(const char *key, const char *def)
{
	for (int i = nopts - 1; i >= 0; i--)
		if (strcmp(keys[i], key) == 0)
			return vals[i];
	return def;
}

int cmdline_get_int(const char *key, int def)
{
	const char *v = cmdline_get(key, NULL);
	return v ? (int)strtoul(v, NULL, 0) : def;
}
