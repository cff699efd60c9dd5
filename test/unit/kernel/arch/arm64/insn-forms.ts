// arm64 instruction words as GNU as 2.40 (binutils-aarch64-linux-gnu) assembled them and its objdump printed
// them (the assembly in the comment), for the decoder tests. Little-endian words in the order given.
export const W = {
  tst_w1_0x40: 0x721a003f, //   tst w1, #0x40
  bne_16: 0x54000081, //        b.ne .+16
  tst_w3_0x100: 0x7218007f, //  tst w3, #0x100
  beq_8: 0x54000040, //         b.eq .+8
  and_w8_w1_0x40: 0x121a0028, // and w8, w1, #0x40
  cbnz_w8_12: 0x35000068, //    cbnz w8, .+12
  and_w9_w3_0x100: 0x12180069, // and w9, w3, #0x100
  tbnz_w9_8: 0x37400049, //     tbnz w9, #8, .+8
  tbz_w1_6: 0x36300041, //      tbz w1, #6, .+8
  tst_w1_0x60: 0x721b043f, //   tst w1, #0x60 (two bits)
  tst_w2_0x40: 0x721a005f, //   tst w2, #0x40
  mov_w1_w0: 0x2a0003e1, //     mov w1, w0
  tbnz_x1_38: 0xb7300041, //    tbnz x1, #38, .+8
  bl_fwd_0x1000: 0x94000400, // bl .+0x1000
  bl_back_0x1000: 0x97fffc00, // bl .-0x1000
  b_fwd_0x1000: 0x14000400, //  b .+0x1000 (a tail call: not a call site)
  tbnz_w3_8: 0x37400043, //     tbnz w3, #8, .+8
  nop: 0xd503201f, //           nop
  paciasp: 0xd503233f, //       paciasp
  str_w1_sp12: 0xb9000fe1, //   str w1, [sp, #12]
} as const;

/** Little-endian bytes of instruction words. */
export function code(...words: number[]): Uint8Array {
  const b = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => b.writeUInt32LE(w >>> 0, i * 4));
  return b;
}
