/*
 * procfs.c - /proc, a pseudo filesystem: its files are made up when they
 * are opened, from the process table and the kernel's counters, as
 * Linux's are (man 5 proc).  `ps` and `top` read it: busybox's, or any
 * program written for Linux.
 *
 *   /proc/meminfo /proc/stat /proc/uptime /proc/loadavg    the system
 *   /proc/PID/{stat,status,cmdline}                         one process
 *   /proc/PID/exe                                           its program
 *   /proc/self                                              the caller's PID
 *
 * The path: vfs.c's walk() reaches "/proc" and continues from this
 * filesystem's root (vfs_mount), then procfs_lookup makes an inode for
 * each component (procfs_node: a pid and what it names), and open()
 * writes the file's text into a kernel buffer, read() copies it out
 * (procfs_read).  The text is a snapshot taken at open, like Linux's
 * seq_file.  The text of each file is written by procfs_text.c.
 *
 * Links, without symlinks in the VFS: "self" resolves to the caller's pid
 * directory and "PID/exe" to the program file itself, so stat and exec
 * follow them; readlink(2) reads their targets (procfs_readlink).
 */
#include "kernel.h"
#include "fs/vfs.h"
#include "fs/procfs.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "uapi/dirent.h"

/* The files of /proc and of /proc/PID, in readdir order. */
static const struct { const char *name; enum procfs_kind kind; } root_files[] = {
	{ "self", PROCFS_SELF },   { "meminfo", PROCFS_MEMINFO }, { "stat", PROCFS_STAT },
	{ "uptime", PROCFS_UPTIME }, { "loadavg", PROCFS_LOADAVG },
};
static const struct { const char *name; enum procfs_kind kind; } pid_files[] = {
	{ "stat", PROCFS_PID_STAT }, { "status", PROCFS_PID_STATUS },
	{ "cmdline", PROCFS_PID_CMDLINE }, { "exe", PROCFS_PID_EXE },
};

#define PROCFS_DEV 0x0003          /* st_dev of /proc: Linux's proc is an anonymous device too */
static int procfs_sb;              /* inode->fs of every /proc inode: rename sees another fs */
static const struct inode_ops procfs_ops;

struct procfs_node {
	struct inode inode;
	enum procfs_kind kind;
	int pid;                       /* PROCFS_PID_*: whose */
};

static struct inode *node_new(enum procfs_kind kind, int pid)
{
	struct procfs_node *n = kzalloc(sizeof *n);
	if (!n)
		return NULL;
	inode_init(&n->inode);
	n->kind = kind;
	n->pid = pid;
	n->inode.ino = (uint32_t)pid << 8 | kind;
	n->inode.mode = kind == PROCFS_ROOT || kind == PROCFS_PID_DIR ? S_IFDIR | 0555 : S_IFREG | 0444;
	n->inode.nlink = S_ISDIR(n->inode.mode) ? 2 : 1;
	n->inode.dev = PROCFS_DEV;
	n->inode.atime = n->inode.mtime = n->inode.ctime = vfs_now();
	n->inode.ops = &procfs_ops;
	n->inode.fs = &procfs_sb;
	n->inode.priv = n;
	return &n->inode;
}

static void procfs_release(struct inode *ino)
{
	kfree(ino->priv);
}

/* "123" -> 123, or -1 if name is not a decimal number. */
static int parse_pid(const char *name, size_t len)
{
	int pid = 0;
	if (len == 0 || len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		pid = pid * 10 + (name[i] - '0');
	}
	return pid;
}

static bool name_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(name, s, len) == 0;
}

/* The pid a path component names: a number, or "self" (the link is followed). */
static int pid_of(const char *name, size_t len)
{
	return name_is(name, len, "self") ? current->pid : parse_pid(name, len);
}

/* A live process (a zombie has no memory, files or program left). */
static struct proc *live_proc(int pid)
{
	struct proc *p = proc_find(pid);
	return p && p->state != P_ZOMBIE && p->state != P_EMBRYO ? p : NULL;
}

