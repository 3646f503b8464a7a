/*
 * sha256sum - print the SHA-256 of files (or standard input), as
 * coreutils does: "HEX  NAME".  The tests compare these digests with
 * the host's hashlib, so the data is checked end to end: disk -> DMA ->
 * page cache -> read() copy -> this program.
 *     sha256sum [FILE...]        "-" or no FILE means standard input
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <sha256.h>

static char buf[65536];

static int sum(int fd, const char *name)
{
	struct sha256 s;
	unsigned char digest[32];
	char hex[65];
	ssize_t n;

	sha256_init(&s);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		sha256_update(&s, buf, (size_t)n);
	if (n < 0) {
		fprintf(stderr, "sha256sum: %s: %s\n", name, strerror(errno));
		return 1;
	}
	sha256_final(&s, digest);
	sha256_hex(digest, hex);
	printf("%s  %s\n", hex, name);
	return 0;
}

int main(int argc, char **argv)
{
	int i, status = 0;

	if (argc == 1)
		return sum(0, "-");
	for (i = 1; i < argc; i++) {
		int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);

		if (fd < 0) {
			fprintf(stderr, "sha256sum: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= sum(fd, argv[i]);
		if (fd != 0)
			close(fd);
	}
	return status;
}
