/*
 * zcopy - send one file to one TCP receiver the four ways of the design's
 * section 1, and print what each way cost, as the kernel's ledger counted
 * it (docs/zero-copy.md).
 *
 *     zcopy [-p PATHS] [--cold | --warm] [-b CHUNK] [-t IP:PORT] [--json] [FILE]
 *
 *   FILE        default /data/16m.bin
 *   -p PATHS    comma-separated, in this order by default:
 *                 rw      read() 64 KiB into a buffer, write() it to the socket
 *                 mmap    mmap() the file, write() from the mapping
 *                 copy    sendfile(), the kernel copying page cache -> socket buffer
 *                 gather  sendfile(), the NIC reading the page-cache pages by DMA
 *               (copy and gather set zc_sendfile_mode for the run, then put it back)
 *   --cold      empty the page cache first (zc_drop_caches): the disk DMAs the file
 *   --warm      read the file once first: it is all in the page cache
 *               (default: each path cold, then warm)
 *   -b CHUNK    bytes per read/write/sendfile call (default 65536)
 *   -t IP:PORT  the receiver (default 10.0.2.100:9000: under QEMU a guestfwd
 *               rule starts tools/zc_sink.py on the host for each connection)
 *   --json      print the figures as JSON instead of tables (schema below)
 *
 * One run = connect, take the ledger, send the file, shutdown(SHUT_WR), wait
 * for the receiver to close (then it has every byte), take the ledger again.
 * Every figure is the difference, never a constant.  Per-process counters
 * (system calls, entries, faults, context switches, CPU copies) are zcopy's
 * own (zc_stats SELF).  DMA, packet headers and cycles are the whole
 * system's (zc_stats SYSTEM): segments that an incoming ACK lets out are
 * sent from the interrupt, often while zcopy sleeps and no process runs, so
 * they are nobody's; run zcopy alone.  Busy cycles are elapsed minus the
 * idle loop's halted cycles (under -icount shift=0, guest instructions).
 *
 * Before measuring, zcopy touches every page of its own image and reads the
 * file once: the program takes no page fault of its own while measured, and
 * the file's block map is in the buffer cache (zc_drop_caches empties only
 * the page cache), so a cold run's disk DMA is the file's own blocks.
 *
 * JSON (one line; integers unless marked):
 *   {"zcopy": 1, "file": F, "size": N, "chunk": C, "receiver": "IP:PORT",
 *    "hz": HZ, "runs": [RUN, ...]}
 *   RUN = {"path": "rw"|"mmap"|"copy"|"gather", "label": "read + write", ...,
 *          "cache": "cold"|"warm", "ok": true|false, "error": "..." (if not ok),
 *          "sent": bytes,
 *          "calls": {"data": calls that moved payload, "total": all zcopy made},
 *          "syscalls": the kernel's count, "entries": {"syscall", "fault", "interrupt"},
 *          "switches": 2 x entries (user->kernel and back),
 *          "context_switches", "faults": {"minor", "major"},
 *          "copies": {"user_to_kernel", "kernel_to_user", "kernel_to_kernel", "total"},
 *          "copy_ops": {same keys}, "copies_per_byte": decimal,
 *          "dma": {"disk_to_mem", "mem_to_disk", "swap_to_mem", "mem_to_swap",
 *                  "nic_to_mem", "mem_to_nic"}, "dma_ops": {"dev_to_mem", "mem_to_dev"},
 *          "headers": {"cpu": written by the CPU, "nic_dma": read by the NIC},
 *          "tcp": {"segments": sent, "retransmits": of them sent again (netstat)},
 *          "cycles": {"busy", "idle", "elapsed", "kernel"},
 *          "cycles_per_byte": decimal (busy / sent), "ns": elapsed, "mb_s": decimal}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <stat.h>
#include <time.h>
#include <mman.h>
#include <socket.h>
#include <stdbool.h>
#include <zc.h>
#include <syscall.h>
#include <uapi/zc32_net.h>

typedef unsigned long long u64;

#define DEFAULT_CHUNK (64 * 1024)
#define MAX_CHUNK     (256 * 1024)
#define MAX_RUNS      8
#define PAGE          4096

enum path { P_RW, P_MMAP, P_COPY, P_GATHER, NPATHS };
static const char *const path_name[NPATHS] = { "rw", "mmap", "copy", "gather" };
static const char *const path_label[NPATHS] = {
	"read + write", "mmap + write", "sendfile (copy)", "sendfile (gather)" };

/* The ledger and the clock at one moment. */
struct sample {
	struct zc_stats self, sys;
	u64 net[ZC_NET_NCOUNTERS];         /* netstat's counters */
	struct timespec t;
};

