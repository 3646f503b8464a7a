/*
 * httpd - a small HTTP/1.1 file server.
 *     httpd [-p PORT] [-r ROOT] [-m rw|mmap|sendfile|copy|gather] [-w poll|select|epoll] [-x]
 * Serves GET requests for files under ROOT (default /) on PORT (default
 * 80) with a Content-Length, 404 for what is not a regular file.  One
 * process serves many clients at once: every socket is non-blocking and
 * poll() says which one can go on.  -m says how a file goes out, the
 * four paths of docs/zero-copy.md:
 *   rw        read() into a 64 KiB buffer, write() it to the socket
 *   mmap      mmap() the file, write() from the mapping
 *   sendfile  (the default) sendfile(), moved as zc_sendfile_mode says
 *   copy, gather  sendfile() with that zc_sendfile_mode
 * A request can choose its own: GET /data/1m.bin?m=rw.
 * -w says how the server waits for its sockets (docs/waiting.md): poll
 * (the default), select, or epoll, whose watches follow the poll list.
 * -x (for tests): "GET /exit" makes the server finish and exit 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <stat.h>
#include <poll.h>
#include <select.h>
#include <epoll.h>
#include <socket.h>
#include <stdbool.h>
#include <mman.h>
#include <zc.h>

#define MAX_CLIENTS 16
#define REQ_MAX     2048
#define BUF_SIZE    (64 * 1024)

enum mode { M_RW, M_MMAP, M_SENDFILE, M_COPY, M_GATHER, NMODES };
static const char *const mode_name[NMODES] = { "rw", "mmap", "sendfile", "copy", "gather" };

struct client {
	int fd;                     /* -1: free slot */
	int file;                   /* open file being sent, or -1 */
	enum mode mode;
	char *map;                  /* M_MMAP: the file's mapping, or NULL */
	unsigned long size, pos;    /* file size; next byte to send (mmap) */
	char req[REQ_MAX];
	int reqlen;
	bool sending;
	char *buf;
	size_t off, len;            /* buf[off..len) still to write */
	unsigned long left;         /* file bytes not yet read */
};

static struct client clients[MAX_CLIENTS];
static const char *root = "";
static bool test_mode, exiting;
static enum mode default_mode = M_SENDFILE;
static int sendfile_mode = -1;        /* what we last set with zc_sendfile_mode */

enum waiter { W_POLL, W_SELECT, W_EPOLL, NWAITERS };
static const char *const waiter_name[NWAITERS] = { "poll", "select", "epoll" };
static enum waiter waiter = W_POLL;
/* -w epoll: the events each descriptor's watch asks for, 0 = none.  A
 * close ends the kernel's watch, so client_close forgets it here too:
 * the number may come back from accept at once. */
static int watching[FD_SETSIZE];

