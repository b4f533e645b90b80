/* placeholder until the tdx library lands */
int kx_tdx_placeholder(void);
int kx_tdx_placeholder(void) { return 0; }
