/*
 * exec.c - execve: replace the calling process's program.
 *
 * 1. Copy the path, argv and envp strings out of the old address space.
 * 2. Read the ELF header and program headers; build a new address space
 *    with an area per PT_LOAD segment (text read-only, data writable, .bss
 *    zero) whose pages the page-fault handler brings in from the page
 *    cache on first touch, an empty heap after the last segment, and a
 *    stack area.
 * 3. Lay out the System V i386 initial stack: argc, argv[], NULL, envp[],
 *    NULL, auxv pairs, then the strings and 16 random bytes.
 * 4. Switch to the new address space, free the old one, and point the
 *    trap frame at the entry point, so the return from this system call
 *    "returns" into the new program's first instruction.
 */
#include "kernel.h"
#include "mmu.h"
#include "x86.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "proc/elf.h"
#include "uapi/auxv.h"
#include "uapi/time.h"
#include "random.h"
#include "proc/fpu.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "fs/vfs.h"
#include "fs/procfs.h"

#define MAX_ARGS     256
#define MAX_ARG_LEN  (64 * 1024)      /* all argv and envp strings together */

struct exec_args {
	char *buf;                     /* the strings, back to back */
	uint32_t used;
	int argc, envc;
	uint32_t argv_off[MAX_ARGS], envp_off[MAX_ARGS];
};

static int add_string(struct exec_args *a, const char *s, bool from_user, uint32_t *off)
{
	uint32_t room = MAX_ARG_LEN - a->used;
	int len;
	if (from_user) {
		len = strncpy_from_user(a->buf + a->used, s, room);
		if (len == -ENAMETOOLONG)
			return -E2BIG;
		if (len < 0)
			return len;
	} else {
		len = strlen(s);
		if ((uint32_t)len >= room)
			return -E2BIG;
		memcpy(a->buf + a->used, s, len + 1);
	}
	*off = a->used;
	a->used += len + 1;
	return 0;
}

static int copy_vector(struct exec_args *a, char *const *uvec, bool from_user,
		       uint32_t *offs, int *count)
{
	*count = 0;
	if (!uvec)
		return 0;
	for (int i = 0;; i++) {
		const char *s;
		if (from_user) {
			if (get_user_arg(&s, &uvec[i], sizeof s) < 0)
				return -EFAULT;
		} else {
			s = uvec[i];
		}
		if (!s)
			return 0;
		if (i >= MAX_ARGS)
			return -E2BIG;
		int r = add_string(a, s, from_user, &offs[i]);
		if (r < 0)
			return r;
		(*count)++;
	}
}

/* Step 1: the strings of argv and envp, out of the old address space.
 * Linux starts a program with an empty argv without argv[0]; zc32 gives
 * it the path. */
static int copy_args(struct exec_args *a, const char *path, char *const *argv,
		     char *const *envp, bool from_user)
{
	int r;
	if (!(a->buf = kmalloc(MAX_ARG_LEN)))
		return -ENOMEM;
	if ((r = copy_vector(a, argv, from_user, a->argv_off, &a->argc)) < 0 ||
	    (r = copy_vector(a, envp, from_user, a->envp_off, &a->envc)) < 0)
		return r;
	if (a->argc == 0)
		return add_string(a, path, false, &a->argv_off[a->argc++]);
	return 0;
}

/* Step 2a: a regular file holding an i386 ELF32 executable. */
static int read_elf_header(struct inode *ino, struct elf_header *eh)
{
	if (!S_ISREG(ino->mode))
		return -EACCES;
	if (vfs_read_kernel(ino, eh, 0, sizeof *eh) != sizeof *eh)
		return -ENOEXEC;
	return elf_header_ok(eh) ? 0 : -ENOEXEC;
}

/* One PT_LOAD segment.  From a disk filesystem it becomes a file-backed
 * area: nothing is read now, and each page is brought in from the page
 * cache by the page-fault handler on first touch (demand paging).  From
 * the initial ramdisk (no page cache) it is copied in at once. */
