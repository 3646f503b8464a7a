/* console.h - the kernel console: output to serial and/or VGA, and the
 * line discipline for input (drivers/console.c). */
#ifndef ZC32_CONSOLE_H
#define ZC32_CONSOLE_H
struct file;
struct wait_queue;

#define CONSOLE_SERIAL 1
#define CONSOLE_VGA    2

void console_init(int which);
void console_write_kernel(const char *buf, int n);
void console_write_message(const char *buf, int n);   /* printk: on a fresh line */
void console_write_user(const char *buf, int n);
struct file *console_file_open(void);       /* console_file.c: init's fds 0-2 */
extern struct wait_queue console_wq;        /* a line is ready (fs/poll.h) */

void serial_init(void);
void serial_enable_irq(void);
void serial_putc(char c);
void vga_clear(void);
void vga_putc(char c);

#endif
