/*
 * uname - print the system's name.
 *     uname [-asnrvm]     default -s; -a prints everything
 */
#include <stdio.h>
#include <utsname.h>

int main(int argc, char **argv)
{
	struct utsname u;
	const char *fields[5];
	int show = 0, i, n = 0;

	for (i = 1; i < argc; i++) {
		const char *p = argv[i];

		if (*p++ != '-')
			goto usage;
		for (; *p; p++) {
			switch (*p) {
			case 'a': show |= 0x1f; break;
			case 's': show |= 0x01; break;
			case 'n': show |= 0x02; break;
			case 'r': show |= 0x04; break;
			case 'v': show |= 0x08; break;
			case 'm': show |= 0x10; break;
			default: goto usage;
			}
		}
	}
	if (!show)
		show = 0x01;
	if (uname(&u) < 0) {
		perror("uname");
		return 1;
	}
	if (show & 0x01) fields[n++] = u.sysname;
	if (show & 0x02) fields[n++] = u.nodename;
	if (show & 0x04) fields[n++] = u.release;
	if (show & 0x08) fields[n++] = u.version;
	if (show & 0x10) fields[n++] = u.machine;
	for (i = 0; i < n; i++)
		printf("%s%s", fields[i], i + 1 < n ? " " : "\n");
	return 0;
usage:
	fprintf(stderr, "usage: uname [-asnrvm]\n");
	return 2;
}