struct run {
	enum path path;
	bool cold, ok;
	const char *error;
	u64 sent, data_calls, calls;
	struct zc_stats self, sys;         /* after - before */
	u64 segments, retransmits;         /* TCP segments sent, of them retransmitted */
	long long ns;
};

static char buf[MAX_CHUNK];
static struct run runs[MAX_RUNS];
static int nruns;
static const char *file = "/data/16m.bin";
static u64 file_size;
static size_t chunk = DEFAULT_CHUNK;
static struct sockaddr_in receiver = { .sin_family = AF_INET };
static char receiver_text[32] = "10.0.2.100:9000";
static u64 sample_syscalls;            /* what taking a sample costs in system calls */

static void take(struct sample *s)
{
	zc_stats(ZC_STATS_SELF, &s->self);
	zc_stats(ZC_STATS_SYSTEM, &s->sys);
	__syscall4(SYS_zc_netstat, (long)s->net, ZC_NET_NCOUNTERS, 0, 0);
	clock_gettime(CLOCK_MONOTONIC, &s->t);
}

/* after - before, counter by counter (the struct is all u64s). */
static void subtract(struct zc_stats *d, const struct zc_stats *after, const struct zc_stats *before)
{
	const u64 *a = (const u64 *)after, *b = (const u64 *)before;
	u64 *out = (u64 *)d;
	for (size_t i = 0; i < sizeof *d / sizeof(u64); i++)
		out[i] = a[i] - b[i];
}

/* Touch every page of this program, and write the ones a run writes
 * (buf, runs): no fault of ours lands inside a measurement.  The linker
 * lays the segments out page after page from __executable_start to end. */
extern char __executable_start[], end[];
static void prefault_self(void)
{
	for (volatile char *p = __executable_start; p < end; p += PAGE)
		(void)*p;
	memset(buf, 0, sizeof buf);
	memset(runs, 0, sizeof runs);
}

/* Read the whole file once, unmeasured: it is then in the page cache,
 * and its block map in the buffer cache. */
static int read_whole_file(void)
{
	int fd = open(file, O_RDONLY);
	if (fd < 0)
		return -1;
	while (read(fd, buf, chunk) > 0)
		;
	close(fd);
	return 0;
}

/* ---- the four paths: each counts the system calls it makes ---- */

static int send_rw(struct run *r, int in, int s)
{
	while (r->sent < file_size) {
		size_t want = file_size - r->sent < chunk ? (size_t)(file_size - r->sent) : chunk;
		ssize_t n = read(in, buf, want);
		r->calls++, r->data_calls++;
		if (n <= 0)
			return -1;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(s, buf + off, (size_t)(n - off));
			r->calls++, r->data_calls++;
			if (w <= 0)
				return -1;
			off += w;
		}
		r->sent += (u64)n;
	}
	return 0;
}

static int send_mmap(struct run *r, int in, int s)
{
	char *map = mmap(NULL, file_size, PROT_READ, MAP_SHARED, in, 0);
	r->calls++;
	if (map == MAP_FAILED)
		return -1;
	while (r->sent < file_size) {
		size_t want = file_size - r->sent < chunk ? (size_t)(file_size - r->sent) : chunk;
		ssize_t w = write(s, map + r->sent, want);
		r->calls++, r->data_calls++;
		if (w <= 0)
			break;
		r->sent += (u64)w;
	}
	munmap(map, file_size);
	r->calls++;
	return r->sent == file_size ? 0 : -1;
}

