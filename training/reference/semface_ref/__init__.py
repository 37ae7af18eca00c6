"""Python reference of the semface entropy coders and bitstream v1 (integer symbols in, bytes out).

It mirrors packages/codec-core/src/{entropy,bitstream} bit for bit; golden vectors in test/golden/
are produced by both and must match.
"""
