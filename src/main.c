/* main.c: placeholder while the command table is written. */
#include <stdio.h>
int main(void)
{
	puts("rvalid " RVALID_VERSION);
	return 0;
}