static int send_sendfile(struct run *r, int in, int s)
{
	while (r->sent < file_size) {
		size_t want = file_size - r->sent < chunk ? (size_t)(file_size - r->sent) : chunk;
		ssize_t w = sendfile(s, in, NULL, want);
		r->calls++, r->data_calls++;
		if (w <= 0)
			return -1;
		r->sent += (u64)w;
	}
	return 0;
}

static int connect_receiver(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s >= 0 && connect(s, (struct sockaddr *)&receiver, sizeof receiver) == 0)
		return s;
	if (s >= 0)
		close(s);
	return -1;
}

/* Put the run's cache state in place: cold = the page cache empty. */
static void prepare_cache(bool cold)
{
	if (cold)
		zc_drop_caches();
	else
		read_whole_file();
}

static void measure(struct run *r)
{
	struct sample before, after;
	int s = connect_receiver();
	if (s < 0) {
		r->error = "cannot connect to the receiver";
		return;
	}
	int old_mode = -1;
	if (r->path == P_COPY || r->path == P_GATHER) {
		old_mode = zc_sendfile_mode(r->path == P_COPY ? ZC_SENDFILE_COPY : ZC_SENDFILE_GATHER);
		if (old_mode < 0) {
			r->error = "zc_sendfile_mode failed";
			close(s);
			return;
		}
	}
	int in = open(file, O_RDONLY);
	prepare_cache(r->cold);

	take(&before);
	int err = in < 0 ? -1 :
		  r->path == P_RW ? send_rw(r, in, s) :
		  r->path == P_MMAP ? send_mmap(r, in, s) : send_sendfile(r, in, s);
	shutdown(s, SHUT_WR);
	char c;
	while (read(s, &c, 1) > 0)           /* until the receiver closes: it has it all */
		r->calls++;
	r->calls += 2;
	take(&after);

	if (err < 0)
		r->error = strerror(errno);
	r->ok = err == 0 && r->sent == file_size;
	subtract(&r->self, &after.self, &before.self);
	subtract(&r->sys, &after.sys, &before.sys);
	r->self.syscalls -= sample_syscalls;
	r->self.entries[ZC_ENTRY_SYSCALL] -= sample_syscalls;
	r->ns = timespec_diff_ns(&before.t, &after.t);
	r->segments = after.net[ZC_NET_tcp_out] - before.net[ZC_NET_tcp_out];
	r->retransmits = after.net[ZC_NET_tcp_retransmits] - before.net[ZC_NET_tcp_retransmits];
	if (in >= 0)
		close(in);
	close(s);
	if (old_mode >= 0)
		zc_sendfile_mode(old_mode);
}

/* ---- figures derived from a run ---- */

static u64 copies(const struct run *r)
{
	return r->self.bytes[ZC_CPU_USER_TO_KERNEL] + r->self.bytes[ZC_CPU_KERNEL_TO_USER] +
	       r->self.bytes[ZC_CPU_KERNEL_TO_KERNEL];
}
static u64 entries(const struct run *r)
{
	return r->self.entries[ZC_ENTRY_SYSCALL] + r->self.entries[ZC_ENTRY_FAULT] +
	       r->self.entries[ZC_ENTRY_INTERRUPT];
}
static u64 busy_cycles(const struct run *r) { return r->sys.cycles_total - r->sys.cycles_idle; }

/* value / div with three decimals, into a static-free caller buffer. */
static const char *milli(char *out, size_t n, u64 value, u64 div)
{
	u64 m = div ? value * 1000 / div : 0;
	snprintf(out, n, "%llu.%03llu", m / 1000, m % 1000);
	return out;
}

static u64 mb_s_milli(const struct run *r)     /* MB/s x 1000 = bytes x 10^6 / ns */
{
	return r->ns > 0 ? r->sent * 1000000ull / (u64)r->ns : 0;
}

/* ---- the table ---- */

typedef void (*cell_fn)(const struct run *r, char *out, size_t n);

