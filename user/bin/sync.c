/*
 * sync - write every dirty page of the page cache and all file-system
 * metadata to the disk (sync(2), Linux number 36).
 */
#include <unistd.h>

int main(void)
{
	sync();
	return 0;
}
