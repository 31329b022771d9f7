"""Pure decoding: the MW1 codec, keyboard-wedge repair, QR image reading,
the form catalogue and field validation. No I/O beyond reading files it is
given, and no Qt."""