static int lookup_in_pid_dir(struct procfs_node *d, const char *name, size_t len, struct inode **out)
{
	struct proc *p = live_proc(d->pid);
	if (!p)
		return -ENOENT;
	for (size_t i = 0; i < ARRAY_SIZE(pid_files); i++) {
		if (!name_is(name, len, pid_files[i].name))
			continue;
		if (pid_files[i].kind == PROCFS_PID_EXE)        /* follow the link */
			return !p->exe[0] ? -ENOENT :
			       strncmp(p->exe, PROCFS_MOUNT "/", 6) == 0 ? -ELOOP :   /* never: exec records real paths */
			       vfs_lookup(p->exe, out);
		*out = node_new(pid_files[i].kind, d->pid);
		return *out ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

static int procfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct procfs_node *d = dir->priv;
	if (d->kind == PROCFS_PID_DIR)
		return lookup_in_pid_dir(d, name, len, out);
	int pid = pid_of(name, len);
	if (pid > 0) {
		if (!live_proc(pid))
			return -ENOENT;
		*out = node_new(PROCFS_PID_DIR, pid);
		return *out ? 0 : -ENOMEM;
	}
	for (size_t i = 0; i < ARRAY_SIZE(root_files); i++) {
		if (name_is(name, len, root_files[i].name)) {
			*out = node_new(root_files[i].kind, 0);
			return *out ? 0 : -ENOMEM;
		}
	}
	return -ENOENT;
}

/* ---- directories ---------------------------------------------------- */

/* /proc: the fixed files, then one directory per live process.  f->pos
 * counts the fixed entries, then process-table slots past them, so a
 * listing read in several getdents calls neither skips nor repeats. */
static int root_getdents(struct file *f, struct dirent_sink *out)
{
	const uint64_t nfixed = ARRAY_SIZE(root_files);
	for (; f->pos < nfixed + NPROC; f->pos++) {
		char name[12];
		uint32_t ino;
		uint8_t type;
		if (f->pos < nfixed) {
			strlcpy(name, root_files[f->pos].name, sizeof name);
			ino = root_files[f->pos].kind;
			type = root_files[f->pos].kind == PROCFS_SELF ? DT_LNK : DT_REG;
		} else {
			struct proc *p = &proc_table[f->pos - nfixed];
			if (p->state == P_UNUSED || p->state == P_ZOMBIE || p->state == P_EMBRYO)
				continue;
			snprintf(name, sizeof name, "%d", p->pid);
			ino = (uint32_t)p->pid << 8 | PROCFS_PID_DIR;
			type = DT_DIR;
		}
		int r = dirent_emit(out, ino, f->pos + 1, name, strlen(name), type);
		if (r < 0)
			return r;
	}
	return 0;
}

static int pid_getdents(struct file *f, struct dirent_sink *out)
{
	struct procfs_node *d = f->inode->priv;
	struct proc *p = live_proc(d->pid);
	for (; f->pos < ARRAY_SIZE(pid_files); f->pos++) {
		const char *name = pid_files[f->pos].name;
		if (pid_files[f->pos].kind == PROCFS_PID_EXE && (!p || !p->exe[0]))
			continue;               /* a kernel thread runs no program: no link to list */
		uint8_t type = pid_files[f->pos].kind == PROCFS_PID_EXE ? DT_LNK : DT_REG;
		int r = dirent_emit(out, (uint32_t)d->pid << 8 | pid_files[f->pos].kind, f->pos + 1,
				    name, strlen(name), type);
		if (r < 0)
			return r;
	}
	return 0;
}

static int procfs_getdents(struct file *f, struct dirent_sink *out)
{
	struct procfs_node *d = f->inode->priv;
	return d->kind == PROCFS_ROOT ? root_getdents(f, out) : pid_getdents(f, out);
}

/* ---- files: a snapshot of text, made at open ------------------------ */

struct procfs_text {
	uint32_t len;
	char buf[PROCFS_TEXT_MAX];
};

static ssize_t procfs_read(struct file *f, char *ubuf, size_t n)
{
	struct procfs_text *t = f->priv;
	if (f->pos >= t->len)
		return 0;
	n = MIN(n, t->len - (uint32_t)f->pos);
	if (copy_to_user_as(ubuf, t->buf + f->pos, n, "proc->user") < 0)
		return -EFAULT;
	f->pos += n;
	return n;
}

static void procfs_close(struct file *f)
{
	kfree(f->priv);
	generic_file_close(f);
}

static const struct file_ops procfs_file_ops = { .read = procfs_read, .close = procfs_close };
static const struct file_ops procfs_dir_ops = { .close = generic_file_close, .getdents = procfs_getdents };

static int procfs_open(struct inode *ino, struct file *f)
{
	struct procfs_node *n = ino->priv;
	if ((f->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	if (S_ISDIR(ino->mode)) {
		f->ops = &procfs_dir_ops;
		return 0;
	}
	struct procfs_text *t = kmalloc(sizeof *t);
	if (!t)
		return -ENOMEM;
	int len = procfs_text(n->kind, n->pid, t->buf, sizeof t->buf);
	if (len < 0) {
		kfree(t);
		return len;
	}
	t->len = len;
	f->priv = t;
	f->ops = &procfs_file_ops;
	return 0;
}

static const struct inode_ops procfs_ops = {
	.lookup = procfs_lookup,
	.open = procfs_open,
	.release = procfs_release,
};

/* ---- links ---------------------------------------------------------- */

/* readlink(2) under /proc, for a path that exists (the caller looked it
 * up): rest is the path below /proc/ ("self", "12/exe", "self/exe").
 * The target's length, or -EINVAL for a file that is not a link. */
int procfs_readlink(const char *rest, char *buf, size_t size)
{
	const char *slash = strchr(rest, '/');
	size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
	struct proc *p = live_proc(pid_of(rest, len));
	char num[12];
	const char *target;
	if (!slash && name_is(rest, len, "self")) {
		snprintf(num, sizeof num, "%d", current->pid);
		target = num;
	} else if (p && slash && strcmp(slash + 1, "exe") == 0 && p->exe[0]) {
		target = p->exe;
	} else {
		return -EINVAL;
	}
	size_t n = MIN(strlen(target), size);
	memcpy(buf, target, n);
	return n;
}

/* exec of "/proc/PID/exe" runs that process's program: the path exec
 * records as the new program's exe is the real one, never a /proc path
 * (which would name itself).  0 and the real path in out, or -ENOENT
 * if norm is not such a link. */
int procfs_exe_target(const char *norm, char *out, size_t size)
{
	if (strncmp(norm, "/proc/", 6) != 0)
		return -ENOENT;
	const char *rest = norm + 6, *slash = strchr(rest, '/');
	if (!slash || strcmp(slash + 1, "exe") != 0)
		return -ENOENT;
	struct proc *p = live_proc(pid_of(rest, slash - rest));
	if (!p || !p->exe[0])
		return -ENOENT;
	strlcpy(out, p->exe, size);
	return 0;
}

void procfs_init(void)
{
	struct inode *root = node_new(PROCFS_ROOT, 0);
	if (!root)
		panic("procfs: no memory for the root inode");
	vfs_mount(PROCFS_MOUNT, root);
}
