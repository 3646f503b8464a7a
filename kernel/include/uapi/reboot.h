/*
 * uapi/reboot.h - reboot(2)'s magic numbers and commands (Linux
 * linux/reboot.h).  CMD_POWER_OFF powers off (docs/design.md section 3).
 */
#ifndef ZC32_UAPI_REBOOT_H
#define ZC32_UAPI_REBOOT_H

#define LINUX_REBOOT_MAGIC1        0xfee1dead
#define LINUX_REBOOT_MAGIC2        672274793
#define LINUX_REBOOT_MAGIC2A       85072278
#define LINUX_REBOOT_MAGIC2B       369367448
#define LINUX_REBOOT_MAGIC2C       537993216
#define LINUX_REBOOT_CMD_RESTART   0x01234567
#define LINUX_REBOOT_CMD_HALT      0xCDEF0123
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321FEDC

#endif