static int load_segment(struct mm *mm, struct inode *ino, struct elf_phdr *ph)
{
	if (!elf_segment_ok(ph, ino->data.size))
		return -ENOEXEC;
	uint32_t start = ALIGN_DOWN(ph->vaddr, PAGE_SIZE);
	uint32_t end = ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE);
	uint32_t prot = PROT_READ | ((ph->flags & PF_W) ? PROT_WRITE : 0) | ((ph->flags & PF_X) ? PROT_EXEC : 0);
	uint32_t lead = ph->vaddr - start;
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (v->start < end && v->end > start)
			return -ENOEXEC;             /* segments may not overlap */
	if (ino->data.ops && ph->offset >= lead && (ph->offset - lead) % PAGE_SIZE == 0) {
		struct vma *v = vma_create(mm, start, end, prot, VMA_FILE);
		if (!v)
			return -ENOMEM;
		v->file = &ino->data;
		mapping_get(v->file);
		v->file_off = ph->offset - lead;
		v->file_size = ph->filesz + lead;
		return 0;
	}
	int r = vma_add(mm, start, end, prot, VMA_ANON);
	if (r < 0)
		return r;
	for (uint32_t va = start; va < end; va += PAGE_SIZE) {
		uint32_t pa = page_alloc_zeroed();
		if (!pa)
			return -ENOMEM;
		pa_to_page(pa)->flags |= PG_ANON;
		if ((r = vm_map_page(mm, va, pa, vm_pte_flags(prot))) < 0)
			return r;
		/* The part of this page that comes from the file. */
		uint32_t lo = MAX(va, ph->vaddr), hi = MIN(va + PAGE_SIZE, ph->vaddr + ph->filesz);
		if (lo < hi) {
			ssize_t n = vfs_read_kernel(ino, (char *)P2V(pa) + (lo - va), ph->offset + (lo - ph->vaddr), hi - lo);
			if (n != (ssize_t)(hi - lo))
				return n < 0 ? n : -ENOEXEC;
		}
	}
	return 0;
}

/* Step 2b: an area per PT_LOAD segment, an empty heap after the last,
 * and the stack area.  *phdr_va: where the program headers are mapped,
 * for AT_PHDR. */
static int load_program(struct mm *mm, struct inode *ino, const struct elf_header *eh,
			uint32_t *phdr_va)
{
	uint32_t top = 0;
	int r;
	*phdr_va = 0;
	for (int i = 0; i < eh->phnum; i++) {
		struct elf_phdr ph;
		if (vfs_read_kernel(ino, &ph, eh->phoff + i * sizeof ph, sizeof ph) != sizeof ph)
			return -ENOEXEC;
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if ((r = load_segment(mm, ino, &ph)) < 0)
			return r;
		if (eh->phoff >= ph.offset && eh->phoff < ph.offset + ph.filesz)
			*phdr_va = ph.vaddr + (eh->phoff - ph.offset);
		else if (!*phdr_va && !top)
			*phdr_va = ph.vaddr - ph.offset + eh->phoff;  /* Linux's guess: first segment's base + phoff */
		top = MAX(top, ALIGN_UP(ph.vaddr + ph.memsz, PAGE_SIZE));
	}
	if (top == 0)
		return -ENOEXEC;
	mm->brk_start = mm->brk = top;
	if ((r = vma_add(mm, top, top, PROT_READ | PROT_WRITE, VMA_ANON | VMA_HEAP)) < 0)
		return r;
	return vma_add(mm, USER_STACK_TOP - USER_STACK_MAX, USER_STACK_TOP,
		       PROT_READ | PROT_WRITE, VMA_ANON | VMA_STACK);
}

