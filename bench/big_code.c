/* The large Mach-O for the verify benchmark: 64 MiB of constant data in __TEXT, so that
   ld64.lld's ad-hoc signature covers 16384 code pages. No libc: the entry point is _main. */
#define BIG_BYTES (64 << 20)

__attribute__((used)) const unsigned char big_table[BIG_BYTES] = {1, 2, 3, 4};

int main(void) { return big_table[BIG_BYTES - 1]; }
