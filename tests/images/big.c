// SPDX-License-Identifier: MIT
/* big: an image whose 5 MB of zeroed data cannot fit a 4 MB private DRAM. */
volatile char hog[5 << 20];

int main(void)
{
	return hog[12345];
}