/* Write bytes into the new stack through the direct map. */
static int stack_write(struct mm *mm, uint32_t va, const void *src, uint32_t n)
{
	const uint8_t *s = src;
	while (n) {
		uint32_t *pte = vm_pte(mm, va, true);
		if (!pte)
			return -ENOMEM;
		if (!(*pte & PTE_P)) {
			uint32_t pa = page_alloc_zeroed();
			if (!pa)
				return -ENOMEM;
			pa_to_page(pa)->flags |= PG_ANON;
			int r = vm_map_page(mm, ALIGN_DOWN(va, PAGE_SIZE), pa, PTE_P | PTE_W | PTE_U);
			if (r < 0)
				return r;
		}
		uint32_t chunk = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		memcpy((uint8_t *)P2V(PTE_ADDR(*pte)) + (va & (PAGE_SIZE - 1)), s, chunk);
		va += chunk;
		s += chunk;
		n -= chunk;
	}
	return 0;
}

/* Step 3: the System V i386 initial stack; *esp_out: its final top. */
static int build_stack(struct mm *mm, struct exec_args *a, struct elf_header *eh,
		       uint32_t phdr_va, uint32_t *esp_out)
{
	uint32_t sp = USER_STACK_TOP;
	/* Strings first, at the very top. */
	sp -= a->used;
	uint32_t strings = sp;
	int r = stack_write(mm, strings, a->buf, a->used);
	if (r < 0)
		return r;
	/* 16 random bytes for AT_RANDOM (stack canaries, pointer guards). */
	uint32_t rnd[4];
	random_bytes(rnd, sizeof rnd);
	sp = ALIGN_DOWN(sp - 16, 16);
	uint32_t random_va = sp;
	if ((r = stack_write(mm, random_va, rnd, 16)) < 0)
		return r;

	uint32_t auxv[][2] = {
		{ AT_PHDR, phdr_va }, { AT_PHENT, sizeof(struct elf_phdr) }, { AT_PHNUM, eh->phnum },
		{ AT_PAGESZ, PAGE_SIZE }, { AT_ENTRY, eh->entry }, { AT_UID, 0 }, { AT_EUID, 0 },
		{ AT_GID, 0 }, { AT_EGID, 0 }, { AT_CLKTCK, USER_HZ }, { AT_SECURE, 0 }, { AT_HWCAP, 0 },
		{ AT_RANDOM, random_va }, { AT_EXECFN, strings + a->argv_off[0] }, { AT_NULL, 0 },
	};
	uint32_t words = 1 + a->argc + 1 + a->envc + 1 + ARRAY_SIZE(auxv) * 2;
	sp = ALIGN_DOWN(sp - words * 4, 16);
	uint32_t *v = kmalloc(words * 4), w = 0;
	if (!v)
		return -ENOMEM;
	v[w++] = a->argc;
	for (int i = 0; i < a->argc; i++)
		v[w++] = strings + a->argv_off[i];
	v[w++] = 0;
	for (int i = 0; i < a->envc; i++)
		v[w++] = strings + a->envp_off[i];
	v[w++] = 0;
	memcpy(&v[w], auxv, sizeof auxv);
	r = stack_write(mm, sp, v, words * 4);
	kfree(v);
	*esp_out = sp;
	return r;
}

/* Step 4, the point of no return: the old program is gone from here on.
 * The trap frame is rewritten so that the return from this system call
 * enters the new program at its entry point, on its new stack. */
static void start_program(const char *path, struct mm *mm, uint32_t entry, uint32_t esp)
{
	const char *base = path;
	for (const char *s = path; *s; s++)
		if (*s == '/')
			base = s + 1;
	strlcpy(current->name, base, sizeof current->name);
	struct mm *old = current->mm;
	current->mm = mm;
	mm_activate(mm);
	mm_destroy(old);
	fd_close_on_exec();
	signal_exec(current);                 /* handlers back to SIG_DFL */
	fpu_init_state(current->fpu);
	fpu_restore(current->fpu);
	current->tls_state = TLS_NONE;
	gdt_set_tls(0, 0, TLS_NONE);

	*current->tf = (struct trapframe){
		.cs = SEG_UCODE, .ds = SEG_UDATA, .es = SEG_UDATA, .ss = SEG_UDATA, .fs = SEG_UDATA,
		.gs = SEG_UDATA, .eflags = EFLAGS_IF, .eip = entry, .esp = esp,
	};
}

