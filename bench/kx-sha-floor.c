// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kx-sha-floor [--threads N] [--chunk BYTES] [--bytes N] [--scalar] FILE...
 *
 * The floor of a "kexec -c" load: the time to SHA-256 the bytes the load
 * hashes for the purgatory's digest table, with nothing else in the way.
 * The FILEs are read into one buffer first (not timed), zero-padded or cut
 * to --bytes; then the buffer is hashed in --chunk pieces, each its own
 * digest, by one thread per online CPU (--threads N) taking pieces from a
 * shared counter, with freestanding/sha256.c (SHA-NI when the CPU has it).
 * SHA-256 takes the same time whatever the values, so a byte count and a
 * chunk size are all the load's hashing has to match.
 *
 * Prints one line:
 *	impl=shani|scalar threads=N chunk=N bytes=N wall_us=N cpu_us=N
 * impl=scalar means the CPU lacks SHA-NI (or --scalar): the floor is then the
 * portable implementation's.  Exit status 0, or 2 with a message on bad input.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "freestanding/sha256.h"

#define MAX_THREADS 256

struct floor_job {
	const uint8_t *buf;
	size_t size, chunk;
	enum kx_sha256_impl impl;
	size_t next;			/* next chunk to take (atomic) */
	uint8_t sink[KX_SHA256_LEN];	/* keeps the digests from being optimised away */
};

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static void *worker(void *arg)
{
	struct floor_job *job = arg;
	uint8_t out[KX_SHA256_LEN];
	struct kx_sha256 s;
	size_t i, off, len;

	while ((i = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED)) * job->chunk < job->size) {
		off = i * job->chunk;
		len = job->size - off < job->chunk ? job->size - off : job->chunk;
		kx_sha256_init_impl(&s, job->impl);
		kx_sha256_update(&s, job->buf + off, len);
		kx_sha256_final(&s, out);
		__atomic_fetch_xor(&job->sink[0], out[0], __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Hash the buffer on @n threads, this one included; returns how many ran. */
static unsigned int run(struct floor_job *job, unsigned int n)
{
	static pthread_t tid[MAX_THREADS];
	unsigned int started = 0, i;

	while (started + 1 < n && !pthread_create(&tid[started], NULL, worker, job))
		started++;
	worker(job);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	return started + 1;
}

static int parse_size(const char *opt, const char *s, size_t min, size_t *v)
{
	unsigned long long x;
	char *end;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || x < min || x > SIZE_MAX / 2) {
		fprintf(stderr, "kx-sha-floor: %s '%s': expected a number of at least %zu\n",
			opt, s, min);
		return -1;
	}
	*v = (size_t)x;
	return 0;
}

/* Append file @path to *buf (*len bytes so far, *cap allocated). */
static int slurp(const char *path, uint8_t **buf, size_t *len, size_t *cap)
{
	struct stat st;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "kx-sha-floor: cannot read %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "kx-sha-floor: %s is not a regular file\n", path);
		close(fd);
		return -1;
	}
	if (*len + (size_t)st.st_size > *cap) {
		uint8_t *p = realloc(*buf, *len + (size_t)st.st_size);

		if (!p) {
			fprintf(stderr, "kx-sha-floor: %s: out of memory\n", path);
			close(fd);
			return -1;
		}
		*buf = p;
		*cap = *len + (size_t)st.st_size;
	}
	while (*len < *cap && (r = read(fd, *buf + *len, *cap - *len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "kx-sha-floor: cannot read %s: %s\n", path,
				strerror(errno));
			close(fd);
			return -1;
		}
		*len += (size_t)r;
	}
	close(fd);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kx-sha-floor [--threads N] [--chunk BYTES] [--bytes N] [--scalar] FILE...\n"
		"Time SHA-256 over the FILEs' bytes (zero-padded or cut to --bytes), in --chunk\n"
		"pieces (default 131072) on --threads threads (default: one per online CPU),\n"
		"SHA-NI when the CPU has it (--scalar: never).  Prints\n"
		"impl=shani|scalar threads=N chunk=N bytes=N wall_us=N cpu_us=N\n");
}

int main(int argc, char *argv[])
{
	struct floor_job job = { .chunk = 128 << 10, .impl = KX_SHA256_SHANI };
	size_t threads = 0, bytes = 0, len = 0, cap = 0;
	long long t0, c0, wall, cpu;
	uint8_t *buf = NULL;
	unsigned int ran;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(o, "--scalar")) {
			job.impl = KX_SHA256_SCALAR;
		} else if (i + 1 < argc && !strcmp(o, "--threads")) {
			if (parse_size(o, argv[++i], 1, &threads))
				return 2;
			if (threads > MAX_THREADS) {
				fprintf(stderr, "kx-sha-floor: --threads %zu: at most %d\n",
					threads, MAX_THREADS);
				return 2;
			}
		} else if (i + 1 < argc && !strcmp(o, "--chunk")) {
			if (parse_size(o, argv[++i], 64, &job.chunk))
				return 2;
		} else if (i + 1 < argc && !strcmp(o, "--bytes")) {
			if (parse_size(o, argv[++i], 1, &bytes))
				return 2;
		} else {
			fprintf(stderr, "kx-sha-floor: unknown option or missing value: %s\n", o);
			usage(stderr);
			return 2;
		}
	}
	if (i == argc) {
		usage(stderr);
		return 2;
	}
	for (; i < argc; i++)
		if (slurp(argv[i], &buf, &len, &cap))
			return 2;
	if (bytes > len) {
		uint8_t *p = realloc(buf, bytes);

		if (!p) {
			fprintf(stderr, "kx-sha-floor: --bytes %zu: out of memory\n", bytes);
			return 2;
		}
		memset(p + len, 0, bytes - len);	/* the zero tails the load hashes */
		buf = p;
	}
	job.buf = buf;
	job.size = bytes ? bytes : len;
	if (job.impl == KX_SHA256_SHANI && !kx_sha256_have_shani())
		job.impl = KX_SHA256_SCALAR;
	if (!threads) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);

		threads = online > 0 ? (size_t)online : 1;
		if (threads > MAX_THREADS)
			threads = MAX_THREADS;
	}
	t0 = now_us();
	c0 = cpu_us();
	ran = run(&job, (unsigned int)threads);
	wall = now_us() - t0;
	cpu = cpu_us() - c0;
	printf("impl=%s threads=%u chunk=%zu bytes=%zu wall_us=%lld cpu_us=%lld\n",
	       job.impl == KX_SHA256_SHANI ? "shani" : "scalar", ran, job.chunk, job.size, wall,
	       cpu);
	free(buf);
	return 0;
}
