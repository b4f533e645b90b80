/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The purgatory (purgatory/purgatory.ro, built first) embedded in the
 * program as read-only data:
 *   const unsigned char kx_purgatory_blob[];
 *   const size_t kx_purgatory_blob_size;
 * The path is relative to the top build directory, where make runs the
 * assembler; -I$(top_builddir) is passed too (gas searches .incbin there).
 */
	.section .rodata
	.balign	16
	.globl	kx_purgatory_blob
	.type	kx_purgatory_blob, @object
kx_purgatory_blob:
	.incbin	"purgatory/purgatory.ro"
.Lblob_end:
	.size	kx_purgatory_blob, .Lblob_end - kx_purgatory_blob

	.balign	8
	.globl	kx_purgatory_blob_size
	.type	kx_purgatory_blob_size, @object
kx_purgatory_blob_size:
	.quad	.Lblob_end - kx_purgatory_blob
	.size	kx_purgatory_blob_size, 8

	.section .note.GNU-stack, "", @progbits