static int parse_mode(const char *name)
{
	for (int m = 0; m < NMODES; m++)
		if (strcmp(name, mode_name[m]) == 0)
			return m;
	return -1;
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void client_close(struct client *c)
{
	char junk[512];
	while (read(c->fd, junk, sizeof junk) > 0)
		;                       /* unread data would make close() send a RST */
	close(c->fd);
	watching[c->fd] = 0;
	if (c->file >= 0)
		close(c->file);
	if (c->map)
		munmap(c->map, c->size);
	c->map = NULL;
	c->fd = c->file = -1;
}

static void respond(struct client *c, int code, const char *what, unsigned long length)
{
	c->len = (size_t)snprintf(c->buf, BUF_SIZE,
				  "HTTP/1.1 %d %s\r\nServer: zc32-httpd\r\nContent-Length: %lu\r\n"
				  "Content-Type: %s\r\nConnection: close\r\n\r\n",
				  code, what, length,
				  code == 200 ? "application/octet-stream" : "text/plain");
	c->off = 0;
	c->sending = true;
}

static void respond_text(struct client *c, int code, const char *what)
{
	char body[64];
	int n = snprintf(body, sizeof body, "%d %s\n", code, what);
	respond(c, code, what, (unsigned long)n);
	memcpy(c->buf + c->len, body, (size_t)n);
	c->len += (size_t)n;
}

/* Parse "METHOD PATH HTTP/x.y" from the request line. */
static int parse_request_line(const char *req, char *method, size_t mlen, char *path, size_t plen)
{
	const char *sp = strchr(req, ' ');
	if (!sp || (size_t)(sp - req) >= mlen)
		return -1;
	memcpy(method, req, (size_t)(sp - req));
	method[sp - req] = 0;
	const char *p = sp + 1, *e = p;
	while (*e && *e != ' ' && *e != '\r' && *e != '\n')
		e++;
	if (e == p || (size_t)(e - p) >= plen)
		return -1;
	memcpy(path, p, (size_t)(e - p));
	path[e - p] = 0;
	return 0;
}

/* "?m=NAME" at the end of the path chooses the request's mode; cut it off. */
static enum mode request_mode(char *path)
{
	char *q = strchr(path, '?');
	int m = -1;
	if (!q)
		return default_mode;
	*q = 0;
	if (strncmp(q + 1, "m=", 2) == 0)
		m = parse_mode(q + 3);
	return m < 0 ? default_mode : (enum mode)m;
}

/* A whole request header arrived: decide the response. */
static void handle_request(struct client *c)
{
	char method[8], path[256], full[300];
	c->req[c->reqlen] = 0;
	if (parse_request_line(c->req, method, sizeof method, path, sizeof path) < 0) {
		respond_text(c, 400, "Bad Request");
		return;
	}
	c->mode = request_mode(path);
	if (strcmp(method, "GET") != 0) {
		respond_text(c, 405, "Method Not Allowed");
		return;
	}
	if (test_mode && strcmp(path, "/exit") == 0) {
		exiting = true;
		respond_text(c, 200, "OK");
		printf("httpd: exit requested\n");
		return;
	}
	if (path[0] != '/' || strstr(path, "/..")) {
		respond_text(c, 403, "Forbidden");
		return;
	}
	snprintf(full, sizeof full, "%s%s", root, path);
	struct stat st;
	int fd = open(full, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		printf("httpd: GET %s 404\n", path);
		respond_text(c, 404, "Not Found");
		return;
	}
	c->file = fd;
	c->left = c->size = st.st_size;
	c->pos = 0;
	if (c->mode == M_MMAP && c->size) {
		c->map = mmap(NULL, c->size, PROT_READ, MAP_SHARED, fd, 0);
		if (c->map == MAP_FAILED) {
			c->map = NULL;
			c->mode = M_RW;
		}
	}
	respond(c, 200, "OK", st.st_size);
	printf("httpd: GET %s 200 %lu bytes (%s)\n", path, (unsigned long)st.st_size, mode_name[c->mode]);
}

static void client_read(struct client *c)
{
	ssize_t n = read(c->fd, c->req + c->reqlen, (size_t)(REQ_MAX - 1 - c->reqlen));
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		client_close(c);
		return;
	}
	if (n < 0)
		return;
	c->reqlen += (int)n;
	c->req[c->reqlen] = 0;
	if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n"))
		handle_request(c);
	else if (c->reqlen >= REQ_MAX - 1)
		respond_text(c, 431, "Request Header Fields Too Large");
}

/* Send the next piece of the file straight from the page cache
 * (sendfile) or from the mapping (mmap); bytes sent, or -1 and errno. */
static ssize_t send_zero_copy(struct client *c)
{
	size_t n = c->left < BUF_SIZE ? c->left : BUF_SIZE;
	if (c->mode == M_MMAP)
		return write(c->fd, c->map + c->pos, n);
	if (c->mode != M_SENDFILE) {          /* copy or gather: switch only when it changes */
		int want = c->mode == M_COPY ? ZC_SENDFILE_COPY : ZC_SENDFILE_GATHER;
		if (want != sendfile_mode && zc_sendfile_mode(want) >= 0)
			sendfile_mode = want;
	}
	return sendfile(c->fd, c->file, NULL, n);
}

static void client_write(struct client *c)
{
	for (;;) {
		if (c->off == c->len) {
			if (c->file < 0 || c->left == 0) {
				client_close(c);     /* all sent: the kernel finishes with a FIN */
				return;
			}
			if (c->mode != M_RW) {
				ssize_t w = send_zero_copy(c);
				if (w <= 0) {
					if (w == 0 || errno != EAGAIN)
						client_close(c);
					return;              /* EAGAIN: wait for POLLOUT */
				}
				c->pos += (unsigned long)w;
				c->left -= (unsigned long)w;
				continue;
			}
			ssize_t n = read(c->file, c->buf, BUF_SIZE);
			if (n <= 0) {
				client_close(c);
				return;
			}
			c->off = 0;
			c->len = (size_t)n;
			c->left -= (unsigned long)n < c->left ? (unsigned long)n : c->left;
		}
		ssize_t w = write(c->fd, c->buf + c->off, c->len - c->off);
		if (w < 0) {
			if (errno != EAGAIN)
				client_close(c);
			return;
		}
		c->off += (size_t)w;
		if (c->off < c->len)
			return;                  /* the socket buffer is full: wait for POLLOUT */
	}
}

/* ---- waiting: the poll list answered by poll, select or epoll ---- */

static int select_wait(struct pollfd *pfd, int n)
{
	fd_set rd, wr;
	int nfds = 0;

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	for (int k = 0; k < n; k++) {
		FD_SET(pfd[k].fd, pfd[k].events & POLLIN ? &rd : &wr);
		if (pfd[k].fd >= nfds)
			nfds = pfd[k].fd + 1;
	}
	int r = select(nfds, &rd, &wr, NULL, NULL);
	for (int k = 0; k < n && r >= 0; k++)
		pfd[k].revents = FD_ISSET(pfd[k].fd, &rd) ? POLLIN : FD_ISSET(pfd[k].fd, &wr) ? POLLOUT : 0;
	return r;
}

