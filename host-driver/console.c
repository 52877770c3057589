// SPDX-License-Identifier: MIT
/*
 * console.c: the host side of a core's console ring (tile-kernel/console.c writes it):
 * records as board.h defines them, between a free-running head (the core's) and tail
 * (ours). The ring is input from a core: a record that cannot be right resets the ring
 * rather than being trusted.
 */
#include <errno.h>
#include <string.h>
#include "hd_impl.h"

static void ring_get(const uint8_t *ring, uint32_t ring_bytes, uint32_t pos, void *dst,
		     uint32_t n)
{
	uint32_t at = pos & (ring_bytes - 1);
	uint32_t first = n < ring_bytes - at ? n : ring_bytes - at;

	memcpy(dst, ring + at, first);
	memcpy((uint8_t *)dst + first, ring, n - first);
}

int hd_console_drain(struct tessera_ring_ctl *ctl, uint8_t *ring, uint32_t ring_bytes,
		     void (*out)(void *arg, int fd, const char *data, size_t n), void *arg)
{
	uint32_t head = __atomic_load_n(&ctl->head, __ATOMIC_ACQUIRE);
	uint32_t tail = ctl->tail, start = tail;
	char buf[TESSERA_CONSOLE_REC_MAX];
	int rc = 0;

	if (head - tail > ring_bytes || (head - tail) % 4) {
		rc = -EPROTO;
		goto reset;
	}
	while (tail != head) {
		uint32_t hdr, len, fd;

		if (head - tail < 4) {
			rc = -EPROTO;
			goto reset;
		}
		ring_get(ring, ring_bytes, tail, &hdr, 4);
		len = tessera_console_hdr_len(hdr);
		fd = tessera_console_hdr_fd(hdr);
		if (len > TESSERA_CONSOLE_REC_MAX || (fd != 1 && fd != 2) ||
		    tessera_console_rec_bytes(len) > head - tail) {
			rc = -EPROTO;
			goto reset;
		}
		ring_get(ring, ring_bytes, tail + 4, buf, len);
		out(arg, (int)fd, buf, len);
		tail += tessera_console_rec_bytes(len);
	}
	__atomic_store_n(&ctl->tail, tail, __ATOMIC_RELEASE);
	return (int)(tail - start);
reset:
	__atomic_store_n(&ctl->tail, head, __ATOMIC_RELEASE);
	return rc;
}