static void row(const char *label, cell_fn cell, bool cold)
{
	char text[32];
	printf("%-30s", label);
	for (int i = 0; i < nruns; i++) {
		if (runs[i].cold != cold)
			continue;
		if (runs[i].ok)
			cell(&runs[i], text, sizeof text);
		else
			strlcpy(text, "-", sizeof text);
		printf(" %17s", text);
	}
	printf("\n");
}

#define CELL(name, ...) \
	static void name(const struct run *r, char *o, size_t n) { __VA_ARGS__; }
CELL(c_syscalls, snprintf(o, n, "%llu", r->self.syscalls))
CELL(c_data_calls, snprintf(o, n, "%llu", r->data_calls))
CELL(c_switches, snprintf(o, n, "%llu", 2 * entries(r)))
CELL(c_entries, snprintf(o, n, "%llu/%llu/%llu", r->self.entries[ZC_ENTRY_SYSCALL],
			 r->self.entries[ZC_ENTRY_FAULT], r->self.entries[ZC_ENTRY_INTERRUPT]))
CELL(c_copies, snprintf(o, n, "%llu", copies(r)))
CELL(c_copies_per_byte, milli(o, n, copies(r), r->sent))
CELL(c_u2k, snprintf(o, n, "%llu", r->self.bytes[ZC_CPU_USER_TO_KERNEL]))
CELL(c_k2u, snprintf(o, n, "%llu", r->self.bytes[ZC_CPU_KERNEL_TO_USER]))
CELL(c_k2k, snprintf(o, n, "%llu", r->self.bytes[ZC_CPU_KERNEL_TO_KERNEL]))
CELL(c_disk, snprintf(o, n, "%llu", r->sys.dma_bytes[ZC_DEV_DISK][0]))
CELL(c_nic_tx, snprintf(o, n, "%llu", r->sys.dma_bytes[ZC_DEV_NIC][1]))
CELL(c_nic_rx, snprintf(o, n, "%llu", r->sys.dma_bytes[ZC_DEV_NIC][0]))
CELL(c_headers, snprintf(o, n, "%llu", r->sys.header_bytes))
CELL(c_header_dma, snprintf(o, n, "%llu", r->sys.header_dma_bytes))
CELL(c_segments, snprintf(o, n, "%llu/%llu", r->segments, r->retransmits))
CELL(c_ctx, snprintf(o, n, "%llu", r->self.context_switches))
CELL(c_faults, snprintf(o, n, "%llu/%llu", r->self.faults_minor, r->self.faults_major))
CELL(c_cpb, milli(o, n, busy_cycles(r), r->sent))
CELL(c_mbs, milli(o, n, mb_s_milli(r), 1000))

static void print_table(bool cold)
{
	printf("\nzcopy: %s (%llu bytes) to %s, %u-byte calls, %s cache\n",
	       file, file_size, receiver_text, (unsigned)chunk, cold ? "COLD" : "WARM");
	printf("%-30s", "");
	for (int i = 0; i < nruns; i++)
		if (runs[i].cold == cold)
			printf(" %17s", path_label[runs[i].path]);
	printf("\n");
	row("system calls", c_syscalls, cold);
	row("  of them moving data", c_data_calls, cold);
	row("user/kernel switches", c_switches, cold);
	row("  entries: syscall/fault/irq", c_entries, cold);
	row("CPU copies of payload (bytes)", c_copies, cold);
	row("  per payload byte", c_copies_per_byte, cold);
	row("  user->kernel", c_u2k, cold);
	row("  kernel->user", c_k2u, cold);
	row("  kernel->kernel", c_k2k, cold);
	row("DMA disk->memory (bytes)", c_disk, cold);
	row("DMA memory->NIC, payload", c_nic_tx, cold);
	row("DMA NIC->memory (ACK frames)", c_nic_rx, cold);
	row("headers written by the CPU", c_headers, cold);
	row("headers read by NIC DMA", c_header_dma, cold);
	row("TCP segments/retransmitted", c_segments, cold);
	row("context switches", c_ctx, cold);
	row("page faults minor/major", c_faults, cold);
	row("guest cycles per byte (busy)", c_cpb, cold);
	row("MB/s (guest clock)", c_mbs, cold);
	for (int i = 0; i < nruns; i++)
		if (runs[i].cold == cold && !runs[i].ok)
			printf("  %s: FAILED: %s\n", path_label[runs[i].path], runs[i].error ? runs[i].error : "short send");
}

