/*
 * pgrp.c - process groups and sessions (Linux's setpgid(2), setsid(2),
 * credentials(7)).  A shell puts each job in a process group of its own,
 * so that kill(-pgid) and the terminal's Ctrl-C reach the whole job; a
 * session is a login's set of groups, and the console is the controlling
 * terminal of init's session (drivers/tty.c).  The ids are plain fields
 * of struct proc: pgid and sid, inherited by fork.
 */
#include "kernel.h"
#include "proc/proc.h"
#include "proc/signal.h"

/* Is there a process in group pgid (of session sid, if sid > 0)?  A
 * zombie counts until it is reaped, as on Linux: a pipeline's first
 * process may have exited by the time the shell joins its group or gives
 * it the terminal (busybox sh does both for `printf ... | while ...`). */
bool pgrp_exists(int pgid, int sid)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &proc_table[i];
		if (p->state != P_UNUSED && !p->kthread &&
		    p->pgid == pgid && (sid <= 0 || p->sid == sid))
			return true;
	}
	return false;
}

static struct proc *live_proc(int pid)
{
	struct proc *p = proc_find(pid);
	return p && !p->kthread ? p : NULL;
}

/* setpgid(pid, pgid): the caller or one of its children (before it ran
 * execve), within the caller's session, joins group pgid or starts its
 * own (pgid 0 or pgid == pid). */
long sys_setpgid(int pid, int pgid)
{
	struct proc *me = current;
	if (pgid < 0)
		return -EINVAL;
	struct proc *p = pid == 0 ? me : live_proc(pid);
	if (!p || (p != me && p->parent != me))
		return -ESRCH;
	if (p != me && p->did_exec)
		return -EACCES;
	if (p->sid != me->sid || p->sid == p->pid)
		return -EPERM;                  /* another session, or a session leader */
	if (pgid == 0)
		pgid = p->pid;
	if (pgid != p->pid && !pgrp_exists(pgid, me->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

long sys_getpgid(int pid)
{
	struct proc *p = pid == 0 ? current : live_proc(pid);
	return p && p->state != P_ZOMBIE ? p->pgid : -ESRCH;
}

long sys_getpgrp(void)
{
	return current->pgid;
}

/* setsid: a new session and group, both with the caller's id, and no
 * controlling terminal.  Not for a process group leader: its group's
 * members would be left in another session. */
long sys_setsid(void)
{
	struct proc *me = current;
	if (pgrp_exists(me->pid, 0))
		return -EPERM;
	me->sid = me->pgid = me->pid;
	return me->sid;
}

long sys_getsid(int pid)
{
	struct proc *p = pid == 0 ? current : live_proc(pid);
	return p && p->state != P_ZOMBIE ? p->sid : -ESRCH;
}
