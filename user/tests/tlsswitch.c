/*
 * tlsswitch - a program whose %gs holds a set_thread_area selector, as
 * every glibc program's does, while a kernel thread runs: the flusher
 * (fs/writeback.c) writes its file back while it sleeps.  The flusher
 * has no TLS, so the GDT's TLS slot is marked not present while it runs;
 * a trap taken then must not save and reload the sleeping program's %gs
 * (zc32 once did, and the reload in trapret was a general-protection
 * fault in the kernel: a panic any busybox command writing a file set off).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <uapi/sched.h>     /* struct user_desc, for set_thread_area (243) */
#include <ztest.h>

static int tls_word = 0x7c32;

static int read_gs_word(void)
{
	int v;
	__asm__ volatile("movl %%gs:0, %0" : "=r"(v));
	return v;
}

int main(void)
{
	struct user_desc d = { (unsigned)-1, (unsigned)&tls_word, 0xfffff, 0x51 };
	check_eq("set_thread_area", syscall(243, &d), 0);
	unsigned short sel = d.entry_number * 8 + 3;
	__asm__ volatile("movw %0, %%gs" : : "r"(sel));
	check_eq("gs.before", read_gs_word(), 0x7c32);

	static char block[64 * 1024];
	memset(block, 'z', sizeof block);
	int fd = open("/tmp/tlsswitch.dat", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CHECK("write", fd >= 0 && write(fd, block, sizeof block) == (ssize_t)sizeof block);
	close(fd);
	sleep(5);                       /* the flusher writes the file back meanwhile */
	check_eq("gs.after", read_gs_word(), 0x7c32);
	return ztest_summary();
}