/* ---- JSON ---- */

static void json_run(const struct run *r)
{
	const struct zc_stats *s = &r->self, *g = &r->sys;
	char a[32], b[32], c[32];
	printf("{\"path\": \"%s\", \"label\": \"%s\", \"cache\": \"%s\", \"ok\": %s, ",
	       path_name[r->path], path_label[r->path], r->cold ? "cold" : "warm", r->ok ? "true" : "false");
	if (!r->ok)
		printf("\"error\": \"%s\", ", r->error ? r->error : "short send");
	printf("\"sent\": %llu, \"calls\": {\"data\": %llu, \"total\": %llu}, \"syscalls\": %llu, ",
	       r->sent, r->data_calls, r->calls, s->syscalls);
	printf("\"entries\": {\"syscall\": %llu, \"fault\": %llu, \"interrupt\": %llu}, \"switches\": %llu, ",
	       s->entries[ZC_ENTRY_SYSCALL], s->entries[ZC_ENTRY_FAULT], s->entries[ZC_ENTRY_INTERRUPT],
	       2 * entries(r));
	printf("\"context_switches\": %llu, \"faults\": {\"minor\": %llu, \"major\": %llu}, ",
	       s->context_switches, s->faults_minor, s->faults_major);
	printf("\"copies\": {\"user_to_kernel\": %llu, \"kernel_to_user\": %llu, \"kernel_to_kernel\": %llu, "
	       "\"total\": %llu}, ", s->bytes[ZC_CPU_USER_TO_KERNEL], s->bytes[ZC_CPU_KERNEL_TO_USER],
	       s->bytes[ZC_CPU_KERNEL_TO_KERNEL], copies(r));
	printf("\"copy_ops\": {\"user_to_kernel\": %llu, \"kernel_to_user\": %llu, \"kernel_to_kernel\": %llu, "
	       "\"total\": %llu}, ", s->ops[ZC_CPU_USER_TO_KERNEL], s->ops[ZC_CPU_KERNEL_TO_USER],
	       s->ops[ZC_CPU_KERNEL_TO_KERNEL],
	       s->ops[ZC_CPU_USER_TO_KERNEL] + s->ops[ZC_CPU_KERNEL_TO_USER] + s->ops[ZC_CPU_KERNEL_TO_KERNEL]);
	printf("\"copies_per_byte\": %s, ", milli(a, sizeof a, copies(r), r->sent));
	printf("\"dma\": {\"disk_to_mem\": %llu, \"mem_to_disk\": %llu, \"swap_to_mem\": %llu, "
	       "\"mem_to_swap\": %llu, \"nic_to_mem\": %llu, \"mem_to_nic\": %llu}, ",
	       g->dma_bytes[ZC_DEV_DISK][0], g->dma_bytes[ZC_DEV_DISK][1], g->dma_bytes[ZC_DEV_SWAP][0],
	       g->dma_bytes[ZC_DEV_SWAP][1], g->dma_bytes[ZC_DEV_NIC][0], g->dma_bytes[ZC_DEV_NIC][1]);
	printf("\"dma_ops\": {\"dev_to_mem\": %llu, \"mem_to_dev\": %llu}, ",
	       g->ops[ZC_DMA_DEV_TO_MEM], g->ops[ZC_DMA_MEM_TO_DEV]);
	printf("\"headers\": {\"cpu\": %llu, \"nic_dma\": %llu}, ", g->header_bytes, g->header_dma_bytes);
	printf("\"tcp\": {\"segments\": %llu, \"retransmits\": %llu}, ", r->segments, r->retransmits);
	printf("\"cycles\": {\"busy\": %llu, \"idle\": %llu, \"elapsed\": %llu, \"kernel\": %llu}, ",
	       busy_cycles(r), g->cycles_idle, g->cycles_total, s->cycles_kernel);
	printf("\"cycles_per_byte\": %s, \"ns\": %lld, \"mb_s\": %s}",
	       milli(b, sizeof b, busy_cycles(r), r->sent), r->ns, milli(c, sizeof c, mb_s_milli(r), 1000));
}