/* epoll keeps its watches between calls: bring them in line with the
 * poll list (ADD, MOD, DEL), then wait. */
static int epoll_wait_list(struct pollfd *pfd, int n)
{
	static int ep = -1, top;
	static struct epoll_event ev[MAX_CLIENTS + 1];
	int index[FD_SETSIZE], want[FD_SETSIZE] = { 0 };

	if (ep < 0 && (ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -1;
	for (int k = 0; k < n; k++) {
		int fd = pfd[k].fd;
		struct epoll_event e = { (unsigned)pfd[k].events, (unsigned long long)fd };
		want[fd] = pfd[k].events;
		index[fd] = k;
		pfd[k].revents = 0;
		if (watching[fd] != want[fd] &&
		    epoll_ctl(ep, watching[fd] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &e) < 0)
			return -1;
		watching[fd] = want[fd];
		top = fd > top ? fd : top;
	}
	for (int fd = 0; fd <= top; fd++) {
		if (watching[fd] && !want[fd])
			epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
		if (!want[fd])
			watching[fd] = 0;
	}
	int r = epoll_wait(ep, ev, n, -1);
	for (int i = 0; i < r; i++)
		pfd[index[ev[i].data]].revents = (short)ev[i].events;
	return r;
}

static int wait_ready(struct pollfd *pfd, int n)
{
	switch (waiter) {
	case W_SELECT:
		return select_wait(pfd, n);
	case W_EPOLL:
		return epoll_wait_list(pfd, n);
	default:
		return poll(pfd, (unsigned)n, -1);
	}
}

static int parse_waiter(const char *name)
{
	for (int w = 0; w < NWAITERS; w++)
		if (strcmp(name, waiter_name[w]) == 0)
			return w;
	return -1;
}

int main(int argc, char **argv)
{
	int port = 80;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
			port = atoi(argv[++i]);
		else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			root = argv[++i];
		else if (strcmp(argv[i], "-x") == 0)
			test_mode = true;
		else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc && parse_mode(argv[i + 1]) >= 0)
			default_mode = (enum mode)parse_mode(argv[++i]);
		else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc && parse_waiter(argv[i + 1]) >= 0)
			waiter = (enum waiter)parse_waiter(argv[++i]);
		else {
			fprintf(stderr, "usage: httpd [-p PORT] [-r ROOT] [-m rw|mmap|sendfile|copy|gather] "
				"[-w poll|select|epoll] [-x]\n");
			return 2;
		}
	}
	if (strcmp(root, "/") == 0)
		root = "";
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 16) < 0) {
		fprintf(stderr, "httpd: cannot listen on port %d: %s\n", port, strerror(errno));
		return 1;
	}
	set_nonblock(lfd);
	for (int i = 0; i < MAX_CLIENTS; i++) {
		clients[i].fd = clients[i].file = -1;
		clients[i].buf = malloc(BUF_SIZE);
		if (!clients[i].buf) {
			fprintf(stderr, "httpd: out of memory\n");
			return 1;
		}
	}
	printf("httpd: listening on port %d, sending files by %s, waiting with %s\n", port,
	       mode_name[default_mode], waiter_name[waiter]);

	struct pollfd pfd[MAX_CLIENTS + 1];
	int who[MAX_CLIENTS + 1];
	for (;;) {
		int n = 0, active = 0;
		for (int i = 0; i < MAX_CLIENTS; i++) {
			struct client *c = &clients[i];
			if (c->fd < 0)
				continue;
			active++;
			pfd[n].fd = c->fd;
			pfd[n].events = c->sending ? POLLOUT : POLLIN;
			who[n++] = i;
		}
		if (exiting && active == 0)
			break;
		if (!exiting && active < MAX_CLIENTS) {
			pfd[n].fd = lfd;
			pfd[n].events = POLLIN;
			who[n++] = -1;
		}
		if (wait_ready(pfd, n) < 0) {
			fprintf(stderr, "httpd: %s: %s\n", waiter_name[waiter], strerror(errno));
			return 1;
		}
		for (int k = 0; k < n; k++) {
			if (!pfd[k].revents)
				continue;
			if (who[k] < 0) {
				int cfd = accept(lfd, NULL, NULL);
				if (cfd < 0)
					continue;
				for (int i = 0; i < MAX_CLIENTS; i++) {
					if (clients[i].fd < 0) {
						struct client *c = &clients[i];
						c->fd = cfd;
						c->file = -1;
						c->map = NULL;
						c->reqlen = 0;
						c->sending = false;
						c->off = c->len = 0;
						set_nonblock(cfd);
						cfd = -1;
						break;
					}
				}
				if (cfd >= 0)
					close(cfd);
				continue;
			}
			struct client *c = &clients[who[k]];
			if (c->sending)
				client_write(c);
			else
				client_read(c);
		}
	}
	close(lfd);
	printf("httpd: done\n");
	return 0;
}
