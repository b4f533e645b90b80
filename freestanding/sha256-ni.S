/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 block function with the x86 SHA extensions (SHA-NI).
 *
 *   void kx_sha256_ni_blocks(uint32_t h[8], const uint8_t *p, size_t blocks);
 *
 * Assembled into the loader and into the purgatory.  The caller checks
 * CPUID (SHA, SSSE3, SSE4.1) and, in the purgatory, enables SSE in CR4
 * first.  Only %xmm0-%xmm10 and caller-saved general registers are used
 * (all of them are call-clobbered in the SysV ABI).
 *
 * Instruction semantics from the Intel SDM, vol. 2: SHA256RNDS2 takes the
 * state as two registers, {A,B,E,F} and {C,D,G,H} (A in the top dword), and
 * two pre-added message+constant words in the low half of %xmm0;
 * SHA256MSG1/MSG2 compute the message schedule four words at a time.
 */

#define STATE0	%xmm1	/* A B E F (top to bottom dword) */
#define STATE1	%xmm2	/* C D G H */
#define M0	%xmm3
#define M1	%xmm4
#define M2	%xmm5
#define M3	%xmm6
#define TMP	%xmm7
#define BSWAP	%xmm8
#define WK	%xmm0	/* implicit operand of sha256rnds2 */

	.text

/*
 * Four rounds with message words W[4i..4i+3] in \cur.  For i >= 4, \cur
 * holds W[4i-16..] on entry and is turned into W[4i..] first:
 *   W[4i..] = msg2(msg1(W[4i-16..], W[4i-12..]) + W[4i-7..4i-4], W[4i-4..])
 * with \m1..\m3 holding W[4i-12..], W[4i-8..], W[4i-4..].
 */
.macro QROUND i, cur, m1, m2, m3
.if \i < 4
	movdqu	(\i * 16)(%rsi), \cur
	pshufb	BSWAP, \cur
.else
	sha256msg1 \m1, \cur
	movdqa	\m3, TMP
	palignr	$4, \m2, TMP
	paddd	TMP, \cur
	sha256msg2 \m3, \cur
.endif
	movdqa	\cur, WK
	paddd	(\i * 16)(%rax), WK
	sha256rnds2 WK, STATE0, STATE1
	pshufd	$0x0e, WK, WK
	sha256rnds2 WK, STATE1, STATE0
.endm

	.globl	kx_sha256_ni_blocks
	.type	kx_sha256_ni_blocks, @function
	.balign	16
kx_sha256_ni_blocks:
	test	%rdx, %rdx
	jz	.Ldone
	leaq	.Lk256(%rip), %rax
	movdqa	.Lbswap_mask(%rip), BSWAP

	/* h[0..3] = a b c d, h[4..7] = e f g h (lowest dword first) */
	movdqu	0(%rdi), TMP
	movdqu	16(%rdi), STATE1
	pshufd	$0xb1, TMP, TMP		/* b a d c */
	pshufd	$0x1b, STATE1, STATE1	/* h g f e */
	movdqa	TMP, STATE0
	palignr	$8, STATE1, STATE0	/* f e b a = {A,B,E,F} */
	pblendw	$0xf0, TMP, STATE1	/* h g d c = {C,D,G,H} */

.Lblock:
	movdqa	STATE0, %xmm9
	movdqa	STATE1, %xmm10

	QROUND	0, M0, M1, M2, M3
	QROUND	1, M1, M2, M3, M0
	QROUND	2, M2, M3, M0, M1
	QROUND	3, M3, M0, M1, M2
	QROUND	4, M0, M1, M2, M3
	QROUND	5, M1, M2, M3, M0
	QROUND	6, M2, M3, M0, M1
	QROUND	7, M3, M0, M1, M2
	QROUND	8, M0, M1, M2, M3
	QROUND	9, M1, M2, M3, M0
	QROUND	10, M2, M3, M0, M1
	QROUND	11, M3, M0, M1, M2
	QROUND	12, M0, M1, M2, M3
	QROUND	13, M1, M2, M3, M0
	QROUND	14, M2, M3, M0, M1
	QROUND	15, M3, M0, M1, M2

	paddd	%xmm9, STATE0
	paddd	%xmm10, STATE1
	addq	$64, %rsi
	decq	%rdx
	jnz	.Lblock

	/* Back to a b c d / e f g h */
	pshufd	$0x1b, STATE0, STATE0	/* a b e f */
	pshufd	$0xb1, STATE1, STATE1	/* g h c d */
	movdqa	STATE0, TMP
	pblendw	$0xf0, STATE1, STATE0	/* a b c d */
	palignr	$8, TMP, STATE1		/* e f g h */
	movdqu	STATE0, 0(%rdi)
	movdqu	STATE1, 16(%rdi)
.Ldone:
	ret
	.size	kx_sha256_ni_blocks, . - kx_sha256_ni_blocks

	.section .rodata
	.balign	16
	/* pshufb mask: reverse the bytes of each dword (big-endian words) */
.Lbswap_mask:
	.byte	3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12
	/* FIPS 180-4, 4.2.2 */
.Lk256:
	.long	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
	.long	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
	.long	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
	.long	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
	.long	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
	.long	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
	.long	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
	.long	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
	.long	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
	.long	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
	.long	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
	.long	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
	.long	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
	.long	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
	.long	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
	.long	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2

	.section .note.GNU-stack, "", @progbits