static void print_json(void)
{
	struct zc_info info;
	zc_info(&info);
	printf("{\"zcopy\": 1, \"file\": \"%s\", \"size\": %llu, \"chunk\": %u, \"receiver\": \"%s\", "
	       "\"hz\": %u, \"runs\": [", file, file_size, (unsigned)chunk, receiver_text, info.hz);
	for (int i = 0; i < nruns; i++) {
		if (i)
			printf(", ");
		json_run(&runs[i]);
	}
	printf("]}\n");
}

/* ---- options ---- */

static int usage(void)
{
	fprintf(stderr, "usage: zcopy [-p rw,mmap,copy,gather] [--cold | --warm] [-b CHUNK] "
			"[-t IP:PORT] [--json] [FILE]\n");
	return 2;
}

static int parse_paths(const char *list, bool want[NPATHS])
{
	char copy[64];
	strlcpy(copy, list, sizeof copy);
	char *save, *tok = strtok_r(copy, ",", &save);
	for (; tok; tok = strtok_r(NULL, ",", &save)) {
		int p;
		for (p = 0; p < NPATHS && strcmp(tok, path_name[p]) != 0; p++)
			;
		if (p == NPATHS)
			return -1;
		want[p] = true;
	}
	return 0;
}

static int parse_receiver(const char *text)
{
	char ip[24];
	const char *colon = strchr(text, ':');
	if (!colon || (size_t)(colon - text) >= sizeof ip)
		return -1;
	memcpy(ip, text, (size_t)(colon - text));
	ip[colon - text] = 0;
	int port = atoi(colon + 1);
	if (!inet_aton(ip, &receiver.sin_addr) || port <= 0 || port > 65535)
		return -1;
	receiver.sin_port = htons((uint16_t)port);
	strlcpy(receiver_text, text, sizeof receiver_text);
	return 0;
}

int main(int argc, char **argv)
{
	bool want[NPATHS] = { false }, any = false, json = false;
	bool cold = true, warm = true;
	parse_receiver(receiver_text);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc) {
			if (parse_paths(argv[++i], want) < 0)
				return usage();
			any = true;
		} else if (strcmp(argv[i], "--cold") == 0) {
			warm = false;
		} else if (strcmp(argv[i], "--warm") == 0) {
			cold = false;
		} else if (strcmp(argv[i], "-b") == 0 && i + 1 < argc) {
			chunk = (size_t)atoi(argv[++i]);
			if (chunk == 0 || chunk > MAX_CHUNK)
				return usage();
		} else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
			if (parse_receiver(argv[++i]) < 0)
				return usage();
		} else if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (argv[i][0] == '-' || i != argc - 1) {
			return usage();
		} else {
			file = argv[i];
		}
	}
	if (!cold && !warm)
		return usage();
	struct stat st;
	if (stat(file, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "zcopy: %s: not a regular file\n", file);
		return 1;
	}
	file_size = (u64)st.st_size;

	prefault_self();
	read_whole_file();
	struct sample a, b;
	take(&a);
	take(&b);
	sample_syscalls = b.self.syscalls - a.self.syscalls;

	for (int c = 0; c < 2; c++) {            /* cold runs first, then warm */
		if ((c == 0 && !cold) || (c == 1 && !warm))
			continue;
		for (int p = 0; p < NPATHS; p++) {
			if (any && !want[p])
				continue;
			struct run *r = &runs[nruns++];
			r->path = (enum path)p;
			r->cold = c == 0;
			measure(r);
		}
	}
	if (json) {
		print_json();
	} else {
		if (cold)
			print_table(true);
		if (warm)
			print_table(false);
	}
	for (int i = 0; i < nruns; i++)
		if (!runs[i].ok)
			return 1;
	return 0;
}
