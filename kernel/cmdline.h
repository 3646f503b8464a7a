/* cmdline.h - the kernel command line (all options are listed in
 * docs/boot.md, "Kernel command line"). */
#ifndef ZC32_CMDLINE_H
#define ZC32_CMDLINE_H
#define CMDLINE_MAX 512
#define INIT_ARGS_MAX 16
void        cmdline_parse(const char *s);
const char *cmdline_get(const char *key, const char *def);   /* value of key=value */
int         cmdline_get_int(const char *key, int def);
extern const char *cmdline_raw;
extern char *init_argv[INIT_ARGS_MAX + 2];
#endif