/* What /proc shows of the new program: its path (the real one when
 * path is /proc/PID/exe) and its argv, NUL-separated, cut to fit. */
static void record_program(const char *path, const struct exec_args *a)
{
	char norm[PATH_MAX];
	if (vfs_normalise(path, norm) == 0 && procfs_exe_target(norm, current->exe, PATH_MAX) < 0)
		strlcpy(current->exe, norm, PATH_MAX);
	uint32_t n = 0;
	for (int i = 0; i < a->argc && n < sizeof current->cmdline; i++) {
		const char *s = a->buf + a->argv_off[i];
		uint32_t len = MIN(strlen(s) + 1, sizeof current->cmdline - n);
		memcpy(current->cmdline + n, s, len);
		n += len;
	}
	current->cmdline_len = n;
}

/* Run the program at path in the calling process: the steps in the
 * comment at the top.  argv/envp are user pointers when from_user,
 * kernel pointers otherwise (for init). */
static int exec_common(const char *path, char *const *argv, char *const *envp, bool from_user)
{
	struct exec_args *a = kzalloc(sizeof *a);
	struct inode *ino = NULL;
	struct mm *mm = NULL;
	struct elf_header eh;
	uint32_t phdr_va, esp;
	int r = -ENOMEM;
	if (!a || (r = copy_args(a, path, argv, envp, from_user)) < 0)
		goto out;
	if ((r = vfs_lookup(path, &ino)) < 0 || (r = read_elf_header(ino, &eh)) < 0)
		goto out;
	r = -ENOMEM;
	if (!(mm = mm_create()) || (r = load_program(mm, ino, &eh, &phdr_va)) < 0)
		goto out;
	if ((r = build_stack(mm, a, &eh, phdr_va, &esp)) < 0)
		goto out;
	record_program(path, a);
	start_program(path, mm, eh.entry, esp);
	mm = NULL;
out:
	if (mm)
		mm_destroy(mm);
	if (ino)
		inode_put(ino);
	if (a)
		kfree(a->buf);
	kfree(a);
	return r;
}

long sys_execve(const char *upath, char *const *argv, char *const *envp)
{
	char path[PATH_MAX];
	int r = path_from_user(upath, path);
	if (r < 0)
		return r;
	return exec_common(path, argv, envp, true);
}

/* The first user process (pid 1).  Loading a program may wait for the
 * disk, and only a process can wait, so init is created with a kernel
 * stack whose first act (init_entry, on its first switch-in) is the exec;
 * returning from init_entry goes to trapret and into the new program. */
static const char *init_path;
static char **init_args;
static struct file *init_console;         /* fds 0, 1 and 2: kmain opens it */

static void init_entry(void)
{
	static char *envp[] = { "PATH=/bin:/test", "HOME=/", "TERM=vt100", NULL };
	sti();
	current->files[0] = init_console;
	current->files[1] = file_dup(current->files[0]);
	current->files[2] = file_dup(current->files[0]);
	int r = exec_common(init_path, init_args, envp, false);
	if (r < 0) {
		/* A missing program or no root filesystem (a refused disk, no
		 * initrd): bad input, not a kernel bug, so no panic. */
		printk("zc32: cannot run init %s: error %d; powering off\n", init_path, r);
		power_off(127);
	}
	cli();
}

void proc_start_init(const char *path, char **argv, struct file *console)
{
	struct proc *p = proc_alloc();
	if (!p)
		panic("no process slot for init");
	init_path = path;
	init_console = console;
	init_args = argv;
	p->context->eip = (uint32_t)init_entry;
	strlcpy(p->name, "init", sizeof p->name);
	p->pgid = p->sid = p->pid;            /* the first session; the console is its terminal */
	p->state = P_RUNNABLE;
}
