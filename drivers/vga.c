/*
 * vga.c - the VGA text screen (80x25 at physical 0xB8000), a second
 * console for `make run-vga`.  Writes characters and scrolls; nothing more.
 */
#include "kernel.h"
#include "mmu.h"
#include "x86.h"

#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR 0x0700          /* light grey on black */

static uint16_t *const vga = (uint16_t *)P2V(0xB8000);
static int row, col;

static void vga_move_cursor(void)
{
	uint16_t pos = row * VGA_COLS + col;
	outb(0x3d4, 14); outb(0x3d5, pos >> 8);
	outb(0x3d4, 15); outb(0x3d5, pos & 0xff);
}

void vga_clear(void)
{
	for (int i = 0; i < VGA_COLS * VGA_ROWS; i++)
		vga[i] = VGA_ATTR | ' ';
	row = col = 0;
	vga_move_cursor();
}

void vga_putc(char c)
{
	if (c == '\n') {
		col = 0;
		row++;
	} else if (c == '\b') {
		if (col > 0)
			vga[row * VGA_COLS + --col] = VGA_ATTR | ' ';
	} else if (c != '\r') {
		vga[row * VGA_COLS + col++] = VGA_ATTR | (uint8_t)c;
		if (col == VGA_COLS) {
			col = 0;
			row++;
		}
	}
	if (row == VGA_ROWS) {
		memmove(vga, vga + VGA_COLS, (VGA_ROWS - 1) * VGA_COLS * 2);
		for (int i = 0; i < VGA_COLS; i++)
			vga[(VGA_ROWS - 1) * VGA_COLS + i] = VGA_ATTR | ' ';
		row--;
	}
	vga_move_cursor();
}
